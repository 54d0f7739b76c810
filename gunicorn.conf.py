"""gunicorn settings for `make serve` and production. Each can be overridden by environment."""

import multiprocessing
import os

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

# Query strings on their own (no "?" in front), as the %(q)s and %({query_string}e)s atoms give.
_QUERY_ATOMS = ("q", "{query_string}e")


class RedactingLogger(Logger):
    """Access log lines carry no invitation token and no searched name.

    Every atom a log format can name is redacted, not only the request line: the referer, a
    redirect's Location and the environment hold URLs too. A query keeps only the values of
    parameters that cannot hold a name (status, page, ...); see intake/logging.py.
    """

    def atoms(self, resp, req, environ, request_time):
        # Imported here, not at the top: this file is read before gunicorn puts the project's
        # folder on the import path; by the first request the app (preloaded) has loaded it.
        from intake.logging import redact, redact_query

        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str):
                atoms[key] = redact_query(value) if key in _QUERY_ATOMS else redact(value)
        return atoms


logger_class = RedactingLogger
