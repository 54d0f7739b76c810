"""gunicorn settings for `make serve` and production. Each can be overridden by environment."""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))  # also bounds a runaway PDF render
graceful_timeout = 20
keepalive = 5
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
# Import the app (every view module too, see intake/wsgi.py) once in the master: a new or
# recycled worker is forked ready to serve, instead of importing the whole stack, WeasyPrint
# included, during its first request. New code therefore needs a restart, not a HUP.
preload_app = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("ACCESS_LOG", "-")
errorlog = "-"
wsgi_app = "intake.wsgi:application"
# gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl): two
# instances on one host would share it, and the first to stop removes it. Nothing here uses it.
control_socket_disable = True

_TOKEN_PATH = re.compile(r"/i/[^/\s\"?]+")


class RedactingLogger(Logger):
    """Access log lines never carry an invitation token (the only private thing in a URL)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = _TOKEN_PATH.sub("/i/[redacted]", atoms[key])
        return atoms


logger_class = RedactingLogger
