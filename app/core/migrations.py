"""Run the Alembic migrations from code (the CLI and the test suite use this)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

_SOURCE_TREE = Path(__file__).resolve().parents[2]


def alembic_config(connection: Connection | None = None) -> Config:
    root = _SOURCE_TREE if (_SOURCE_TREE / "migrations").is_dir() else Path.cwd()
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.attributes["configure_logger"] = False
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(connection: Connection | None = None) -> None:
    """Create or migrate the schema of the configured database (or of `connection`)."""
    command.upgrade(alembic_config(connection), "head")
