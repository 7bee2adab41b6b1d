"""Two `jobfair serve` instances (two workers each) on one database, behind Debian's nginx
(balancer.py), every request through nginx's port: a token or a sign-in made on one instance is
honoured by both, and both answer; the instances share SECRET_KEY, PERSONAL_DATA_KEYS,
IMPORT_DIR and the rate limits' Redis, so a graduate written through one is found by the other,
a rejected import's error sheet is served by either, and a token's limit holds whichever
answers; one instance killed while a client writes loses no acknowledged write,
and reads go on being answered by the other."""

import threading
import time
import uuid
from collections.abc import Iterator

import httpx2 as httpx
import pytest
from cryptography.fernet import Fernet

from tests import factories as f
from tests.deployed.ledger import encoded, job_ended, send
from tests.deployed.server import ServedApp, running
from tests.redis_service import redis_url

API = "/api/v1"
LIMIT = 60
PASSWORD = "correct horse battery staple"
UNIVERSITY = "4144010561"  # 华南理工大学


@pytest.fixture(scope="module")
def instances(database, tmp_path_factory) -> Iterator[list[ServedApp]]:
    settings = {
        # the kept files of rejected imports, read for their error sheets by either instance
        "IMPORT_DIR": str(tmp_path_factory.mktemp("imports")),
        "RATE_LIMIT_STORAGE_URL": redis_url(),
        "RATE_LIMIT_PER_MINUTE": str(LIMIT),
        "SECRET_KEY": Fernet.generate_key().decode() * 2,  # one key, not one an instance
        "PERSONAL_DATA_KEYS": Fernet.generate_key().decode(),
    }
    both = [ServedApp(tmp_path_factory.mktemp("instance"), database, **settings) for _ in "ab"]
    with running(both):
        yield both


@pytest.fixture(scope="module")
def national(instances) -> str:
    """For setting up (within LIMIT requests in all); each test makes the tokens it counts."""
    return instances[0].token("national", "balanced tests")


@pytest.fixture(scope="module")
def university(balancer, national) -> str:
    with balancer.client(national) as admin:
        made = admin.post(
            f"{API}/universities", json=f.university(UNIVERSITY, "华南理工大学", "44")
        )
        assert made.status_code == 201, made.text
    return UNIVERSITY


def _new_token(instance: ServedApp, national: str, **grant: str) -> str:
    """A token made through `instance` itself, not through nginx."""
    with instance.client(national) as admin:
        made = admin.post(f"{API}/auth/tokens", json={"name": uuid.uuid4().hex[:12], **grant})
    assert made.status_code == 201, made.text
    return made.json()["token"]


def _served(instance: ServedApp, marker: str) -> int:
    """How many requests whose address holds `marker` the instance logged."""
    return sum(marker in line for line in instance.log().splitlines())


def test_tokens_and_sign_ins_of_one_instance_are_answered_by_both(instances, balancer, national):
    first = instances[0]
    token = _new_token(first, national, role="reader")
    first.run("account", "create", "--username", "balanced", "--role", "national",
              "--password", PASSWORD)  # fmt: skip
    with first.client() as anonymous:
        signed = anonymous.post(
            f"{API}/auth/login", json={"username": "balanced", "password": PASSWORD}
        )
    assert signed.status_code == 200, signed.text
    sign_in = signed.json()["access_token"]  # signed with the first instance's SECRET_KEY

    marker = uuid.uuid4().hex
    for credential in (token, sign_in):
        with balancer.client(credential) as client:
            answers = [
                client.get(f"{API}/auth/me", params={"seen": f"{marker}-{n}"}) for n in range(8)
            ]
        assert [answer.status_code for answer in answers] == [200] * 8, answers[-1].text
    assert answers[0].json()["name"] == "balanced"
    # nginx handed the requests to both instances in turn
    assert [_served(instance, marker) for instance in instances] == [8, 8]


def test_personal_data_written_through_one_is_found_by_the_other(
    instances, balancer, national, university
):
    office = _new_token(instances[1], national, role="university", university_code=university)
    graduate = f.graduate(cohort=2023)
    with balancer.client(office) as client:
        entered = client.post(f"{API}/assisted-graduates", json=graduate)
    assert entered.status_code == 201, entered.text
    lookup = {"id_number": graduate["id_number"], "cohort": 2023}
    for instance in instances:  # the number's lookup hash is made with PERSONAL_DATA_KEYS
        with instance.client(office) as client:
            found = client.post(f"{API}/assisted-graduates/lookup", json=lookup)
        assert found.status_code == 200, found.text
        assert [each["id"] for each in found.json()] == [entered.json()["id"]]


def test_a_rejected_imports_error_sheet_is_served_by_both(instances, balancer, national):
    rows = [["4151010614", "电子科技大学", "51"], ["not a code", "某大学", "51"]]
    content, name = encoded("universities", rows, "csv")
    with balancer.client(national) as client:
        sent = send(client, "universities", content, name)
        assert sent.status_code == 202, sent.text
        job = job_ended(client, sent.json()["id"])
    assert job["status"] == "rejected", job
    for instance in instances:  # the file is kept in the IMPORT_DIR both instances share
        with instance.client(national) as client:
            sheet = client.get(f"{API}/imports/{job['id']}/errors")
        assert sheet.status_code == 200, sheet.text


def test_a_tokens_limit_holds_through_nginx_over_both_instances(instances, balancer, national):
    token = _new_token(instances[0], national, role="reader")
    marker = uuid.uuid4().hex
    with balancer.client(token) as client:
        answers = [
            client.get(f"{API}/reference/provinces", params={"seen": marker}).status_code
            for _ in range(LIMIT + 4)
        ]
    assert answers == [200] * LIMIT + [429] * 4
    assert all(_served(instance, marker) >= LIMIT // 2 for instance in instances)


def test_an_instance_killed_while_a_client_writes_loses_no_acknowledged_write(
    instances, balancer, national, university
):
    employer = f.employer(province="44")
    with balancer.client(national) as admin:
        assert admin.post(f"{API}/employers", json=employer).status_code == 201
    before, after, reader = (_new_token(instances[1], national, role="national") for _ in range(3))
    written: list[tuple[str, int | None, int | None]] = []  # (phase, status, id)
    killed = threading.Event()

    def write(client: httpx.Client, phase: str, n: int) -> None:
        body = f.visit(university, employer["uscc"], notes=f"failover {phase} {n}")
        try:
            answer = client.post(f"{API}/visits", json=body)
        except httpx.TransportError:
            written.append((phase, None, None))
            return
        made = answer.json()["id"] if answer.status_code == 201 else None
        written.append((phase, answer.status_code, made))

    def write_until_killed() -> None:
        with balancer.client(before, timeout=20) as client:
            for n in range(LIMIT - 5):
                if killed.is_set():
                    return
                write(client, "before", n)

    reads: list[int] = []

    def read_across_the_kill() -> None:
        with balancer.client(reader, timeout=20) as client:
            for _ in range(30):
                reads.append(client.get(f"{API}/visits", params={"limit": 1}).status_code)
                time.sleep(0.02)

    writer = threading.Thread(target=write_until_killed)
    writer.start()
    deadline = time.monotonic() + 30
    while sum(status == 201 for _, status, _ in written) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    readers = threading.Thread(target=read_across_the_kill)
    readers.start()
    try:
        instances[0].kill()
        killed.set()
        writer.join(30)
        with balancer.client(after, timeout=20) as client:
            for n in range(10):
                write(client, "after", n)
        readers.join(30)

        acknowledged = {made for _, status, made in written if status == 201}
        with balancer.client(reader) as client:
            listed = client.get(
                f"{API}/visits", params={"university_code": university, "limit": 1000}
            )
            assert listed.status_code == 200, listed.text
            stored = {visit["id"] for visit in listed.json()["items"]}
            for _, _, made in written[-5:]:
                assert client.get(f"{API}/visits/{made}").status_code == 200
    finally:
        instances[0].start()  # for whatever runs after, on the module's instances

    assert sum(phase == "before" and status == 201 for phase, status, _ in written) >= 5
    assert [status for phase, status, _ in written if phase == "after"] == [201] * 10, written
    assert acknowledged <= stored, written  # nothing answered 201 was lost
    # a write that was not answered may have committed; none was made twice
    unanswered = sum(status != 201 for _, status, _ in written)
    assert len(acknowledged) <= len(stored) <= len(acknowledged) + unanswered
    assert reads == [200] * 30  # a read in flight on the killed instance went to the other
