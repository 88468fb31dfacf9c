"""
The same requests to both systems of the side-by-side benchmark (bench/peers.py), and the check
that both answer them the same before anything is timed (step 5).
"""

import http.client
import json

from bench.peers_processes import HOST, HTTP_TIMEOUT, BenchError, log

ONE_PAGE_SLUGS = 5

# The same fields from both: ours through grapple's types, Directus through its generated schema.
OUR_FIELDS = (
    "id title slug date author intro sectors { name slug } tags { name slug } "
    "body { id field blockType ... on CharBlock { value } ... on RichTextBlock { value } }"
)
DIRECTUS_FIELDS = "id title slug date author intro sectors { sectors_id { name slug } } tags body"
OUR_LIST = f'{{ newsPages(perPage: 50, order: "-date") {{ items {{ {OUR_FIELDS} }} }} }}'
DIRECTUS_LIST = f'{{ news(limit: 50, sort: ["-date", "-id"]) {{ {DIRECTUS_FIELDS} }} }}'


def our_one_page(slug):
    return f"{{ newsPage(slug: {json.dumps(slug)}) {{ {OUR_FIELDS} }} }}"


def directus_one_page(slug):
    return f"{{ news(filter: {{slug: {{_eq: {json.dumps(slug)}}}}}, limit: 1) {{ {DIRECTUS_FIELDS} }} }}"


class Target:
    """One system's GraphQL endpoint and the bodies of its two requests."""

    def __init__(self, name, server, port, path, list_query, one_page_query):
        self.name = name
        self.server = server
        self.port = port
        self.path = path
        self.list_body = json.dumps({"query": list_query}).encode()
        self.one_page_query = one_page_query

    def one_page_bodies(self, slugs):
        return [json.dumps({"query": self.one_page_query(slug)}).encode() for slug in slugs]


def graphql(target, body):
    """Data of one GraphQL answer, and the size of the answer in bytes as sent."""
    connection = http.client.HTTPConnection(HOST, target.port, timeout=HTTP_TIMEOUT)
    try:
        connection.request("POST", target.path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
    finally:
        connection.close()
    try:
        answer = json.loads(payload)
    except ValueError:
        answer = payload[:2000]
    if response.status != 200 or not isinstance(answer, dict) or answer.get("errors") or "data" not in answer:
        raise BenchError(f"{target.name} GraphQL answered {response.status}: {str(answer)[:2000]}")
    return answer["data"], len(payload)


def our_items(data):
    return data["newsPages"]["items"]


def directus_items(data):
    return data["news"]


def one_item(data):
    """The news item of a one-page answer of either system, or None."""
    if "newsPage" in data:
        return data["newsPage"]
    return (data.get("news") or [None])[0]


BLOCK_TYPES = {"CharBlock": "heading", "RichTextBlock": "paragraph"}


def content_differences(ours, theirs):
    """
    The fields of one news item on which the two answers differ (beyond id and title, which
    must match). Our body's other blocks (images, quotes, key figures) are not in Directus.
    """
    differences = [key for key in ("slug", "date", "author", "intro") if ours[key] != theirs[key]]
    if sorted(sector["slug"] for sector in ours["sectors"]) != sorted(
        (link["sectors_id"] or {}).get("slug") for link in theirs["sectors"]
    ):
        differences.append("sectors")
    if sorted(tag["slug"] for tag in ours["tags"]) != sorted(tag["slug"] for tag in theirs["tags"] or []):
        differences.append("tags")
    our_body = [
        (block["id"], BLOCK_TYPES[block["blockType"]], block["value"])
        for block in ours["body"]
        if block["blockType"] in BLOCK_TYPES
    ]
    their_body = [(block["id"], block["type"], block["value"]) for block in theirs["body"] or []]
    if our_body != their_body:
        differences.append("body")
    return differences


def check_same_answers(ours, theirs, slugs):
    """
    Stop before timing anything unless both give the same news in the same order (ids, titles),
    and the same single pages. Other differences of content are counted and reported.
    """
    our_data, our_size = graphql(ours, ours.list_body)
    their_data, their_size = graphql(theirs, theirs.list_body)
    our_list, their_list = our_items(our_data), directus_items(their_data)
    mine = [(str(item["id"]), item["title"]) for item in our_list]
    other = [(str(item["id"]), item["title"]) for item in their_list]
    if len(mine) < 50:
        raise BenchError(f"Ours lists {len(mine)} news, not 50: generate more pages (--pages)")
    if len(mine) != 50 or mine != other:
        first = next((i for i, (a, b) in enumerate(zip(mine, other, strict=False)) if a != b), None)
        raise BenchError(
            f"The lists differ: ours has {len(mine)} items, Directus {len(other)}; first difference at "
            f"position {first}: ours {mine[first] if first is not None else '-'}, "
            f"Directus {other[first] if first is not None else '-'}"
        )
    pairs = list(zip(our_list, their_list, strict=True))
    for slug, our_body, their_body in zip(
        slugs, ours.one_page_bodies(slugs), theirs.one_page_bodies(slugs), strict=True
    ):
        a, b = one_item(graphql(ours, our_body)[0]), one_item(graphql(theirs, their_body)[0])
        if not a or not b or (str(a["id"]), a["title"]) != (str(b["id"]), b["title"]):
            raise BenchError(f"The page {slug!r} differs: ours {a and a['id']}, Directus {b and b['id']}")
        pairs.append((a, b))
    differences = {}
    for a, b in pairs:
        if found := content_differences(a, b):
            differences[str(a["id"])] = found
    if differences:
        log(f"warning: {len(differences)} of {len(pairs)} news items differ in content: {differences}")
    body_blocks = [len(item["body"]) for item in our_list]
    kept_blocks = [len(item["body"]) for item in their_list]
    check = {
        "ours_list_bytes": our_size,
        "directus_list_bytes": their_size,
        "ours_list_body_blocks": sum(body_blocks),
        "directus_list_body_blocks": sum(kept_blocks),
        "items_compared": len(pairs),
        "content_differences": differences,
    }
    log(
        f"Both answer the same 50 news in the same order and the same {len(slugs)} single pages; "
        f"list answers of {our_size:,} bytes (ours, {sum(body_blocks)} body blocks) and {their_size:,} "
        f"bytes (Directus, {sum(kept_blocks)} heading and paragraph blocks)"
    )
    return check


def pick_slugs(news):
    """A few pages spread over the whole set, oldest ids to newest, not only the newest ones."""
    ordered = sorted(news, key=lambda item: item["id"])
    step = max(1, len(ordered) // ONE_PAGE_SLUGS)
    return [item["slug"] for item in ordered[step // 2 :: step]][:ONE_PAGE_SLUGS]
