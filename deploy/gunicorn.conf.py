"""gunicorn for Hegui Academy: `gunicorn -c deploy/gunicorn.conf.py lms.wsgi:application`.

Sync workers (the exam's requests are short and database-bound): two per core, set by
GUNICORN_WORKERS. Each worker holds at most one PostgreSQL connection (through PgBouncer in
production, see docs/deployment.md). Settings from the environment so one file serves every
node; the bench (bench/exam_day.py) runs with this file too."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
# Behind nginx (which buffers slow clients), a request is a few database round trips; one that
# takes 30 s is stuck: the master replaces the worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 2
# Recycle workers now and then (memory growth of a long-lived Django process), staggered.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
backlog = 2048
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "hegui-web"
