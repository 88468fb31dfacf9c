"""The Markdown tables of a run."""

import os


def ms(value):
    return "–" if value is None else f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def seconds(value):
    return "–" if value is None else f"{value:.1f} s"


def codes(counter):
    return ", ".join(f"{code}×{count}" for code, count in counter.items()) or "–"


def percent(value):
    return "–" if value is None else f"{value:.2%}"


def stale(fresh):
    return f"{len(fresh['stale'])} of {fresh['pages']}" + (
        f" ({len(fresh['missing'])} not found)" if fresh.get("missing") else ""
    )


def hidden_seen(hidden):
    """The longest time a reader still got a page after its unpublish committed."""
    if not hidden or not hidden["unpublishes"]:
        return "–"
    if hidden["longest_s"] is None:
        return f"never ({hidden['unpublishes']} unpublishes)"
    until = hidden["still_served_at_end"]
    return f"{hidden['longest_s']:.1f} s" + (
        f" ({until} of {hidden['unpublishes']} until republished)" if until else ""
    )


def hidden_late(hidden):
    if not hidden or not hidden["unpublishes"]:
        return "–"
    return f"{hidden['served_after_grace']} of {hidden['reads_while_hidden']}"


def setup(args):
    """The run's set-up in a sentence."""
    through = (
        f"readers through Varnish (ops/varnish/newsroom.vcl) in front of {args.servers} app server(s), "
        if getattr(args, "varnish", False)
        else "readers straight to the app server, "
    )
    unpublish = (
        f", an unpublish every {args.unpublish_every} s (published again {args.hidden_for} s later)"
        if getattr(args, "unpublish_every", 0)
        else ""
    )
    return (
        f"Load test: {args.users} users, {args.duration} s per scenario after {args.warmup} s of warm-up, "
        f"{args.news} generated news pages, {args.wait} s between two requests of a user, "
        f"{through}reads sent as {getattr(args, 'read_method', 'post').upper()}, "
        f"a publish every {args.publish_every} s{unpublish}; caches "
        + ("kept from the warm-up" if getattr(args, "keep_caches", False) else "emptied before each scenario")
        + f"; {os.cpu_count()} cores."
    )


def repeat_hits(figures):
    """`12,345 (90.1%; Varnish 85.0%)`: the repeated reads and the share a cache answered."""
    if not figures.get("repeat_requests"):
        return "–"
    varnish = figures.get("repeat_varnish_hit_rate")
    alone = f"; Varnish {percent(varnish)}" if varnish is not None else ""
    return f"{figures['repeat_requests']:,} ({percent(figures['repeat_cache_hit_rate'])}{alone})"


def report(results, args):
    lines = [
        setup(args),
        "",
        "Varnish hits: answers from Varnish's cache (X-Varnish-Cache). Origin: the requests that reached "
        "the app servers (every one without Varnish), per second, and the share of them answered by "
        "the origin's response cache (X-Cache). Hidden page seen: the longest time after an unpublish "
        "committed that a reader's request, started then, still got the page (ops/publisher.py unpublishes "
        "watched pages; readers ask for them by slug); after 1 s: such reads started more than 1 s after "
        "the commit, of all the reads of hidden pages (goal: 0). Repeats: the reads asking what an "
        "earlier read of the scenario asked (a first read misses whatever purges do), and the share "
        "of them answered from a cache (Varnish's or the origin's; in brackets, Varnish's alone).",
        "",
        "| scenario | requests | req/s | p50 | p95 | p99 | error rate | Varnish hits | origin req/s "
        "| origin cache hits | repeats: cache hits | status codes | revisions saved / lost "
        "| stale pages after | hidden page seen | hidden page served after 1 s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        o, r, fresh = result["overall"], result["revisions"], result["freshness"]
        stale_pages = stale(fresh)
        if "freshness_varnish" in result:
            stale_pages = f"origin {stale_pages}; Varnish {stale(result['freshness_varnish'])}"
        hidden = result.get("hidden")
        lines.append(
            f"| {result['scenario']} | {o['requests']:,} | {o['requests_per_s']} | {ms(o['p50_ms'])} "
            f"| {ms(o['p95_ms'])} | {ms(o['p99_ms'])} | {percent(o['error_rate'])} "
            f"| {percent(o.get('varnish_hit_rate'))} | {o.get('origin_requests_per_s', '–')} "
            f"| {percent(o.get('origin_cache_hit_rate', o['cache_hit_rate']))} | {repeat_hits(o)} "
            f"| {codes(o['status_codes'])} "
            f"| {r['acknowledged']} / {len(r['acknowledged_missing'])} "
            f"| {stale_pages} | {hidden_seen(hidden)} | {hidden_late(hidden)} |"
        )
    faults = [result for result in results if "fault" in result]
    if faults:
        lines += [
            "",
            "Fault window: from the stop to the service's first answer again (pg_isready, PING); "
            "times after are from that first answer.",
            "",
            "| scenario | window | during: requests | during: 2xx (cache hits) | during: errors "
            "| during: status codes | during: 2xx p50 / p99 | 2xx slower than 5 s | first uncached 2xx after "
            "| last error | errors after | /readyz not 200 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for result in faults:
            f, during = result["fault"], result["fault"]["during"]
            lines.append(
                f"| {result['scenario']} | {f['down_s']:.1f} s | {during['requests']} "
                f"| {during['ok']} ({percent(during['cache_hit_rate'])}) | {during['errors']} "
                f"| {codes(during['status_codes'])} | {ms(during['p50_ms'])} / {ms(during['p99_ms'])} "
                f"| {during['ok_over_5s']} | {seconds(f['first_uncached_ok_after_s'])} "
                f"| {seconds(f['last_error_after_s'])} | {f['errors_after']} "
                f"| {f['readyz_not_ready_samples']} ({codes(f['readyz_not_ready'])}) |"
            )
    for result in results:
        lines += ["", f"### {result['scenario']}", ""]
        lines += [
            "| request | requests | p50 | p95 | p99 | errors | Varnish hits | origin cache hits "
            "| repeats: cache hits |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name, row in result["by_request"].items():
            lines.append(
                f"| {name} | {row['requests']:,} | {ms(row['p50_ms'])} | {ms(row['p95_ms'])} "
                f"| {ms(row['p99_ms'])} "
                f"| {row['errors']} | {percent(row.get('varnish_hit_rate'))} "
                f"| {percent(row.get('origin_cache_hit_rate', row['cache_hit_rate']))} "
                f"| {repeat_hits(row)} |"
            )
        if varnish := result.get("varnish"):
            c = varnish["counters"]
            lines += [
                "",
                f"Varnish (varnishstat over the run): {c['client_req']:,} client requests, "
                f"{c['cache_hit']:,} hits ({c['cache_hit_grace']:,} of them stale in grace), "
                f"{c['cache_miss']:,} misses ({c['cache_hitmiss']:,} hit-for-miss), "
                f"{c['s_pass']:,} passed ({c['cache_hitpass']:,} hit-for-pass), {c['s_synth']:,} PURGE and "
                f"other own answers; hit ratio {percent(varnish['hit_ratio'])} "
                f"(of lookups: {percent(varnish['lookup_hit_ratio'])}); {c['backend_req']:,} requests to the "
                f"app servers ({varnish['backend_requests_per_s']}/s, {c['backend_fail']} failed); "
                f"{c['n_object']:,} objects at the end.",
            ]
        if hidden and hidden["unpublishes"]:
            lines += [
                "",
                f"Unpublished pages: {hidden['unpublishes']} unpublishes, "
                f"{hidden['reads_while_hidden']} reads of them while hidden, {hidden['served']} of which "
                f"still got the page ({hidden['served_after_grace']} started more than "
                f"{hidden['grace_s']:g} s after the commit).",
                "",
                "| page | hidden for | reads | got the page | last one after the commit | after 1 s "
                "| first null after | until republished |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for w in hidden["windows"]:
                until = "yes" if w["still_served_at_end"] else "no"
                lines.append(
                    f"| {w['page']} | {seconds(w['hidden_s'])} | {w['reads']} | {w['served']} "
                    f"| {seconds(w['last_served_after_s'])} | {w['served_after_grace']} "
                    f"| {seconds(w['first_hidden_after_s'])} | {until} |"
                )
            if hidden["failed_changes"]:
                lines.append(f"\nFailed unpublishes or republishes: {hidden['failed_changes']}")
        outcomes = {k: v for k, v in result["overall"]["outcomes"].items() if k != "ok"}
        if outcomes:
            lines += ["", "Failed answers: " + codes(outcomes) + "."]
            for outcome, sample in result["samples"].items():
                if outcome != "ok":
                    body = sample["body"].replace("|", "\\|").replace("\n", " ")[:240]
                    lines.append(
                        f"- `{outcome}` ({sample['request']}, {sample['content_type']}, "
                        f"Retry-After {sample['retry_after']}): `{body or sample['error']}`"
                    )
        server = result["server_log"]
        if server["exceptions"] or server["lines"]:
            lines += [
                "",
                f"gunicorn's error log: {server['line_count']:,} lines; exceptions "
                + codes(server["exceptions"])
                + "; records: "
                + codes(server["lines"])
                + ".",
            ]
            for message, count in server["exception_messages"].items():
                lines.append(f"- {count}× `{message}`")
        fresh = result["freshness"]
        if through := result.get("freshness_varnish"):
            lines += [
                "",
                f"Read back through Varnish (GET) after the run: {through['pages']} published pages, "
                f"{through.get('answered_from_cache', 0)} from Varnish's cache, {len(through['stale'])} "
                "showing an older lead than the live one"
                + (f" ({through['stale']})." if through["stale"] else "."),
            ]
        lines += [
            "",
            f"Read back from the origin after the run: {fresh['pages']} published pages, "
            f"{fresh.get('answered_from_cache', 0)} "
            f"from the response cache, {len(fresh['stale'])} showing an older lead than the live one"
            + (f" ({fresh['stale']})." if fresh["stale"] else ".")
            + (
                f" {len(fresh['missing'])} not found at their address ({fresh['missing']}): the check "
                "could not read them."
                if fresh.get("missing")
                else ""
            ),
        ]
        revisions = result["revisions"]
        if revisions["failed"] or revisions["acknowledged_missing"]:
            lines += [
                "",
                f"Publishing: {revisions['attempts']} attempts, {revisions['acknowledged']} acknowledged, "
                f"{len(revisions['acknowledged_missing'])} of those missing afterwards, "
                f"{len(revisions['pages_whose_acknowledged_revision_is_not_live'])} pages not showing their "
                f"latest acknowledged revision; {revisions['failed']} failed "
                f"({codes(revisions['failed_errors'])}), "
                f"{len(revisions['failed_but_revision_saved'])} of which saved a revision anyway.",
            ]
        if "fault" in result:
            lines += ["", timeline_table(result)]
    return "\n".join(lines)


def timeline_table(result):
    """The seconds around the fault, one row each."""
    fault = result["fault"]["events"]
    marks = [
        (fault["fault_start"], "fault starts"),
        (fault.get("service_stopped"), "service stopped"),
        (fault["restart_issued"], "restart issued"),
        (fault["service_back"], "service answers"),
        (fault.get("start_returned"), "start command done"),
    ]
    end = max(fault["service_back"], fault.get("start_returned") or 0)
    first, last = max(0, int(fault["fault_start"]) - 3), int(end) + 5
    lines = [
        "| second | requests | 2xx ok | cache hits | status codes | p50 | /readyz | |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result["timeline"][first : last + 1]:
        mark = ", ".join(
            f"{text} ({at:.1f})" for at, text in marks if at is not None and int(at) == row["second"]
        )
        lines.append(
            f"| {row['second']} | {row['requests']} | {row['ok']} | {row['cache_hits']} "
            f"| {codes(row['status_codes'])} | {ms(row['p50_ms'])} | {codes(row['readyz'])} | {mark} |"
        )
    return "\n".join(lines)
