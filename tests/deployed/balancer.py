"""Debian's nginx as the load balancer in front of served instances (server.py's ServedApp):
a process of the test's own (`nginx -p DIR -c DIR/nginx.conf -g 'daemon off;'`), its
configuration, pid, logs and temporary files all in a folder of its own, listening on a free
port of 127.0.0.1, configured as app/core/nginx.py writes it. Skipped where nginx is not installed, unless JOBFAIR_NGINX_TESTS=required
(as in .ci/run)."""

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest

from app.core import nginx
from tests.deployed.server import ServedApp, free_port

STARTUP_SECONDS = 10
STOP_SECONDS = 10


def _installed_nginx() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)),
        None,
    )


def _nginx_required() -> bool:
    return os.environ.get("JOBFAIR_NGINX_TESTS") == "required"


@contextmanager
def fronted(app: ServedApp, folder: Path) -> Iterator[ServedApp]:
    """`app` answered through an nginx of its own in front of it, as deployed, where nginx is
    installed or required (JOBFAIR_NGINX_TESTS=required, as in .ci/run); else `app` as is. Its
    `client()` and `base_url` then go through nginx; its restarts keep the port nginx knows."""
    if _installed_nginx() is None and not _nginx_required():
        yield app
        return
    nginx = Balancer(folder, [app.port])
    nginx.start()
    direct, app.base_url = app.base_url, nginx.base_url
    try:
        yield app
    finally:
        app.base_url = direct
        nginx.stop()


def nginx_binary() -> str:
    """nginx's path; skips (or fails, where the nginx tests are required) without it."""
    found = _installed_nginx()
    if found is None:
        missing = "nginx is not installed (apt-get install nginx-light)"
        if _nginx_required():
            pytest.fail(f"the nginx tests are required here, but {missing}")
        pytest.skip(missing)
    return found


class Balancer:
    """nginx in front of the instances listening on `backends` (their ports)."""

    def __init__(self, folder: Path, backends: list[int]) -> None:
        self.binary = nginx_binary()
        self.folder = folder
        self.backends = backends
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.config = folder / "nginx.conf"
        self.config.write_text(nginx.private(folder, self.port, backends))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Starts nginx and waits until its port answers."""
        assert self.process is None or self.process.poll() is not None, "already running"
        log = (self.folder / "nginx.out").open("a")
        self.process = subprocess.Popen(
            [self.binary, "-p", f"{self.folder}/", "-c", str(self.config),
             "-e", str(self.folder / "error.log"), "-g", "daemon off;"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"nginx exited:\n{self.log()}"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"nginx did not start:\n{self.log()}")

    def log(self) -> str:
        return "".join(
            path.read_text(errors="replace")[-3000:]
            for path in (self.folder / "nginx.out", self.folder / "error.log")
            if path.exists()
        )

    def stop(self) -> None:
        """SIGQUIT: nginx finishes the requests in flight, then exits."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(STOP_SECONDS)

    def client(self, token: str | None = None, timeout: float = 60) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)
