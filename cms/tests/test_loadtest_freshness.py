"""
`make loadtest`'s read-back after a run (ops/loadtest/analysis.py, docs/load-testing.md): every
page the editor published is read at its own address, in its own language, and only an older lead
counts as stale. Without the load test: the database and the server are stand-ins.
"""

import json

from ops.loadtest.analysis import check_freshness, site_path
from ops.queries import PAGE_QUERY

VIETNAMESE = {"id": 4, "url_path": "/trang-chu/tin-tuc/hop-tac/", "language": "vi", "intro": "Tin mới [lt 3]"}
ENGLISH = {"id": 7, "url_path": "/trang-chu-en/news/cooperation/", "language": "en", "intro": "News [lt 5]"}


class Database:
    def __init__(self, rows):
        self.rows, self.statements = rows, []

    def psql(self, statement, database):
        self.statements.append(statement)
        return json.dumps(self.rows)


class Server:
    """Answers `page(urlPath:)` with the lead it holds for each address, null elsewhere."""

    def __init__(self, leads):
        self.leads, self.asked = leads, []

    def graphql(self, query, variables, with_cache_header=False):
        assert query == PAGE_QUERY  # the traffic's own document: the same cache entries
        self.asked.append(variables["urlPath"])
        lead = self.leads.get(variables["urlPath"])
        return {"data": {"page": None if lead is None else {"intro": lead}}}, "HIT"


ATTEMPTS = [{"page": 4, "revision": 11}, {"page": 7, "revision": 12}, {"page": 7, "revision": None}]


def test_site_paths_carry_the_language_of_the_page():
    assert site_path("/trang-chu/tin-tuc/hop-tac/", "vi") == "/tin-tuc/hop-tac/"
    assert site_path("/trang-chu-en/news/cooperation/", "en") == "/en/news/cooperation/"
    assert site_path("/trang-chu/", "vi") == "/"
    assert site_path("/trang-chu-en/", "en") == "/en/"


def test_each_page_is_read_back_in_its_own_language():
    database = Database([VIETNAMESE, ENGLISH])
    server = Server({"/tin-tuc/hop-tac/": "Tin mới [lt 3]", "/en/news/cooperation/": "News [lt 5]"})
    result = check_freshness(server, database, "newsroom_load_1", ATTEMPTS)
    assert server.asked == ["/tin-tuc/hop-tac/", "/en/news/cooperation/"]
    assert result == {"pages": 2, "answered_from_cache": 2, "stale": [], "missing": []}
    assert "IN (4,7)" in database.statements[0] and "language_code" in database.statements[0]


def test_an_older_lead_is_stale_and_a_page_not_found_is_not():
    database = Database([VIETNAMESE, ENGLISH])
    server = Server({"/tin-tuc/hop-tac/": "Tin mới [lt 2]"})  # an older lead; the English page absent
    result = check_freshness(server, database, "newsroom_load_1", ATTEMPTS)
    assert result["stale"] == [
        {"page": 4, "url_path": "/tin-tuc/hop-tac/", "live": VIETNAMESE["intro"][-12:],
         "served": "Tin mới [lt 2]"[-12:], "x_cache": "HIT"}
    ]  # fmt: skip
    assert [(item["page"], item["url_path"]) for item in result["missing"]] == [(7, "/en/news/cooperation/")]


def test_nothing_published_nothing_to_read():
    assert check_freshness(Server({}), Database([]), "newsroom_load_1", [{"page": 4, "revision": None}]) == {
        "pages": 0,
        "stale": [],
        "missing": [],
    }
