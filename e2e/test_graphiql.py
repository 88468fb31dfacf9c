"""GraphiQL at /graphql/ works offline: every asset from the CMS itself, the example query runs."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DEMO_TITLE = "Tăng cường hợp tác phát triển các lĩnh vực phù hợp thế mạnh địa phương"


def test_graphiql_runs_the_example_query_with_no_network(
    page, shot, network_guard, settings, cms, demo_content
):
    settings.GRAPHIQL_ENABLED = True
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{cms.url}/graphql/")
    editor = page.locator(".graphiql-container .graphiql-query-editor")
    expect(editor).to_contain_text("newsPages")
    shot("graphiql-opened")

    page.locator(".graphiql-execute-button").click()
    response = page.locator(".graphiql-response")
    expect(response).to_contain_text('"newsPages"')
    expect(response).to_contain_text(DEMO_TITLE)
    expect(response).to_contain_text("Nông nghiệp")
    shot("graphiql-result")
    # Vietnamese in the editors is drawn with a font that has its stacked diacritics, not a
    # fallback for the Fira Code nobody installed.
    font = response.locator(".CodeMirror").first.evaluate("(node) => getComputedStyle(node).fontFamily")
    assert font.startswith('"DejaVu Sans Mono"'), font

    assert network_guard.blocked == [], "GraphiQL reached outside the loopback interface"
    assert any(url.startswith(f"{cms.url}/static/graphiql/") for url in requests)
    assert page.errors == []
