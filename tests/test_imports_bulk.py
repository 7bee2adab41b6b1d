"""A vacancies ledger loaded into an empty table: on PostgreSQL its plain indexes and foreign
keys are built once at the end (app/imports/bulk.py, `indexes_deferred`). Whatever the import's
fate, the table is left as the models define it."""

from sqlalchemy import func, inspect, select, text

from app.imports import bulk, service, writers
from app.vacancies.models import Vacancy
from tests import factories as f
from tests.test_imports import USCC, _registered, csv_bytes, finished, send, vacancy_rows

NOBODY = f.make_uscc(9999, "11")  # an employer never registered


def table_keys(session) -> tuple[set[str], set[str]]:
    """The vacancies table's index and foreign-key names, as the database has them."""
    inspector = inspect(session.connection())
    indexes = {
        index["name"]
        for index in inspector.get_indexes("vacancies")
        if not index.get("duplicates_constraint")  # a unique key's own index, on PostgreSQL
    }
    foreign_keys = {key["name"] for key in inspector.get_foreign_keys("vacancies")}
    return indexes, foreign_keys


def defined_keys() -> tuple[set[str], set[str]]:
    table = Vacancy.__table__
    indexes = {index.name for index in table.indexes}
    foreign_keys = {key.name for key in table.foreign_key_constraints}
    return indexes, foreign_keys


def vacancies(session) -> int:
    return session.scalar(select(func.count()).select_from(Vacancy))


def test_an_import_into_an_empty_table_leaves_its_indexes_and_keys_as_defined(client, session):
    _registered(client)
    assert vacancies(session) == 0
    job = finished(client, send(client, "vacancies", csv_bytes(vacancy_rows(7))))
    assert (job["status"], job["rows_written"]) == ("succeeded", 7), job
    assert vacancies(session) == 7
    assert table_keys(session) == defined_keys()
    # The ids were taken as one block: the next vacancy gets the one after them.
    imported = session.scalar(select(func.max(Vacancy.id)))
    after = f.created(client.post("/api/v1/vacancies", json=f.vacancy(USCC[0])))
    assert after["id"] == imported + 1


def test_a_rejected_import_into_an_empty_table_restores_them(client, session, monkeypatch):
    monkeypatch.setattr(service, "BATCH_ROWS", 2)  # the bad row comes after rows were written
    _registered(client)
    rows = vacancy_rows(7)
    rows[7][0] = NOBODY
    job = finished(client, send(client, "vacancies", csv_bytes(rows)))
    assert (job["status"], job["error_count"], job["errors"][0]["row"]) == ("rejected", 1, 8)
    assert vacancies(session) == 0
    assert table_keys(session) == defined_keys()


def test_a_reference_that_slips_past_the_checks_is_caught_by_the_rebuilt_keys(
    client, session, monkeypatch
):
    # The import checks references itself; the database's own foreign keys are the last word.
    # (On SQLite they are never dropped: there the insert itself is refused.)
    monkeypatch.setattr(writers.VacanciesWriter, "check", lambda self, rows: [])
    known = writers._Known.lookup
    monkeypatch.setattr(
        writers._Known, "lookup", lambda self, keys: known(self, list(keys)) | {NOBODY: "11"}
    )
    _registered(client)
    rows = vacancy_rows(3)
    rows[2][0] = NOBODY
    job = finished(client, send(client, "vacancies", csv_bytes(rows)))
    assert (job["status"], job["error_count"]) == ("rejected", 1), job
    [error] = job["errors"]
    assert error["reason"].startswith("与文件中其他行或已有记录冲突"), error
    if session.connection().dialect.name == "postgresql":  # found as the keys are rebuilt
        expected = (1, f"Key (employer_uscc)=({NOBODY}) is not present in table")
    else:  # refused as the row is inserted
        expected = (2, "FOREIGN KEY constraint failed")
    assert error["row"] == expected[0] and expected[1] in error["reason_en"], error
    assert vacancies(session) == 0
    assert table_keys(session) == defined_keys()


def test_a_load_does_not_take_the_empty_table_while_a_table_it_refers_to_is_in_use(committed):
    # A writer that has read an employer and will insert a vacancy next: a load that took the
    # vacancies table, then waited for employers to drop its foreign key, would deadlock with it.
    with committed() as writer, committed() as loader:
        writer.execute(text("SELECT count(*) FROM employers"))  # holds its lock till the end
        if loader.connection().dialect.name == "postgresql":
            loader.execute(text("SET LOCAL lock_timeout = '2s'"))
        deferred = bulk.indexes_deferred(loader, Vacancy.__table__, ["employer_uscc", "title"])
        assert deferred is None
        assert table_keys(loader) == defined_keys()
        loader.rollback()
        writer.rollback()
