"""
The hostile-request corpus (testing/hostile_requests.json): requests the endpoint must answer
with a 4xx (or a 200 with errors), never a 500. Replayed by api/tests/test_hostile_requests.py and
timed by bench/hostile.py.
"""

import json
from pathlib import Path
from urllib.parse import urlencode

CORPUS = json.loads((Path(__file__).parent / "hostile_requests.json").read_text(encoding="utf-8"))
# The GraphQL settings production runs with by default (cms/settings/production.py).
PRODUCTION = {
    "DEBUG": False,
    "GRAPHIQL_ENABLED": False,
    "GRAPHQL_INTROSPECTION": False,
    "GRAPHQL_FIELD_SUGGESTIONS": False,
    "GRAPHQL_MASK_ERRORS": True,
}


def build(entry):
    """(method, path, body bytes, content type) for one corpus entry."""
    method = entry.get("method", "POST")
    path = "/graphql/"
    if "params" in entry:
        path += "?" + urlencode(entry["params"])
    if "params_repeat" in entry:
        spec = entry["params_repeat"]
        path += "?" + urlencode({spec["name"]: spec["prefix"] + spec["unit"] * spec["count"]})
    if "json" in entry:
        payload = entry["json"]
        if "repeat_variable" in entry:  # a long list, kept short in the corpus file
            spec = entry["repeat_variable"]
            payload = {**payload, "variables": {spec["name"]: [spec["item"]] * spec["count"]}}
        body = json.dumps(payload).encode()
    elif "body_repeat" in entry:
        spec = entry["body_repeat"]
        body = (spec["prefix"] + spec["unit"] * spec["count"] + spec["suffix"]).encode()
    elif "body_hex" in entry:
        body = bytes.fromhex(entry["body_hex"])
    else:
        body = entry.get("body", "").encode()
    return method, path, body, entry.get("content_type", "application/json")


def send(client, method, path, body=b"", content_type="application/json"):
    return client.generic(method, path, body, content_type=content_type, HTTP_ACCEPT="application/json")
