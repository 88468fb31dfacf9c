"""
`make loadtest`'s figures for caches (ops/loadtest/analysis.py, docs/load-testing.md): how long
readers still got a page after its unpublish, and Varnish's hit ratio from varnishstat. Records and
counters are written here by hand.
"""

from ops.loadtest.analysis import hidden_pages, summarise, varnish_stats

T = 1000.0  # an unpublish commits at T, the page is published again at T + 30


def read(start, shown, slug="tin-a", ms=10.0, varnish="HIT", origin=None):
    """A record as ops/locustfile.py writes it, for a reader of a watched page."""
    key = f'newsPage(slug) watched {{"slug": "{slug}"}}'
    return [start, "newsPage(slug) watched", 200, "ok", ms, origin, varnish, [slug, shown], key]


CHANGES = [
    {"kind": "unpublish", "ok": True, "committed": T, "page": 5, "slug": "tin-a"},
    {"kind": "unpublish", "ok": True, "committed": T + 10, "page": 6, "slug": "tin-b"},
    {"kind": "republish", "ok": True, "committed": T + 30, "page": 5, "slug": "tin-a"},
    {"kind": "republish", "ok": False, "page": 6, "slug": "tin-b", "error": "OperationalError"},
]


def test_the_longest_time_a_reader_still_got_an_unpublished_page():
    records = [
        read(T - 1, True),  # before the commit: the page was live
        read(T + 0.5, True),  # within the grace
        read(T + 4.2, True),  # a cache kept it: 4.2 s
        read(T + 6, False),
        read(T + 29.995, True, ms=20),  # answered after the republish committed: not counted
        read(T + 31, True),  # published again
        read(T + 12, False, slug="tin-b"),
    ]
    hidden = hidden_pages(records, CHANGES, grace=1.0)
    assert hidden["unpublishes"] == 2
    assert hidden["reads_while_hidden"] == 4
    assert (hidden["served"], hidden["served_after_grace"], hidden["longest_s"]) == (2, 1, 4.2)
    first, second = hidden["windows"]
    assert first["hidden_s"] == 30 and first["first_hidden_after_s"] == 6 and not first["still_served_at_end"]
    # Its republish failed: the window runs to the end of the run.
    assert second["hidden_s"] is None and second["reads"] == 1 and second["served"] == 0
    assert hidden["failed_changes"] == [CHANGES[3]]


def test_a_page_still_shown_when_it_came_back_is_counted_apart():
    hidden = hidden_pages([read(T + 2, True), read(T + 20, True)], CHANGES[:1] + CHANGES[2:3])
    assert hidden["longest_s"] == 20 and hidden["still_served_at_end"] == 1


def test_no_unpublish_no_window():
    assert hidden_pages([read(T, True)], [])["unpublishes"] == 0


def test_origin_figures_count_only_what_reached_the_origin():
    records = [
        read(T, True, varnish="HIT", origin="MISS"),  # X-Cache of the stored copy: not the origin's
        read(T, True, varnish="MISS", origin="HIT"),
        read(T, True, varnish="MISS", origin="MISS"),
        read(T, True, varnish="MISS", origin="HIT"),
    ]
    figures = summarise(records, 2)
    assert figures["varnish_hit_rate"] == 0.25
    assert (figures["origin_requests"], figures["origin_requests_per_s"]) == (3, 1.5)
    assert figures["origin_cache_hit_rate"] == 0.667
    # Without Varnish every request reaches the origin.
    direct = summarise([read(T, True, varnish=None, origin="HIT"), read(T, True, varnish=None)], 1)
    assert direct["varnish_hit_rate"] is None and direct["origin_cache_hit_rate"] == 0.5


def test_repeats_are_the_reads_of_what_was_asked_before():
    records = [
        read(T + 1, True, slug="tin-a", varnish="MISS", origin="MISS"),  # first: a miss whatever purges do
        read(T + 2, True, slug="tin-b", varnish="MISS", origin="MISS"),
        read(T + 3, True, slug="tin-a", varnish="HIT"),
        read(T + 4, True, slug="tin-a", varnish="MISS", origin="HIT"),  # a cache answered: the origin's
        read(T + 5, True, slug="tin-b", varnish="MISS", origin="MISS"),  # purged meanwhile
    ]
    figures = summarise(list(reversed(records)), 5)  # by start, whatever the order written
    assert figures["repeat_requests"] == 3
    assert figures["repeat_cache_hit_rate"] == 0.667 and figures["repeat_varnish_hit_rate"] == 0.333
    direct = summarise([read(T, True, varnish=None), read(T + 1, True, varnish=None, origin="HIT")], 1)
    assert (direct["repeat_cache_hit_rate"], direct["repeat_varnish_hit_rate"]) == (1.0, None)


def test_varnish_hit_ratio_from_varnishstat():
    before = {"MAIN.cache_hit": 10, "MAIN.cache_miss": 5, "MAIN.s_pass": 0, "MAIN.backend_req": 5}
    after = {"MAIN.cache_hit": 100, "MAIN.cache_miss": 10, "MAIN.s_pass": 5, "MAIN.backend_req": 20}
    stats = varnish_stats(before, {**after, "MAIN.s_synth": 7, "MAIN.n_object": 42}, 10)
    assert stats["counters"]["cache_hit"] == 90 and stats["counters"]["n_object"] == 42
    assert stats["hit_ratio"] == 0.9  # 90 of 90 + 5 + 5; the 7 PURGEs aside
    assert stats["lookup_hit_ratio"] == round(90 / 95, 4)
    assert stats["backend_requests_per_s"] == 1.5
