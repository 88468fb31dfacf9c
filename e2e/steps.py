"""
The steps browser tests share: a GraphQL query to the live server, signing in, and the page
editor's menus and blocks. Selectors never use the admin's wording (it is being translated): ids,
names, data-* attributes and the block types' icons from news/blocks.py.
"""

import json
import urllib.request

from playwright.sync_api import expect

from testing.users import desk_member as newsroom_member


def graphql(live_server, query, variables=None):
    """A GraphQL POST to the live server, as any client would send it."""
    request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1, the live server)
        f"{live_server.url}/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        body = json.loads(response.read().decode())
    assert "errors" not in body, body["errors"]
    return body["data"]


def log_in(page, live_server, user, shot=None, lands_on="/admin/"):
    """Logs `user` in through the admin's login form (a `raw_password` attribute, as `editor` has)."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.raw_password)
    if shot:
        shot("login")
    page.locator("form.login-form [type=submit]").click()
    page.wait_for_url(f"{live_server.url}{lands_on}")


def desk_member(username, role):
    """A member of a newsroom role who works in Vietnamese, with the password the browser types."""
    return newsroom_member(username, role, f"mat-khau-{username}-2026", language="vi")


def sign_in_as(page, cms, user):
    """`user` signed in, in a new browser session, to the Vietnamese admin."""
    page.context.clear_cookies()
    log_in(page, cms, user)
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def open_footer_menu(page):
    """The page editor's footer menu (save, submit, publish, workflow actions)."""
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()


def fill_news_header(page, title, slug, author, intro, sector):
    """A new news page's title (its slug follows, as typed), byline, lead and one sector."""
    page.locator("#id_title").press_sequentially(title)
    expect(page.locator("#id_slug")).to_have_value(slug)
    page.fill("#id_author", author)
    page.fill("#id_intro", intro)
    page.check(f'input[name="sectors"][value="{sector.pk}"]')


# A block type in the editor's "insert a block" menu, by the icon news/blocks.py gives it.
BLOCK_ICONS = {"paragraph": "pilcrow", "image": "image", "key_figures": "table"}


def open_block_picker(page):
    """Opens the "insert a block" menu at the end of the body; returns its options by block type."""
    page.locator("#body-root button.c-sf-add-button").last.click()
    options = {
        name: page.locator(f'[role="option"]:has(use[href="#icon-{icon}"])')
        for name, icon in BLOCK_ICONS.items()
    }
    expect(options["paragraph"]).to_be_visible()
    return options


def add_block(page, name, options=None):
    """
    Adds a block at the end of the body, through the menu `open_block_picker` opened (`options`)
    or a new one; returns the block's container and its form prefix.
    """
    count = int(page.locator('input[name="body-count"]').input_value())
    (options or open_block_picker(page))[name].click()
    expect(page.locator('input[name="body-count"]')).to_have_value(str(count + 1))
    expect(page.locator(f'input[name="body-{count}-type"]')).to_have_value(name)
    block = page.locator(f'#body-root [data-streamfield-child]:has(> input[name="body-{count}-type"])')
    return block, f"body-{count}-value"
