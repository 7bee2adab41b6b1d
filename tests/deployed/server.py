"""The service as it is deployed: `jobfair serve --workers 2` as a process group of its own,
on a database of its own (a SQLite file, or a new PostgreSQL database on TEST_DATABASE_URL's
server), migrated by `jobfair migrate`, with tokens made by `jobfair token create`, driven over
real HTTP. It can be stopped (SIGTERM), killed (SIGKILL to every process) and started again
on the same database.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from app.core.db import make_engine

WORKERS = 2
STARTUP_SECONDS = 60
STOP_SECONDS = 60


def jobfair_command() -> list[str]:
    """The installed `jobfair` script next to this Python, as a user runs it."""
    script = Path(sys.executable).with_name("jobfair")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from app.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Database:
    """A database of the served app's own: a SQLite file in `folder`, or a new database on
    the PostgreSQL server TEST_DATABASE_URL names (dropped by `drop`)."""

    def __init__(self, folder: Path) -> None:
        server = os.environ.get("TEST_DATABASE_URL", "")
        self.postgres = server.startswith("postgresql")
        if self.postgres:
            self.server_url = server
            self.name = f"jobfair_deployed_{uuid.uuid4().hex[:10]}"
            self.url = make_url(server).set(database=self.name).render_as_string(False)
            self._admin(f'CREATE DATABASE "{self.name}"')
        else:
            self.url = f"sqlite:///{folder / 'jobfair.db'}"
        self.engine: Engine = make_engine(self.url)

    def _admin(self, statement: str) -> None:
        admin = make_engine(self.server_url)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(statement))
        admin.dispose()

    def scalar(self, sql: str, **params):
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()

    def drop(self) -> None:
        self.engine.dispose()
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class ServedApp:
    """`jobfair serve` on `database`, run from `folder` (its working directory: uploads,
    the signing key). `database_url` may differ from the database's own (a proxy in front)."""

    def __init__(self, folder: Path, database: Database, **settings: str) -> None:
        self.folder = folder
        self.database = database
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database.url,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "FOLD_EVERY_SECONDS": "1",
            "RATE_LIMIT_PER_MINUTE": "1000000",
            "FAILED_LOGINS_PER_MINUTE": "1000",
            **settings,
        }
        self.env.pop("TEST_DATABASE_URL", None)
        self.process: subprocess.Popen | None = None
        self.log_path = folder / "serve.log"
        self.run("migrate")

    def run(self, *arguments: str, input: str | None = None) -> str:
        """A `jobfair` command on the same database and folder; its standard output."""
        done = subprocess.run(
            [*jobfair_command(), *arguments],
            cwd=self.folder,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"jobfair {' '.join(arguments)}: {done.stdout}{done.stderr}"
        return done.stdout

    def token(self, role: str = "national", name: str = "deployed", **reach: str) -> str:
        options = [f"--{key}={value}" for key, value in reach.items()]
        printed = self.run("token", "create", "--role", role, "--name", name, *options, "--quiet")
        return printed.strip().splitlines()[-1]

    def command(self) -> list[str]:
        return [*jobfair_command(), "serve", "--port", str(self.port), "--workers", str(WORKERS)]

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.folder,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, to kill as a whole
        )
        log.close()
        self._wait_ready(self.log().count("Application startup complete."))

    def _wait_ready(self, started_before: int) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server exited:\n{self.log()[-3000:]}"
            started = self.log().count("Application startup complete.") - started_before
            if started >= WORKERS and self._healthy():
                return
            time.sleep(0.1)
        raise AssertionError(f"the server did not start:\n{self.log()[-3000:]}")

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base_url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def terminate(self, timeout: float = STOP_SECONDS) -> int:
        """SIGTERM to the server (as systemd or docker stop send it); its exit code."""
        self.signal_stop()
        return self.process.wait(timeout)

    def signal_stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL to every process of the server, at once: no clean-up of any kind."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            self.terminate(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()

    def client(self, token: str | None = None, timeout: float = 60) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)


@contextmanager
def running(apps: list[ServedApp]) -> Iterator[list[ServedApp]]:
    """The apps started, and stopped when done."""
    try:
        for app in apps:
            app.start()
        yield apps
    finally:
        for app in apps:
            app.stop()


class ServedWorker(ServedApp):
    """`jobfair worker` on `database`, run from `folder`, as its own process group: started,
    stopped (SIGTERM) and killed as the server is. Its log says which jobs it ran."""

    READY = "worker ready"

    def __init__(self, folder: Path, database: Database, **settings: str) -> None:
        super().__init__(folder, database, **{"BACKGROUND_WORK": "worker", **settings})
        self.log_path = folder / "worker.log"

    def command(self) -> list[str]:
        return [*jobfair_command(), "worker", "--no-migrate"]

    def _wait_ready(self, started_before: int) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the worker exited:\n{self.log()[-3000:]}"
            if self.log().count(self.READY) > self.ready_before:
                return
            time.sleep(0.1)
        raise AssertionError(f"the worker did not start:\n{self.log()[-3000:]}")

    def start(self) -> None:
        self.ready_before = self.log().count(self.READY)
        super().start()

    def ran(self, job_id: int) -> int:
        """How many times this worker began job `job_id`."""
        return self.log().count(f"import job {job_id}: running")
