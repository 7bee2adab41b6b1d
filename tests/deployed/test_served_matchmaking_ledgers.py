"""The ledgers of matchmaking in the served app (two workers): the Ministry's meeting and who
took part sent by national staff (.xlsx, then a GB18030 CSV), 北京大学's intents by its own
token, each job polled to its end; each time the figures and the bulletin's matchmaking
sentences, which every worker keeps, are the new ones at once (the import moved the figures'
epoch all the processes share). The intents exported by the served app and sent back change
nothing; one more step comes by `jobfair import` in a process of its own."""

from tests.deployed.ledger import HEADERS, imported, job_ended, send
from tests.test_imports import csv_bytes

API = "/api/v1"
FIGURES = f"{API}/stats/matchmaking"
BULLETIN = f"{API}/reports/bulletin"
ASKED = {"from": "2023-05-01", "to": "2023-08-31"}
MINISTRY = "重点领域人才校企供需对接会"
PKU, THU = "4111010001", "4111010003"


def _everywhere(client) -> set[tuple]:
    """The figures and the bulletin's sentences, every answer of eight (any answer that
    differs, one worker's stale copy, makes a second member)."""
    seen = set()
    for _ in range(8):
        kept = client.get(FIGURES, params=ASKED).json()["figures"]
        sentences = client.get(BULLETIN, params={**ASKED, "section": "matchmaking"}).json()
        counted = (kept["sessions"], kept["employers"], kept["intents"], kept["signed"])
        seen.add((*counted, tuple(s["text"] for s in sentences["sentences"])))
    return seen


def test_matchmaking_ledgers_move_the_figures_of_every_worker(served, national, registry, tmp_path):
    grid, rail, chips = registry.employers[:3]
    with served.client(national) as client:
        assert _everywhere(client) == {(0, 0, 0, 0, ())}  # now kept by the workers
        session = [MINISTRY, "校企供需对接会", "2023-06-28", "教育部", "", f"{PKU}；{THU}"]
        assert imported(client, "matchmaking_sessions", [session], "xlsx")["rows_written"] == 1
        took_part = [
            [MINISTRY, "2023-06-28", grid, "能源动力"],
            [MINISTRY, "2023-06-28", rail, "装备制造"],
            [MINISTRY, "2023-06-28", chips, "integrated_circuits"],
        ]
        assert imported(client, "matchmaking_employers", took_part, "csv")["rows_written"] == 3
        held = "全国共举办校企供需对接活动1场，2所高校与3家企业参加，达成合作意向0个。"
        assert _everywhere(client) == {(1, 3, 0, 0, (held,))}

    pku = served.token("university", "北京大学就业指导中心", university=PKU)
    with served.client(pku) as client:
        intents = [
            [MINISTRY, "2023-06-28", "", grid, "定向培养", "2023-07-10", ""],
            [MINISTRY, "2023-06-28", PKU, rail, "共建实习基地", "2023-07-01", "2023-08-15"],
            [MINISTRY, "2023-06-28", "", chips, "joint_research", "", ""],
        ]
        job = imported(client, "cooperation_intents", intents, "xlsx")
        assert (job["rows_read"], job["rows_written"]) == (3, 3)
        exported = client.get(f"{API}/cooperation-intents/export", params={"format": "csv"})
        assert exported.status_code == 200, exported.text
        answer = send(client, "cooperation_intents", exported.content, "意向.csv")
        assert answer.status_code == 202, answer.text
        again = job_ended(client, answer.json()["id"])
        assert (again["status"], again["rows_written"], again["rows_present"]) == (
            "succeeded",
            0,
            3,
        )
    said = (
        "全国共举办校企供需对接活动1场，2所高校与3家企业参加，达成合作意向3个，其中已签约2个、已落地1个。",
        "教育部举办重点领域人才校企供需对接会，来自能源动力、装备制造等3个重点领域行业的3家企业，"
        "与北京大学、清华大学现场对接，现场达成3个合作意向。",
    )
    with served.client(national) as client:
        assert _everywhere(client) == {(1, 3, 3, 1, said)}  # signed, not yet landed: 1

    ledger = tmp_path / "签约.csv"
    signed = [MINISTRY, "2023-06-28", PKU, chips, "联合研发", "2023-08-20", ""]
    ledger.write_bytes(csv_bytes([HEADERS["cooperation_intents"], signed]))
    assert "1 written" in served.run("import", "cooperation_intents", str(ledger))
    with served.client(national) as client:
        said = (said[0].replace("已签约2个", "已签约3个"), said[1])
        assert _everywhere(client) == {(1, 3, 3, 2, said)}
    assert "Traceback" not in served.log()
