import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.core.db import make_engine
from app.models import Base


def test_migrations_build_exactly_the_models(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    assert compare_metadata(context, Base.metadata) == []


def test_sqlite_enforces_foreign_keys_and_uses_wal(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_sqlite_foreign_key_violation_is_refused_by_the_database(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fk.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
        connection.execute(
            text("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id REFERENCES parent(id))")
        )
    with engine.connect() as connection, pytest.raises(IntegrityError):
        connection.execute(text("INSERT INTO child (parent_id) VALUES (42)"))
    engine.dispose()


def test_a_replica_is_a_postgresql_one_named_in_the_error():
    from pydantic import ValidationError

    from app.core.settings import Settings

    replica = Settings(database_replica_url="postgres://postgres@127.0.0.1:5433/test")
    assert replica.database_replica_url == "postgresql+psycopg://postgres@127.0.0.1:5433/test"
    with pytest.raises(ValidationError, match="DATABASE_REPLICA_URL must be a PostgreSQL"):
        Settings(database_replica_url="sqlite:///replica.db")


def test_without_a_replica_reads_are_the_requests_own(session_factory):
    from app.core.replica import choose

    assert choose(session_factory) == (session_factory, None)


def test_a_replica_that_does_not_answer_is_left_alone_for_a_while(session_factory, monkeypatch):
    import time

    from app.core import replica
    from app.core.settings import get_settings

    unreachable = "postgresql+psycopg://postgres@127.0.0.1:1/test"
    monkeypatch.setattr(get_settings(), "database_replica_url", unreachable)
    monkeypatch.setattr(replica, "_primary_position", lambda: "0/0")
    monkeypatch.setattr(replica, "_unanswered", replica._Unanswered())
    replica._replica_engine.cache_clear()
    replica._replica_sessionmaker.cache_clear()
    try:
        primary = (session_factory, replica.ReadFrom("primary"))
        assert replica.choose(session_factory) == primary
        assert replica._unanswered.until > time.monotonic() + replica.RETRY_SECONDS - 1
        monkeypatch.setattr(replica, "_replica_lag_once_caught_up", lambda target: 1 / 0)
        assert replica.choose(session_factory) == primary  # not asked again meanwhile
    finally:
        replica._replica_engine.cache_clear()
        replica._replica_sessionmaker.cache_clear()
