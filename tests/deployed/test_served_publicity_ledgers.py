"""The ledgers of policy publicity in the served app (two workers): Hubei's measures and its
cities' sent as an .xlsx by national staff, the job polled to its end; the department's sessions
as a GB18030 CSV by its own token, then exported by the served app and sent back (nothing
changes); one more session by `jobfair import` in a process of its own. Each time the figures,
the bulletin's policy sentences, which every worker keeps, and a search are the new ones at once:
the import moved the figures' epoch that all the processes share."""

from tests.deployed.ledger import HEADERS, imported, job_ended, send
from tests.test_imports import csv_bytes

API = "/api/v1"
FIGURES = f"{API}/stats/policy-publicity"
BULLETIN = f"{API}/reports/bulletin"
ASKED = {"from": "2023-05-01", "to": "2023-08-31", "province": "42"}
MEASURES = [
    ["湖北省创业担保贷款实施办法", "湖北省人力资源和社会保障厅", "省级", "湖北省", "", "创业担保贷款",
     5000000, "每户", "2023-05-18", "小微企业可申请最高500万元的创业担保贷款。"],
    ["武汉市吸纳就业补贴办法", "武汉市人力资源和社会保障局", "市级", "", "武汉市", "吸纳就业补贴",
     1000, "每人", "2023-06-01", ""],
    ["恩施州吸纳就业补贴办法", "恩施州人力资源和社会保障局", "市级", "", "422800", "吸纳就业补贴",
     "", "", "2023-06-15", ""],
]  # fmt: skip
SESSIONS = [
    ["2023-06-21", "高校毕业生就业政策进园区宣讲", "教育行政部门", "湖北省教育厅", "", "", "进园区", 520],
    ["2023-06-28", "高校毕业生就业政策进社区宣讲", "教育行政部门", "湖北省教育厅", "", "", "进社区", 180],
]  # fmt: skip


def _everywhere(client) -> set[tuple]:
    """Hubei's figures and the bulletin's sentences, every answer of eight (any answer that
    differs, one worker's stale copy, makes a second member)."""
    seen = set()
    for _ in range(8):
        kept = client.get(FIGURES, params=ASKED).json()["figures"]
        sentences = client.get(BULLETIN, params={**ASKED, "section": "policy"}).json()
        counted = (kept["measures"], kept["cities"], kept["sessions"], kept["audience"])
        seen.add((*counted, tuple(s["text"] for s in sentences["sentences"])))
    return seen


def test_publicity_ledgers_move_the_figures_of_every_worker(served, national, tmp_path):
    measures = "湖北省收录省级和2个市(州)高校毕业生就业创业政策措施3条。"
    with served.client(national) as client:
        assert _everywhere(client) == {(0, 0, 0, 0, ())}  # now kept by the workers
        job = imported(client, "policy_measures", MEASURES, "xlsx")
        assert (job["rows_read"], job["rows_written"]) == (3, 3)
        assert _everywhere(client) == {(3, 2, 0, 0, (measures,))}
        found = client.get(f"{API}/policy-measures", params={"q": "500万元"}).json()["items"]
        assert [m["title"] for m in found] == [MEASURES[0][0]]

    department = served.token("province", "湖北省教育厅", province="42")
    with served.client(department) as client:
        assert imported(client, "publicity_sessions", SESSIONS, "csv")["rows_written"] == 2
        held = "湖北省教育厅进园区、进社区，共计宣讲政策2次。"
        assert _everywhere(client) == {(3, 2, 2, 700, (held, measures))}
        exported = client.get(f"{API}/publicity-sessions/export", params={"format": "xlsx"})
        assert exported.status_code == 200, exported.text
        answer = send(client, "publicity_sessions", exported.content, "宣讲.xlsx")
        assert answer.status_code == 202, answer.text
        again = job_ended(client, answer.json()["id"])
        assert (again["status"], again["rows_written"], again["rows_present"]) == (
            "succeeded",
            0,
            2,
        )

    ledger = tmp_path / "宣讲.csv"
    session = ["2023-07-05", "高校毕业生就业政策进企业宣讲", "教育行政部门", "湖北省教育厅", "湖北省",
               "", "进企业", 300]  # fmt: skip
    ledger.write_bytes(csv_bytes([HEADERS["publicity_sessions"], session]))
    assert "1 written" in served.run("import", "publicity_sessions", str(ledger))
    with served.client(national) as client:
        held = "湖北省教育厅进园区、进企业、进社区，共计宣讲政策3次。"
        assert _everywhere(client) == {(3, 2, 3, 1000, (held, measures))}
    assert "Traceback" not in served.log()
