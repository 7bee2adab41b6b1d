"""A fresh database per test session, built by the migrations; each test runs inside a
transaction that is rolled back, so no test sees another's rows.

TEST_DATABASE_URL chooses the server: unset, a SQLite file in a temporary folder; a
postgresql+psycopg:// URL, a new database created on that server (and dropped afterwards).
"""

import logging
import os
import secrets
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from cryptography.fernet import Fernet
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

# Sign-in tokens are signed with a key of the test run's own, not one kept in the working folder.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
# The app's own database setting names a file of the run's own: what the processes of a machine
# share by it (the epochs of app/core/epochs.py) is then this run's alone.
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/jobfair-tests-{uuid.uuid4().hex[:12]}.db"
)
# Personal data is encrypted with a key of the run's own, too.
os.environ.setdefault("PERSONAL_DATA_KEYS", Fernet.generate_key().decode())

import httpx2

from app.auth import known, limits
from app.auth import service as auth_service
from app.auth.schemas import TokenCreate
from app.core import answers
from app.core.db import Base, get_session, get_session_factory, make_engine, transactional_session
from app.core.migrations import upgrade_to_head
from app.main import create_app
from tests import leaks


def _create_postgres_database(url: str) -> tuple[str, str]:
    server = make_url(url)
    name = f"jobfair_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server.render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False), name


def _drop_postgres_database(url: str, name: str) -> None:
    admin = make_engine(url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def _migrated_database(folder) -> Iterator[Engine]:
    """A new database (a SQLite file in `folder`, or one on TEST_DATABASE_URL's server), built
    by the migrations, dropped afterwards."""
    server_url = os.environ.get("TEST_DATABASE_URL", "")
    if server_url.startswith("postgresql"):
        url, name = _create_postgres_database(server_url)
    else:
        url, name = f"sqlite:///{folder / 'test.db'}", None
    engine = make_engine(url)
    with engine.begin() as connection:
        upgrade_to_head(connection)
    yield engine
    engine.dispose()
    if name:
        _drop_postgres_database(server_url, name)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with _migrated_database(tmp_path_factory.mktemp("db")) as engine:
        yield engine


@pytest.fixture(scope="module")
def committing_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database of the module's own, for tests whose transactions really commit (concurrent
    writers), built by the migrations."""
    with _migrated_database(tmp_path_factory.mktemp("committing")) as engine:
        yield engine


@pytest.fixture
def committed(committing_engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions whose transactions really commit, on the module's own database, emptied after
    the test."""
    yield sessionmaker(committing_engine, expire_on_commit=False)
    with committing_engine.begin() as connection:
        leaks.LEAKS.scan_database("a committing test's database", connection)
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def committing_client(committed: sessionmaker[Session]) -> TestClient:
    """The app over a database whose requests really commit, each in its own transaction."""

    def committing_session(request: Request) -> Iterator[Session]:
        yield from transactional_session(committed, writing=request.method != "GET")

    app = create_app(background_work=False)
    app.dependency_overrides[get_session] = committing_session
    app.dependency_overrides[get_session_factory] = lambda: committed
    token = make_token(committed)
    return TestClient(
        app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {token}"}
    )


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    # Sessions commit and roll back SAVEPOINTs inside the test's outer transaction.
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture(scope="session")
def app_client() -> Iterator[TestClient]:
    # One app and one client for the whole run; each test points it at its own transaction.
    with TestClient(
        create_app(background_work=False), raise_server_exceptions=False
    ) as test_client:
        yield test_client


@pytest.fixture(scope="session", autouse=True)
def _watch_for_personal_data() -> Iterator[None]:
    """Every answer and log record of the run is scanned (tests/leaks.py)."""
    leaks.watch_responses(httpx2.Client)
    handler = leaks.LogScan(level=logging.DEBUG)
    logging.getLogger().addHandler(handler)
    yield
    logging.getLogger().removeHandler(handler)


_MADE_BEFORE = pytest.StashKey[int]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    item.stash[_MADE_BEFORE] = len(leaks.SENSITIVE)
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Once the test has run, before any fixture rolls its work back: every row of its
    database is scanned, if it made any personal data."""
    yield
    connection = getattr(item, "funcargs", {}).get("connection")
    if connection is not None and len(leaks.SENSITIVE) > item.stash.get(_MADE_BEFORE, 0):
        leaks.LEAKS.scan_database("the test's database", connection)


@pytest.fixture(autouse=True)
def _no_personal_data_leaks() -> Iterator[None]:
    """Fails the test if anything it produced (an answer, a log record, a row of its
    database) holds a full ID number or phone it made."""
    leaks.LEAKS.take()
    yield
    found = leaks.LEAKS.take()
    assert not found, f"personal data in the clear: {found[:5]}"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    limits.reset()
    yield


@pytest.fixture(autouse=True)
def _nothing_kept_from_other_tests() -> None:
    """Each test's database is its own (the last one's rolled back, around the service): what
    the app keeps in memory of the last one's is let go."""
    answers.cache().clear()
    known.forget_all()


def make_token(
    session_factory: sessionmaker[Session],
    role: str = "national",
    *,
    province: str | None = None,
    university_code: str | None = None,
    name: str = "test",
) -> str:
    """A new API token (its secret) of `role` and reach, as `jobfair token create` makes."""
    with session_factory.begin() as session:
        grant = TokenCreate(
            name=name, role=role, province=province, university_code=university_code
        )
        return auth_service.create_token(session, None, grant)[1]


@pytest.fixture
def bearer(session_factory: sessionmaker[Session]):
    """bearer("university", university_code=PKU) -> the Authorization header of a new API
    token of that role and reach, to send with a request: client.get(url, headers=...)."""

    def headers(role: str, **reach) -> dict[str, str]:
        return {"Authorization": f"Bearer {make_token(session_factory, role, **reach)}"}

    return headers


@pytest.fixture
def national_token(session_factory: sessionmaker[Session]) -> str:
    return make_token(session_factory, name="national test token")


@pytest.fixture
def anonymous(
    app_client: TestClient, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    """The app, pointed at the test's transaction, sending no token."""

    def request_session() -> Iterator[Session]:
        yield from transactional_session(session_factory)

    app_client.app.dependency_overrides[get_session] = request_session
    app_client.app.dependency_overrides[get_session_factory] = lambda: session_factory
    yield app_client
    app_client.app.dependency_overrides.clear()


@pytest.fixture
def client(anonymous: TestClient, national_token: str) -> TestClient:
    """The same app, as a national administrator's API token."""
    return TestClient(
        anonymous.app,
        raise_server_exceptions=False,
        headers={"Authorization": f"Bearer {national_token}"},
    )
