"""Start a Redis of one's own on a free loopback port, stop it, freeze it, start it again.

Used by the fault tests and by `make bench`'s outage phase. It keeps nothing on disk, so a
restart is a Redis that lost everything, as after a crash.
"""

from __future__ import annotations

import signal
import subprocess
import time

from .gunicorn_process import free_port


class RedisServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
            except redis.ConnectionError:
                time.sleep(0.05)
                continue
            # The free port may have been taken meanwhile, by another test's Redis: not ours.
            if client.info("server")["process_id"] != self.process.pid:
                self.stop()
                raise RuntimeError(f"port {self.port} was taken by another Redis")
            return
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a frozen one must wake to stop
            self.process.terminate()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        """Stop answering while keeping connections open (a hung server, not a dead one)."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)
