"""Eight clients write visits, events and vacancies at the served app (two workers) for a
minute, each with its own token, while ledgers are imported and the server folds; then nothing
is missing or doubled, every figure equals a recount, and every write has its audit row.

Clients behave as they should: every write carries an Idempotency-Key, and a 503 (the
database busy past its bounded wait, Retry-After) or a dropped connection is sent again with
the same key. JOBFAIR_SOAK_SECONDS sets how long they write (60 by default).
"""

import datetime as dt
import itertools
import os
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.deployed.ledger import Registry, everything, imported, retried

SOAK_SECONDS = float(os.environ.get("JOBFAIR_SOAK_SECONDS", "60"))
CAMPAIGN = {"from": "2023-05-01", "to": "2023-08-31"}
MAY = dt.date(2023, 5, 1)
KINDS = ("visits", "events", "vacancies")


@dataclass
class Written:
    """What a client was answered it wrote, by the marker each record carries."""

    visits: dict[str, dict] = field(default_factory=dict)
    events: dict[str, dict] = field(default_factory=dict)
    vacancies: dict[str, dict] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    unavailable: int = 0

    def add(self, other: "Written") -> None:
        """Another client's, to this one's (each client keeps its own while it runs)."""
        for kind in ("visits", "events", "vacancies"):
            getattr(self, kind).update(getattr(other, kind))
        self.deleted |= other.deleted
        self.created += other.created
        self.updated += other.updated
        self.unexpected += other.unexpected
        self.unavailable += other.unavailable


def _day(rng: random.Random) -> str:
    return str(MAY + dt.timedelta(days=rng.randrange(120)))


class Writer:
    """One client: creates records of its own, changes and deletes some, until `until`."""

    def __init__(self, name: str, client, registry: Registry, reach: dict, written: Written):
        self.name, self.client, self.registry = name, client, registry
        self.reach, self.written = reach, written
        self.rng = random.Random(name)
        self.numbers = itertools.count()
        self.mine: list[tuple[str, str, int]] = []  # (kind, marker, id)

    def run(self, until: float) -> None:
        actions = [self.visit, self.event, self.vacancy, self.change, self.delete]
        weights = [3, 2, 3, 2, 1]
        if self.reach.get("province"):  # a department: no visits
            actions, weights = actions[1:], weights[1:]
        while time.monotonic() < until:
            self.rng.choices(actions, weights)[0]()

    def _send(self, method: str, url: str, expected: int, **options):
        outcome = retried(self.client, method, url, **options)
        self.written.unavailable += outcome.unavailable
        if outcome.response.status_code != expected:
            self.written.unexpected.append(f"{method} {url}: {outcome.response.text[:300]}")
            return None
        return outcome.response

    def _marker(self) -> str:
        return f"{self.name}-{next(self.numbers)}"

    def _university(self) -> str | None:
        if "university" in self.reach:
            return None  # its own, from its token
        if "province" in self.reach:
            return None
        return self.rng.choice(self.registry.universities)

    def visit(self) -> None:
        marker = self._marker()
        body = {
            "university_code": self.reach.get("university") or self._university(),
            "employer_uscc": self.rng.choice(self.registry.employers),
            "visit_date": _day(self.rng),
            "positions_opened": self.rng.randrange(0, 40),
            "notes": marker,
        }
        self._created("visits", "/api/v1/visits", marker, body)

    def event(self) -> None:
        marker = self._marker()
        start = _day(self.rng)
        body = {
            "title": marker,
            "kind": self.rng.choice(["job_fair", "info_session", "livestream"]),
            "mode": "onsite",
            "start_date": start,
            "end_date": start,
            "province": self.reach.get("province") or "11",
            "attendance": self.rng.randrange(0, 500),
            "participants": self.rng.sample(self.registry.employers, 3),
        }
        if "university" in self.reach:
            body["province"] = self.registry.province_of(self.reach["university"])
        elif "province" not in self.reach:
            body["university_code"] = self.rng.choice(self.registry.universities)
            body["province"] = self.registry.province_of(body["university_code"])
        self._created("events", "/api/v1/events", marker, body)

    def vacancy(self) -> None:
        marker = self._marker()
        body = {
            "employer_uscc": self.rng.choice(self.registry.employers),
            "title": marker,
            "headcount": self.rng.randrange(1, 20),
            "posted_date": _day(self.rng),
            "source": "direct",
        }
        if "university" not in self.reach and "province" not in self.reach:
            body["university_code"] = self.rng.choice(self.registry.universities)
        self._created("vacancies", "/api/v1/vacancies", marker, body)

    def _created(self, kind: str, url: str, marker: str, body: dict) -> None:
        response = self._send("POST", url, 201, json=body)
        if response is not None:
            record = response.json()
            getattr(self.written, kind)[marker] = record
            self.written.created[kind] += 1
            self.mine.append((kind, marker, record["id"]))

    def change(self) -> None:
        if not self.mine:
            return
        kind, marker, record_id = self.rng.choice(self.mine)
        measure = {"visits": "positions_opened", "events": "attendance", "vacancies": "headcount"}
        change = {measure[kind]: self.rng.randrange(1, 50)}
        response = self._send("PATCH", f"/api/v1/{kind}/{record_id}", 200, json=change)
        if response is not None:
            getattr(self.written, kind)[marker] = response.json()
            self.written.updated[kind] += 1

    def delete(self) -> None:
        vacancies = [entry for entry in self.mine if entry[0] == "vacancies"]
        if not vacancies:
            return
        entry = self.rng.choice(vacancies)
        if self._send("DELETE", f"/api/v1/vacancies/{entry[2]}", 204) is not None:
            self.mine.remove(entry)
            self.written.deleted.add(entry[1])
            self.written.vacancies.pop(entry[1])


class Importer:
    """Ledgers of vacancies and visits sent every few seconds by national staff (sent again,
    with the same Idempotency-Key, when answered 503, as the writers' requests are)."""

    def __init__(self, client, registry: Registry) -> None:
        self.client, self.registry = client, registry
        self.vacancies: dict[str, int] = {}
        self.visits: dict[str, int] = {}

    def run(self, until: float) -> None:
        for number in itertools.count():
            if time.monotonic() >= until:
                return
            prefix = f"IMP{number}"
            self.vacancies[prefix] = self._vacancies(prefix, 1_000)
            self.visits[prefix] = self._visits(prefix, 100)
            time.sleep(2)

    def _vacancies(self, prefix: str, rows: int) -> int:
        employers, universities = self.registry.employers, self.registry.universities
        ledger = [
            [employers[n % 48], f"导入岗位{n % 7}", 1 + n % 5, str(MAY + dt.timedelta(days=n % 120)),
             "就业平台", universities[n % 8], f"{prefix}-{n}"]
            for n in range(rows)
        ]  # fmt: skip
        return imported(self.client, "vacancies", ledger, "csv", busy=True)["rows_written"]

    def _visits(self, prefix: str, rows: int) -> int:
        employers, universities = self.registry.employers, self.registry.universities
        ledger = [
            [universities[n % 8], employers[(n * 7) % 48], str(MAY + dt.timedelta(days=n % 100)),
             n % 30, "校领导", f"{prefix}-{n}"]
            for n in range(rows)
        ]  # fmt: skip
        return imported(self.client, "visits", ledger, "xlsx", busy=True)["rows_written"]


def _clients(served, registry: Registry) -> list[tuple[str, str, dict]]:
    """Eight writers: four universities, two provinces' departments, two national staff."""
    reaches = [{"university": code} for code in registry.universities[:4]]
    reaches += [{"province": "44"}, {"province": "51"}, {}, {}]
    clients = []
    for number, reach in enumerate(reaches):
        role = "university" if "university" in reach else "province" if reach else "national"
        clients.append((f"C{number}", served.token(role, f"client {number}", **reach), reach))
    return clients


def _run_side_by_side(served, national: str, registry: Registry) -> tuple[Written, Importer]:
    written, each = Written(), []
    until = time.monotonic() + SOAK_SECONDS
    failures: list[BaseException] = []
    importer_client = served.client(national)
    importer = Importer(importer_client, registry)
    sessions = [importer_client]
    threads = [threading.Thread(target=_guarded(importer.run, failures), args=(until,))]
    for name, token, reach in _clients(served, registry):
        client = served.client(token)
        sessions.append(client)
        writer = Writer(name, client, registry, reach, Written())
        each.append(writer.written)
        threads.append(threading.Thread(target=_guarded(writer.run, failures), args=(until,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SOAK_SECONDS + 600)
    for client in sessions:
        client.close()
    assert not failures, failures
    for part in each:
        written.add(part)
    return written, importer


def _guarded(run, failures: list):
    def guarded(until: float) -> None:
        try:
            run(until)
        except BaseException as error:
            failures.append(error)

    return guarded


def _by_marker(records: list[dict], field: str) -> Counter:
    return Counter(record[field] for record in records)


def _check_nothing_missing_or_doubled(client, written: Written, importer: Importer) -> None:
    visits = everything(client, "/api/v1/visits")
    events = everything(client, "/api/v1/events")
    vacancies = everything(client, "/api/v1/vacancies")
    for kind, records, field_name in [
        ("visits", visits, "notes"),
        ("events", events, "title"),
        ("vacancies", vacancies, "title"),
    ]:
        expected = getattr(written, kind)
        found = _by_marker(records, field_name)
        assert {marker: found[marker] for marker in expected} == dict.fromkeys(expected, 1), kind
        by_marker = {record[field_name]: record for record in records}
        assert {m: by_marker[m] for m in expected} == expected, f"{kind} differ from answers"
    assert not written.deleted & {v["title"] for v in vacancies}
    for prefix, rows in importer.vacancies.items():
        refs = [v for v in vacancies if (v["external_ref"] or "").startswith(f"{prefix}-")]
        assert len(refs) == rows == 1_000, prefix
    for prefix, rows in importer.visits.items():
        refs = [v for v in visits if (v["external_ref"] or "").startswith(f"{prefix}-")]
        assert len(refs) == rows == 100, prefix


def _recounted_from(client) -> dict:
    """The campaign's figures counted here, from every record the API lists."""
    visits = [v for v in everything(client, "/api/v1/visits", **CAMPAIGN)]
    events = everything(client, "/api/v1/events", **CAMPAIGN)
    vacancies = everything(client, "/api/v1/vacancies", **CAMPAIGN)
    return {
        "universities_visiting": len({v["university_code"] for v in visits}),
        "enterprises_visited": len({v["employer_uscc"] for v in visits}),
        "visits": len(visits),
        "positions_opened": sum(v["positions_opened"] for v in visits),
        "events": len(events),
        "employers_at_events": len({p for e in events for p in e["participants"]}),
        "attendances": sum(e["attendance"] or 0 for e in events),
        "postings": len(vacancies),
        "headcount": sum(v["headcount"] for v in vacancies),
    }


def _wait_until_folded(served) -> None:
    deadline = time.monotonic() + 120
    while served.database.scalar("SELECT count(*) FROM stat_pending_vacancies"):
        assert time.monotonic() < deadline, "the server did not fold the imported vacancies"
        time.sleep(0.5)


def _audited(client, action: str, resource: str) -> int:
    params = {"action": action, "resource": resource, "limit": 1}
    return client.get("/api/v1/audit", params=params).json()["total"]


def test_eight_clients_imports_and_the_fold_side_by_side(served, national, registry):
    audited = [(action, kind) for action in ("create", "update") for kind in KINDS]
    with served.client(national) as client:
        before = {entry: _audited(client, *entry) for entry in audited}
    written, importer = _run_side_by_side(served, national, registry)
    print(
        f"written in {SOAK_SECONDS:.0f} s: {dict(written.created)} created, "
        f"{dict(written.updated)} changed, {len(written.deleted)} deleted, "
        f"{written.unavailable} answers 503 (sent again); imported: "
        f"{len(importer.vacancies)} vacancy and {len(importer.visits)} visit ledgers"
    )
    assert not written.unexpected, written.unexpected[:5]
    assert sum(written.created.values()) > 100, written.created
    assert importer.vacancies and importer.visits
    _wait_until_folded(served)
    with served.client(national) as client:
        _check_nothing_missing_or_doubled(client, written, importer)
        kept = client.get("/api/v1/stats/summary", params=CAMPAIGN).json()["figures"]
        by_province = client.get("/api/v1/stats/breakdown", params={**CAMPAIGN, "by": "province"})
        assert kept == _recounted_from(client)
        served.run("recount")
        assert client.get("/api/v1/stats/summary", params=CAMPAIGN).json()["figures"] == kept
        recounted = client.get("/api/v1/stats/breakdown", params={**CAMPAIGN, "by": "province"})
        assert recounted.json() == by_province.json()
        counts = {"create": written.created, "update": written.updated}
        for action, kind in audited:
            rows = _audited(client, action, kind) - before[action, kind]
            assert rows == counts[action][kind], (action, kind)
    log = served.log()
    assert "Traceback" not in log and " 500 " not in log, log[-3000:]
