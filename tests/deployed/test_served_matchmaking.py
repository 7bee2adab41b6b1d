"""Matchmaking as deployed: universities' own tokens record the intents they reached at the
Ministry's meeting, and the next paragraph from either worker counts them; offices that record
the same follow-up at once get one step, the others a 409, never a 500."""

import json
from concurrent.futures import ThreadPoolExecutor

from tests.deployed.ledger import Registry
from tests.deployed.test_served_answers import _one_answer, _polls

BULLETIN = "/api/v1/reports/bulletin"
ASKED = {"from": "2023-05-01", "to": "2023-08-31", "section": "matchmaking"}
PKU, THU = "4111010001", "4111010003"


def _meeting(served, national: str, registry: Registry) -> dict:
    body = {
        "title": "重点领域人才校企供需对接会",
        "format": "supply_demand",
        "held_on": "2023-06-28",
        "organiser": "教育部",
        "universities": [PKU, THU],
        "employers": [
            {"uscc": uscc, "field": field}
            for uscc, field in zip(
                registry.employers[:3],
                ["energy_power", "equipment_manufacturing", "integrated_circuits"],
                strict=True,
            )
        ],
    }
    with served.client(national) as client:
        made = client.post("/api/v1/matchmaking-sessions", json=body)
    assert made.status_code == 201, made.text
    return made.json()


def _intent(served, token: str, session_id: int, uscc: str, kind: str, **extra) -> dict:
    body = {"session_id": session_id, "employer_uscc": uscc, "type": kind, **extra}
    with served.client(token) as client:
        made = client.post("/api/v1/cooperation-intents", json=body)
    assert made.status_code == 201, made.text
    return made.json()


def test_universities_intents_change_the_paragraph_from_both_workers(served, national, registry):
    meeting = _meeting(served, national, registry)
    pku = served.token("university", "北京大学就业指导中心", university=PKU)
    thu = served.token("university", "清华大学就业指导中心", university=THU)
    _intent(served, pku, meeting["id"], registry.employers[0], "directed_training")
    _, etag, body = _one_answer(_polls(served, national, BULLETIN, **ASKED))
    assert json.loads(body)["sentences"][1]["text"].endswith("现场达成1个合作意向。")
    assert _one_answer(_polls(served, national, BULLETIN, etag, **ASKED))[0] == 304
    for uscc in registry.employers[1:3]:
        _intent(served, thu, meeting["id"], uscc, "joint_research")
    status, _, body = _one_answer(_polls(served, national, BULLETIN, etag, **ASKED))
    assert status == 200
    assert json.loads(body)["sentences"][1]["text"] == (
        "教育部举办重点领域人才校企供需对接会，来自能源动力、装备制造等3个重点领域行业的3家企业，"
        "与北京大学、清华大学现场对接，现场达成3个合作意向。"
    )


def test_the_same_step_sent_at_once_is_one_step(served, national, registry):
    meeting = _meeting(served, national, registry)
    made = _intent(
        served, national, meeting["id"], registry.employers[2], "other", university_code=THU
    )
    url = f"/api/v1/cooperation-intents/{made['id']}/steps"

    def sign(n: int) -> int:
        with served.client(national) as client:
            answer = client.post(
                url,
                json={"status": "signed", "as_of": f"2023-07-0{1 + n % 9}"},
                headers={"Idempotency-Key": f"sign-{made['id']}-{n}"},
            )
        return answer.status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(sign, range(8)))
    assert statuses == [201] + [409] * 7
    with served.client(national) as client:
        steps = client.get(f"/api/v1/cooperation-intents/{made['id']}").json()["steps"]
    assert [step["status"] for step in steps] == ["intended", "signed"]
