vcl 4.1;
# Varnish in front of the CMS's app servers (docs/deployment.md#varnish-in-front), for Debian's
# `varnish` (7.1) and `varnish-modules` (the xkey and var vmods):
#
#   apt-get install varnish varnish-modules
#   cp ops/varnish/newsroom.vcl /etc/varnish/newsroom.vcl    # then edit the backends and the ACL
#   varnishd -C -f /etc/varnish/newsroom.vcl >/dev/null       # compiles? (prints errors otherwise)
#
# What it does:
# - caches what the CMS says a shared cache may keep: `Cache-Control: public, s-maxage=N` (or
#   max-age) on anonymous GETs — GraphQL GET `/graphql/?query=...`, persisted-query GETs, feeds,
#   sitemaps; never a POST, never a request carrying a Cookie or an Authorization header, never an
#   answer saying `private`, `no-store` or `no-cache` or setting a cookie (Varnish's builtin rules,
#   which run after the subroutines below), and never an answer that says nothing about caching;
# - files each answer under the tags the CMS lists in `Cache-Tag` (comma-separated; the setting
#   CACHE_TAG_HEADER may name `xkey` or `Surrogate-Key` instead, space-separated), with the xkey
#   vmod, and removes every answer carrying a tag on `PURGE /` with `xkey-purge: tag1 tag2 ...`
#   (what the CMS sends after each change, to every address in VARNISH_PURGE_URLS);
# - keeps a stale answer for the `stale-while-revalidate` seconds the CMS gives (while one request
#   fetches a fresh copy), never longer, and never a purged one: xkey.purge removes the objects,
#   grace included (xkey.softpurge would keep serving them); nor an answer whose fetch a purge
#   crossed and that the CMS's repeated purge might miss (vcl_backend_response);
# - says `X-Varnish-Cache: HIT` or `MISS` on every answer, and hides the tag headers from clients.
#
# ops/loadtest and testing/services.py run this very file, with the section between the BACKENDS
# markers replaced by their own servers: keep the markers when editing it.

import directors;
import std;
import var;
import xkey;

# --- BACKENDS: the app servers (gunicorn, GUNICORN_BIND), taken in turn. -----------------------
# One `backend` block per app server, each added to the director in vcl_init below. The probe asks
# /healthz (answered before any host check, no I/O): a server that stops answering is skipped until
# it answers again.
probe app_alive {
    .url = "/healthz";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = app_alive;
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

sub vcl_init {
    new app_servers = directors.round_robin();
    app_servers.add_backend(app1);
}
# --- END BACKENDS ------------------------------------------------------------------------------

# Who may purge: this machine, and the app servers (each sends PURGE after a change). Add the
# address of each app server that is not on this machine, e.g. "10.0.0.12"; or a network, e.g.
# "10.0.0.0"/24. Anyone else gets 403. (Behind a load balancer speaking the PROXY protocol,
# client.ip is the original client's address, which is what this list must name.)
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header: the tags to purge, space-separated"));
        }
        # Any fetch that started before this moment may carry an answer computed before the change:
        # vcl_backend_response does not keep it (the origin's answer reaches the reader, uncached).
        var.global_set("purged_at", "" + std.time2real(now, 0.0));
        set req.http.xkey-purged = xkey.purge(regsuball(req.http.xkey-purge, "[,\s]+", " "));
        return (synth(200, "Purged " + req.http.xkey-purged + " objects"));
    }
    set req.backend_hint = app_servers.backend();
    # The same GraphQL GET with its parameters in another order is the same answer.
    set req.url = std.querysort(req.url);
    # No return: Varnish's builtin vcl_recv follows, which passes (never caches) any method but GET
    # and HEAD and any request with a Cookie or an Authorization header.
}

sub vcl_backend_fetch {
    # When this fetch started, for the purge guard in vcl_backend_response (not sent to the origin).
    set bereq.http.X-Newsroom-Fetch-Start = "" + std.time2real(now, 0.0);
}

sub vcl_backend_response {
    set beresp.http.X-Newsroom-Fetch-Start = bereq.http.X-Newsroom-Fetch-Start;
    # The origin's tags, in the header the xkey vmod reads (spaces or commas between tags).
    # (std.collect joins repeated header lines into one.)
    if (beresp.http.Cache-Tag) {
        std.collect(beresp.http.Cache-Tag, ",");
        set beresp.http.xkey = beresp.http.Cache-Tag;
    } elsif (beresp.http.Surrogate-Key) {
        std.collect(beresp.http.Surrogate-Key, " ");
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # An answer that says nothing about caching is not cached: it has no tags to be purged by, and
    # Varnish would otherwise keep it for default_ttl (2 minutes) — a 404 of a page about to be
    # published, say. (The CMS's cacheable answers all say `public`.)
    if (!beresp.http.Cache-Control && !beresp.http.Expires) {
        set beresp.ttl = 0s;
    }
    # Grace (serving a stale copy while a fresh one is fetched) only as long as the origin allows:
    # Varnish reads `stale-while-revalidate` into beresp.grace itself; without it, no grace at all
    # instead of Varnish's default 10 s.
    if (beresp.http.Cache-Control !~ "(?i)stale-while-revalidate") {
        set beresp.grace = 0s;
    }
    # A purge arrived while this answer was being computed: it may show what the purge was for
    # (the origin read the database before the change committed), and the purge could not remove
    # it, as it was not stored yet. The CMS sends every purge once more a second after it went
    # through (CACHE_PURGE_REPEAT_SECONDS, 1 by default), which removes such an answer if it is
    # stored by then: an answer fetched in less than that is stored, and one that took longer —
    # which could outlive both purges — is delivered, not kept (the builtin rules make it a
    # hit-for-miss: the next request fetches again). With CACHE_PURGE_REPEAT_SECONDS=0, write 0s
    # here instead of 0.9s: then no answer fetched across a purge is kept (a miss more for each
    # fetch a purge crosses; with a purge every second, a third of the fetches).
    if (std.real(var.global_get("purged_at"), 0.0) >= std.real(bereq.http.X-Newsroom-Fetch-Start, 0.0)
        && std.time2real(now, 0.0) - std.real(bereq.http.X-Newsroom-Fetch-Start, 0.0) >= 0.9) {
        set beresp.ttl = 0s;
        set beresp.grace = 0s;
    }
    # No return: the builtin rules follow (private, no-store, no-cache, Set-Cookie, Vary: *, a TTL
    # of 0: not cached). The TTL itself is Varnish's reading of s-maxage, else max-age.
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "HIT";
    } else {
        set resp.http.X-Varnish-Cache = "MISS";
    }
    # Tags are for caches, not clients (and a long list would cost every answer a few KB). A CDN in
    # front of Varnish that purges by tag itself would need Cache-Tag: keep that line out then.
    unset resp.http.xkey;
    unset resp.http.Cache-Tag;
    unset resp.http.Surrogate-Key;
    unset resp.http.X-Newsroom-Fetch-Start;
    # Cache-Control goes out as the origin wrote it (s-maxage included: Varnish does not rewrite it).
}

sub vcl_synth {
    if (req.method == "PURGE") {
        # A short plain answer for the CMS's purge log; X-Purged is the number of objects removed.
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        if (resp.status == 200) {
            set resp.http.X-Purged = req.http.xkey-purged;
        }
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}
