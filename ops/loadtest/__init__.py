"""
Load and fault test of the production stack on this machine: gunicorn with the production
settings, PostgreSQL and Redis, driven by locust with mixed frontend traffic (ops/locustfile.py).

    python -m ops.loadtest                                  # every scenario, 60 s each
    python -m ops.loadtest --scenario steady --users 20 --duration 30
    make loadtest LOADTEST_ARGS="--scenario redis-stop"

Scenarios:
  steady            mixed traffic for --duration seconds
  postgres-restart  the same, with PostgreSQL stopped at --fault-at for --pg-outage seconds
                    (at most 8) and started again: requests meanwhile should get a clean 503 JSON
                    answer, and the app must recover by itself
  redis-stop        the same, with Redis shut down at --fault-at for --redis-outage seconds and
                    started again with its own configuration: the app should go on, uncached

In every scenario an editor (ops/publisher.py) publishes a revision every --publish-every
seconds through the ORM; afterwards every revision it was told was saved must exist. It also
unpublishes a watched page every --unpublish-every seconds (and publishes it again --hidden-for
seconds later), which readers ask for by slug: the report says how long after the commit a reader
still got it.

With --varnish, readers go through Varnish (ops/varnish/newsroom.vcl, on a free loopback port) in
front of --servers app servers (round robin), send their reads as GET, and the app servers purge
it (VARNISH_PURGE_URLS); the report adds Varnish's hit ratio (varnishstat) and the origin's
requests per second and cache hits:

    python -m ops.loadtest --scenario steady --varnish --servers 2

Everything stays on loopback and is bounded: a throwaway database newsroom_load_<pid> (migrated,
demo content plus --news generated pages), gunicorn on a free 127.0.0.1 port, Redis database
--redis-db (flushed), and locust for a fixed time. Whatever happens, stopped services are started
again, gunicorn and Varnish are stopped and the database dropped. Prints Markdown tables; the JSON
summary, locust's CSV files and the logs go to ops/.results/. See docs/load-testing.md.
"""
