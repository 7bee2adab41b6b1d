"""The as-deployed tier (see server.py): what runs in other processes, side by side, after the
answer, is proved here against `jobfair serve` itself. Every test here is marked `deployed`:
`pytest -m "not deployed"` runs the fast in-process tests alone."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deployed.balancer import Balancer, fronted
from tests.deployed.ledger import Registry
from tests.deployed.server import Database, ServedApp

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.deployed)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = Database(tmp_path_factory.mktemp("deployed-db"))
    yield database
    database.drop()


@pytest.fixture(scope="module")
def served(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    """The service, served by its own processes on its own migrated database, behind nginx
    (where nginx is installed: always in CI)."""
    app = ServedApp(tmp_path_factory.mktemp("deployed"), database)
    app.start()
    with fronted(app, tmp_path_factory.mktemp("nginx")):
        yield app
    app.stop()


@pytest.fixture(scope="module")
def national(served: ServedApp) -> str:
    return served.token("national", "deployed tests")


@pytest.fixture(scope="module")
def registry(served: ServedApp, national: str) -> Registry:
    """Universities and employers, registered through imports of the served app."""
    registry = Registry()
    with served.client(national) as client:
        registry.register(client)
    return registry


@pytest.fixture(scope="module")
def balancer(instances, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Balancer]:
    """Debian's nginx in front of the module's `instances` (a fixture of the module's own)."""
    nginx = Balancer(tmp_path_factory.mktemp("nginx"), [each.port for each in instances])
    nginx.start()
    yield nginx
    nginx.stop()
