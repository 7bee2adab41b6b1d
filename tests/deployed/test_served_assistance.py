"""The ledger of graduates in difficulty in the served app: several offices writing at once,
one person entered twice at once, services counted under concurrency, a reveal by a permitted
officer, key rotation with a restart, de-identification by the command; and then nothing the
service wrote (its log, every row of its database) holds a full number."""

from concurrent.futures import ThreadPoolExecutor

from cryptography.fernet import Fernet

from tests import factories as f
from tests import leaks
from tests.deployed.ledger import Registry

PASSWORD = "correct horse battery staple"
API = "/api/v1"
SICHUAN = "4151010610"  # 四川大学, one of the registry's


def _officer(served) -> str:
    served.run("account", "create", "--username", "scu.officer", "--role", "university",
               "--university", SICHUAN, "--password", PASSWORD,
               "--may-reveal-personal-data")  # fmt: skip
    with served.client() as anonymous:
        signed = anonymous.post(
            f"{API}/auth/login", json={"username": "scu.officer", "password": PASSWORD}
        )
    assert signed.status_code == 200, signed.text
    return signed.json()["access_token"]


def test_offices_at_once_reveal_rotation_and_deidentification(served, registry: Registry):
    university_token = served.token("university", "四川大学就业指导中心", university=SICHUAN)
    officer = _officer(served)
    twice = f.graduate(cohort=2023)

    def enter(body: dict) -> int:
        with served.client(university_token) as client:
            return client.post(f"{API}/assisted-graduates", json=body).status_code

    bodies = [f.graduate(cohort=2023) for _ in range(16)] + [twice, twice]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(enter, bodies))
    assert statuses[:16] == [201] * 16
    assert sorted(statuses[16:]) == [201, 409]

    with served.client(university_token) as client:
        ledger = client.get(f"{API}/assisted-graduates", params={"limit": 100}).json()
        assert ledger["total"] == 17
        first = ledger["items"][0]["id"]

        def serve_once(n: int) -> int:
            with served.client(university_token) as each:
                kind = ["consultation", "resume", "referral"][n % 3]
                body = {"graduate_id": first, "kind": kind, "service_date": "2023-06-01",
                        "provider": "王老师"}  # fmt: skip
                return each.post(f"{API}/assistance-services", json=body).status_code

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(serve_once, range(24))) == {201}
        shown = client.get(f"{API}/assisted-graduates/{first}").json()
        assert shown["services"]["consultation"] == 8
        assert shown["services"]["referral"] == 8
        assert shown["standard_met"] is True
        before = client.get(f"{API}/stats/assistance", params={"cohort": 2023}).json()
        assert before["figures"]["graduates"] == 17

    twice_id = _reveal_twice(served, officer, twice)

    # A new key first, the old after it; rotate; restart with the new one alone.
    old_key = served.env["PERSONAL_DATA_KEYS"]
    new_key = Fernet.generate_key().decode()
    served.env["PERSONAL_DATA_KEYS"] = f"{new_key},{old_key}"
    assert "17 graduates" in served.run("personal-data", "rotate")
    served.stop()
    served.env["PERSONAL_DATA_KEYS"] = new_key
    served.start()
    with served.client(officer) as client:
        again = client.post(
            f"{API}/assisted-graduates/{twice_id}/reveal", json={"reason": "复核身份信息"}
        )
        assert again.status_code == 200 and again.json()["id_number"] == twice["id_number"]
        found = client.post(
            f"{API}/assisted-graduates/lookup", json={"id_number": twice["id_number"]}
        )
        assert [item["id"] for item in found.json()] == [twice_id]

    assert "17 graduates" in served.run("personal-data", "deidentify", "--keep-years", "1")
    with served.client(university_token) as client:
        after = client.get(f"{API}/stats/assistance", params={"cohort": 2023}).json()
        assert after["figures"] == before["figures"]
        assert client.get(f"{API}/assisted-graduates/{twice_id}").json()["deidentified"] is True
    with served.client(officer) as client:
        gone = client.post(
            f"{API}/assisted-graduates/{twice_id}/reveal", json={"reason": "复核身份信息"}
        )
        assert gone.status_code == 410

    leaks.LEAKS.scan("the served app's log", served.log())
    with served.database.engine.connect() as connection:
        leaks.LEAKS.scan_database("the served app's database", connection)
    assert leaks.LEAKS.take() == []


def _reveal_twice(served, officer: str, body: dict) -> int:
    """The officer finds the person entered twice at once, and reveals their numbers."""
    with served.client(officer) as client:
        found = client.post(
            f"{API}/assisted-graduates/lookup", json={"id_number": body["id_number"]}
        )
        assert found.status_code == 200, found.text
        (graduate,) = found.json()
        revealed = client.post(
            f"{API}/assisted-graduates/{graduate['id']}/reveal", json={"reason": "核实就业意向"}
        )
        assert revealed.status_code == 200, revealed.text
        assert revealed.json()["phone"] == body["phone"]
        # A reason with a phone typed into it travels in the URL: the access log masks it.
        params = {"format": "csv", "full_numbers": "true", "reason": f"联系{body['phone']}核对"}
        exported = client.get(f"{API}/assisted-graduates/export", params=params)
        assert exported.status_code == 200, exported.text
        assert body["id_number"] in exported.content.decode("utf-8-sig")
        audit = client.get(f"{API}/audit", params={"action": "reveal"})
    # The officer's account is a university's: the audit log is an administrator's to read.
    assert audit.status_code == 403
    with served.client(served.token("national", "auditor")) as admin:
        entries = admin.get(f"{API}/audit", params={"action": "reveal"}).json()["items"]
    assert [(entry["actor_name"], entry["detail"]) for entry in entries] == [
        ("scu.officer", "reason: 核实就业意向")
    ]
    return graduate["id"]
