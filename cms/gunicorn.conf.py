"""gunicorn settings for `make serve`; each can be overridden from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
# One request at a time per worker (gunicorn's sync worker). Requests are CPU-bound Python: more
# threads in a worker only take turns on one core under the GIL, and a worker holding several
# keep-alive connections leaves the other cores idle. Measured with `make bench-peers` (list of 50,
# 8 connections, 2 cores): 4 threads p95 177 ms, 87 req/s; 1 thread p95 96 ms, 100 req/s. Slow
# clients are nginx's to buffer (ops/nginx/newsroom.conf), not a worker's.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Recycling a worker throws away what it keeps in memory (prepared documents, the frozen heap):
# at 2,000 a worker was replaced every 1-3 s at cached rates. 50,000 still bounds a slow leak
# (a worker serving 700 cached answers a second lives about 70 s; at uncached rates, hours);
# 0 turns recycling off.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# Load the application once, before forking: workers share its memory (cms.wsgi freezes it).
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "cms.wsgi:application"
raw_env = [f"DJANGO_SETTINGS_MODULE={os.environ.get('DJANGO_SETTINGS_MODULE', 'cms.settings.production')}"]
