"""What a run measured: latency summaries, timelines around a fault, the app's log, lost revisions."""

import json
import re
from collections import Counter

from ..queries import PAGE_QUERY

# A record: [start (epoch s), request name, HTTP status (0: no answer), outcome, ms, X-Cache (the
# origin's response cache), X-Varnish-Cache (None without Varnish), [slug, shown] for a watched page,
# key (what was asked: the request's name and variables)]
START, NAME, STATUS, OUTCOME, MS, XCACHE, VCACHE, WATCHED, KEY = range(9)


def varnish_hit(record):
    return len(record) > VCACHE and record[VCACHE] == "HIT"


def cached(record):
    """Answered from a cache: Varnish's, or (reaching the origin) the origin's response cache."""
    return varnish_hit(record) or record[XCACHE] == "HIT"


def repeats(records):
    """
    The reads that asked what an earlier read of the run had asked (same key): a cache can answer
    those, unless a change purged them meanwhile. A first read misses whatever the purges do, so
    the hit ratio of repeats measures how precisely changes purge, apart from the traffic's spread.
    """
    seen, repeated = set(), []
    for record in sorted(records, key=lambda record: record[START]):
        key = record[KEY] if len(record) > KEY else None
        if key is None:
            continue
        if key in seen:
            repeated.append(record)
        seen.add(key)
    return repeated


def percentile(ordered, share):
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, round(share / 100 * len(ordered) + 0.5) - 1))]


def summarise(records, seconds):
    ok = [record for record in records if record[OUTCOME] == "ok"]
    latencies = sorted(record[MS] for record in ok)
    origin = [record for record in records if not varnish_hit(record)]
    origin_ok = [record for record in origin if record[OUTCOME] == "ok"]
    return {
        "requests": len(records),
        "seconds": round(seconds, 2),
        "requests_per_s": round(len(records) / seconds, 1) if seconds > 0 else None,
        "ok": len(ok),
        "errors": len(records) - len(ok),
        "ok_over_5s": sum(record[MS] > 5000 for record in ok),
        "error_rate": round((len(records) - len(ok)) / len(records), 4) if records else None,
        # Latency of successful answers: a quick 503 is not a fast answer.
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "max_ms": latencies[-1] if latencies else None,
        "cache_hit_rate": round(sum(r[XCACHE] == "HIT" for r in ok) / len(ok), 3) if ok else None,
        # Through Varnish: the answers it gave from its cache, and the requests that reached the
        # app servers (its misses and passes; every request without Varnish), with the share of
        # those the origin's own response cache answered (X-Cache on a Varnish hit is the stored
        # copy's, so it says nothing of the origin then).
        "varnish_hit_rate": (
            round(sum(varnish_hit(r) for r in ok) / len(ok), 3)
            if ok and any(len(r) > VCACHE and r[VCACHE] for r in records)
            else None
        ),
        "origin_requests": len(origin),
        "origin_requests_per_s": round(len(origin) / seconds, 1) if seconds > 0 else None,
        "origin_cache_hit_rate": (
            round(sum(r[XCACHE] == "HIT" for r in origin_ok) / len(origin_ok), 3) if origin_ok else None
        ),
        "status_codes": dict(sorted(Counter(str(record[STATUS]) for record in records).items())),
        "outcomes": dict(Counter(record[OUTCOME] for record in records).most_common()),
        **repeat_figures(records),
    }


def repeat_figures(records):
    """`repeats`: how many, and the share of those answered well from a cache (any, and Varnish's)."""
    ok = [record for record in repeats(records) if record[OUTCOME] == "ok"]
    through_varnish = any(len(record) > VCACHE and record[VCACHE] for record in ok)
    return {
        "repeat_requests": len(ok),
        "repeat_cache_hit_rate": round(sum(map(cached, ok)) / len(ok), 3) if ok else None,
        "repeat_varnish_hit_rate": (
            round(sum(map(varnish_hit, ok)) / len(ok), 3) if ok and through_varnish else None
        ),
    }


def per_request(records, seconds):
    names = sorted({record[NAME] for record in records})
    return {name: summarise([r for r in records if r[NAME] == name], seconds) for name in names}


def timeline(records, t0, readiness=()):
    """Per second since the start: requests, successes, cache hits, status codes, median latency,
    and what /readyz answered."""
    seconds, ready = {}, {}
    for record in records:
        seconds.setdefault(int(record[START] - t0), []).append(record)
    for started, status, state in readiness:
        if started >= t0:
            ready.setdefault(int(started - t0), Counter())[f"{status} {state}"] += 1
    rows = []
    for second in range(max(seconds, default=-1) + 1):
        bucket = seconds.get(second, [])
        ok = sorted(record[MS] for record in bucket if record[OUTCOME] == "ok")
        rows.append(
            {
                "second": second,
                "requests": len(bucket),
                "ok": len(ok),
                "cache_hits": sum(record[XCACHE] == "HIT" for record in bucket if record[OUTCOME] == "ok"),
                "status_codes": dict(sorted(Counter(str(record[STATUS]) for record in bucket).items())),
                "outcomes": dict(Counter(record[OUTCOME] for record in bucket).most_common()),
                "p50_ms": percentile(ok, 50),
                "readyz": dict(ready.get(second, {})),
            }
        )
    return rows


def between(records, start, end):
    return [record for record in records if start <= record[START] < end]


def fault_analysis(records, t0, end, events, readiness=()):
    """Before, during and after the fault; when answers came back (times in s from service_back)."""
    fault_start, service_back = events["fault_start"], events["service_back"]
    during = between(records, fault_start, service_back)
    after = between(records, service_back, end)
    first_ok = next((r for r in after if r[OUTCOME] == "ok"), None)
    first_miss = next((r for r in after if r[OUTCOME] == "ok" and r[XCACHE] != "HIT"), None)
    first_hit = next((r for r in after if r[OUTCOME] == "ok" and r[XCACHE] == "HIT"), None)
    failures_after = [r for r in after if r[OUTCOME] != "ok"]
    failures = [r for r in records if r[START] >= fault_start and r[OUTCOME] != "ok"]

    def done(record):  # seconds from the service's return to that answer's arrival
        return round(record[START] + record[MS] / 1000 - service_back, 3) if record else None

    unready = [sample for sample in readiness if sample[0] >= fault_start and sample[1] != 200]
    ready_again = next((s for s in readiness if s[0] >= service_back and s[1] == 200), None)
    return {
        "events": {name: round(value - t0, 3) for name, value in events.items()},
        "down_s": round(service_back - fault_start, 3),
        "before": summarise(between(records, t0, fault_start), fault_start - t0),
        "during": summarise(during, service_back - fault_start),
        "after": summarise(after, end - service_back),
        "first_ok_after_s": done(first_ok),
        "first_uncached_ok_after_s": done(first_miss),
        "first_cache_hit_after_s": done(first_hit),
        # The last failed answer, in s from the service's return (negative: before it came back).
        "last_error_after_s": done(failures[-1]) if failures else None,
        "errors_after": len(failures_after),
        "errors_after_by_outcome": dict(Counter(r[OUTCOME] for r in failures_after).most_common()),
        # What a load balancer polling /readyz saw: when it would take this server out and back.
        "readyz_not_ready_samples": len(unready),
        "readyz_not_ready": dict(Counter(f"{status} {state}" for _, status, state in unready)),
        "readyz_first_not_ready_s": round(unready[0][0] - fault_start, 3) if unready else None,
        "readyz_ready_again_after_s": round(ready_again[0] - service_back, 3) if ready_again else None,
    }


# varnishstat's counters a run compares before and after (MAIN.<name>).
VARNISH_COUNTERS = (
    "client_req",
    "cache_hit",
    "cache_hit_grace",
    "cache_miss",
    "cache_hitmiss",
    "cache_hitpass",
    "s_pass",
    "s_synth",
    "backend_req",
    "backend_fail",
    "n_object",
)


def varnish_stats(before, after, seconds):
    """
    What Varnish counted during a run (varnishstat, after minus before). Its hit ratio is that of
    the requests it served from the cache, fetched (misses) or passed on (POST, Cookie, private
    answers: s_pass, hit-for-pass included), PURGE requests (s_synth) aside:
    cache_hit / (cache_hit + cache_miss + s_pass). `lookup_hit_ratio` leaves the passes out.
    """
    delta = {name: after.get(f"MAIN.{name}", 0) - before.get(f"MAIN.{name}", 0) for name in VARNISH_COUNTERS}
    delta["n_object"] = after.get("MAIN.n_object", 0)  # a gauge: objects held at the end
    served = delta["cache_hit"] + delta["cache_miss"] + delta["s_pass"]
    looked_up = delta["cache_hit"] + delta["cache_miss"]
    return {
        "counters": delta,
        "hit_ratio": round(delta["cache_hit"] / served, 4) if served else None,
        "lookup_hit_ratio": round(delta["cache_hit"] / looked_up, 4) if looked_up else None,
        "backend_requests_per_s": round(delta["backend_req"] / seconds, 1) if seconds > 0 else None,
    }


def hidden_pages(records, changes, grace=1.0):
    """
    How long readers still got a page after it was unpublished. `changes` are the editor's
    unpublishes and republishes of the watched pages (ops/publisher.py: `committed` is when the
    transaction committed); each unpublish opens a window that the page's next republish closes.
    In a window, a read counts when it started after the commit and was answered before the
    republish committed: one whose answer showed the page got a hidden page. Per window: the
    latest start, after the commit, of such a read (`last_served_after_s`: a lower bound of how long
    some cache kept the page), how many started more than `grace` seconds after the commit (the
    goal: none), and whether the last read of the window still showed it (the cache had not let
    go before the page came back: the window was too short to see how long it would have kept it).
    """
    done = sorted(
        (c for c in changes if c.get("ok") and c.get("committed")), key=lambda change: change["committed"]
    )
    reads = {}
    for record in records:
        if len(record) > WATCHED and record[WATCHED] and record[OUTCOME] == "ok":
            reads.setdefault(record[WATCHED][0], []).append(record)
    windows = []
    for index, change in enumerate(done):
        if change["kind"] != "unpublish":
            continue
        later = (c for c in done[index + 1 :] if c["slug"] == change["slug"] and c["kind"] == "republish")
        republished = next(later, None)
        start, end = change["committed"], republished["committed"] if republished else float("inf")
        inside = sorted(
            (r for r in reads.get(change["slug"], []) if r[START] > start and r[START] + r[MS] / 1000 < end),
            key=lambda record: record[START],
        )
        served = [r for r in inside if r[WATCHED][1]]
        gone = [r for r in inside if r[WATCHED][1] is False]
        windows.append(
            {
                "page": change["page"],
                "slug": change["slug"],
                "hidden_s": round(end - start, 2) if republished else None,
                "reads": len(inside),
                "served": len(served),
                "served_after_grace": sum(r[START] - start > grace for r in served),
                "last_served_after_s": round(max(r[START] for r in served) - start, 3) if served else None,
                "first_hidden_after_s": round(min(r[START] for r in gone) - start, 3) if gone else None,
                "still_served_at_end": bool(inside) and bool(inside[-1][WATCHED][1]),
            }
        )
    lasts = [w["last_served_after_s"] for w in windows if w["last_served_after_s"] is not None]
    return {
        "grace_s": grace,
        "unpublishes": len(windows),
        "reads_while_hidden": sum(w["reads"] for w in windows),
        "served": sum(w["served"] for w in windows),
        "served_after_grace": sum(w["served_after_grace"] for w in windows),
        "longest_s": max(lasts) if lasts else None,
        "still_served_at_end": sum(w["still_served_at_end"] for w in windows),
        "failed_changes": [c for c in changes if not c.get("ok")][:10],
        "windows": windows,
    }


TRACEBACK_END = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Timeout|Refused|Exit))(?::\s*(.*))?$")


def log_analysis(text):
    """Exception types ending tracebacks, and the other log lines by kind (numbers folded)."""
    exceptions, samples, messages, lines = Counter(), {}, Counter(), Counter()
    for line in text.splitlines():
        if match := TRACEBACK_END.match(line.strip()) if not line.startswith(" ") else None:
            exceptions[match[1]] += 1
            samples.setdefault(match[1], (match[2] or "")[:200])
            messages[f"{match[1]}: {re.sub(r'[0-9]+', 'N', match[2] or '')}"[:160]] += 1
        elif line and not line[0].isspace() and not line.startswith("Traceback"):
            if not line.startswith(("The above exception", "During handling")):
                kind = re.sub(r"\d+", "N", re.sub(r"^\[[^]]*\] \[\d+\] ", "", line))[:140]
                lines[kind] += 1
    return {
        "line_count": len(text.splitlines()),
        "exceptions": dict(exceptions.most_common()),
        "exception_samples": samples,
        "exception_messages": dict(messages.most_common(10)),
        "lines": dict(lines.most_common(15)),
    }


def verify_revisions(postgres, database, attempts):
    """Every revision the editor was told was saved exists, and each page's latest one is live."""
    acknowledged = [a for a in attempts if a.get("ok")]
    failed = [a for a in attempts if a.get("ok") is False]
    ids = {a["revision"] for a in acknowledged} | {a["revision"] for a in failed if a.get("revision")}
    present = set()
    if ids:
        rows = postgres.psql(
            f"SELECT id FROM wagtailcore_revision WHERE id IN ({','.join(str(int(i)) for i in ids)})",
            database,
        )
        present = {int(value) for value in rows.split()}
    latest = {}
    for attempt in acknowledged:
        latest[attempt["page"]] = max(latest.get(attempt["page"], 0), attempt["revision"])
    not_live = []
    if latest:
        rows = postgres.psql(
            "SELECT id, coalesce(live_revision_id, 0) FROM wagtailcore_page "
            f"WHERE id IN ({','.join(str(int(i)) for i in latest)})",
            database,
        )
        live = dict(tuple(int(v) for v in row.split("|")) for row in rows.splitlines())
        not_live = [page for page, revision in latest.items() if live.get(page, 0) < revision]
    return {
        "attempts": len(attempts),
        "acknowledged": len(acknowledged),
        "acknowledged_missing": sorted(a["revision"] for a in acknowledged if a["revision"] not in present),
        "pages_whose_acknowledged_revision_is_not_live": sorted(not_live),
        "failed": len(failed),
        "failed_errors": dict(Counter(a["error"].split(":")[0] for a in failed).most_common()),
        "failed_but_revision_saved": sorted(a["revision"] for a in failed if a.get("revision") in present),
        "failed_attempts": [
            {k: a.get(k) for k in ("t", "page", "revision", "stage", "error", "ms")} for a in failed[:10]
        ],
    }


# The language whose pages have no prefix (cms.settings: LANGUAGE_CODE, publishing.locales).
DEFAULT_LANGUAGE = "vi"


def site_path(url_path, language):
    """
    A page's tree path as the path the API serves it at, in its own language: the root's slug
    dropped, the language's prefix added — "/trang-chu/tin-tuc/x/" (vi) → "/tin-tuc/x/",
    "/trang-chu-en/news/x/" (en) → "/en/news/x/" (api.languages.path_in_site, for a site
    whose roots are the home pages of each language, as the demo content's).
    """
    within_root = "/" + url_path.split("/", 2)[2]
    return within_root if language == DEFAULT_LANGUAGE else f"/{language}{within_root}"


def check_freshness(app, postgres, database, attempts):
    """
    After the run, every page the editor published (news of both languages: it picks among the
    newest) must read — at its own address, "/en/..." for an English page, through the traffic's
    own document, so from the response cache when it holds an entry — with the lead that is live
    in the database: an older one would be a cache entry that a publish failed to invalidate.
    A page not found at its address is reported apart (`missing`): it says nothing of the cache.
    """
    pages = sorted({a["page"] for a in attempts if a.get("page") and a.get("revision")})
    if not pages:
        return {"pages": 0, "stale": [], "missing": []}
    rows = json.loads(
        postgres.psql(
            "SELECT coalesce(json_agg(json_build_object("
            "'id', p.id, 'url_path', p.url_path, 'language', l.language_code, 'intro', n.intro)), '[]') "
            "FROM wagtailcore_page p JOIN news_newspage n ON n.page_ptr_id = p.id "
            "JOIN wagtailcore_locale l ON l.id = p.locale_id "
            f"WHERE p.id IN ({','.join(str(int(page)) for page in pages)})",
            database,
        )
    )
    stale, missing, hits = [], [], 0
    for row in rows:
        url_path = site_path(row["url_path"], row["language"])
        payload, x_cache = app.graphql(PAGE_QUERY, {"urlPath": url_path}, with_cache_header=True)
        page = (payload.get("data") or {}).get("page")
        hits += x_cache == "HIT"
        if page is None:
            missing.append({"page": row["id"], "url_path": url_path, "errors": payload.get("errors")})
        elif page.get("intro") != row["intro"]:
            stale.append(
                {
                    "page": row["id"],
                    "url_path": url_path,
                    "live": row["intro"][-12:],
                    "served": (page.get("intro") or "")[-12:],
                    "x_cache": x_cache,
                }
            )
    return {"pages": len(rows), "answered_from_cache": hits, "stale": stale, "missing": missing}
