"""The ledgers of policy positions in the served app (two workers): Tianjin's quotas sent as an
.xlsx by national staff, the job polled to its end; its progress by Tianjin's department as a
GB18030 CSV, and one more count by `jobfair import` in a process of its own. Each time the
figures and the bulletin's policy sentences, which every worker keeps, are the new ones at
once: the import moved the figures' epoch that all the processes share."""

import datetime as dt

from tests.deployed.ledger import HEADERS, imported
from tests.test_imports import csv_bytes

API = "/api/v1"
FIGURES = f"{API}/stats/policy-positions"
BULLETIN = f"{API}/reports/bulletin"
TIANJIN = [
    ("special_post_teacher", 4200, 3900),
    ("three_supports", 5100, 4731),
    ("western_volunteer", 2300, 2100),
    ("community", 3800, 3500),
    ("rural_doctor", 1400, 1000),
]
ASKED = {"year": 2023, "as_of": "2023-08-31", "province": "12"}
POLICY = {"to": "2023-08-31", "province": "12", "section": "policy"}


def _figures_everywhere(client) -> set[tuple]:
    """The figures and the bulletin's sentences, every answer of eight (the workers share
    the connections: any answer that differs, one worker's stale copy, makes a second
    member)."""
    seen = set()
    for _ in range(8):
        kept = client.get(FIGURES, params=ASKED).json()["figures"]
        sentences = client.get(BULLETIN, params=POLICY).json()["sentences"]
        seen.add((kept["offered"], kept["filled"], tuple(s["text"] for s in sentences)))
    return seen


def test_policy_ledgers_move_the_figures_of_every_worker(served, national, tmp_path):
    with served.client(national) as client:
        assert _figures_everywhere(client) == {(0, 0, ())}  # now kept by the workers
        rows = [[code, "", "天津市", 2023, now] for code, now, _ in TIANJIN]
        rows += [[code, "", "天津市", 2022, before] for code, _, before in TIANJIN]
        job = imported(client, "policy_quotas", rows, "xlsx")
        assert (job["rows_read"], job["rows_written"]) == (10, 10)
        offered = (
            "天津市面向毕业生提供1.68万个政策性岗位，较去年增长10.3%。",
            "其中，特岗计划4200个，三支一扶5100个，西部计划2300个，城乡社区专项计划3800个，"
            "大学生乡村医生专项计划1400个。",
        )
        assert _figures_everywhere(client) == {(16800, 0, offered)}

    department = served.token("province", "天津市教育委员会", province="12")
    with served.client(department) as client:
        counts = [["", "三支一扶", "", 2023, "录用", dt.date(2023, 7, 31), 4500]]
        assert imported(client, "policy_progress", counts, "csv")["rows_written"] == 1
        filled = (*offered, "截至8月31日，已录用4500人，招录完成率26.8%。")
        assert _figures_everywhere(client) == {(16800, 4500, filled)}

    ledger = tmp_path / "进度.csv"
    count = ["community", "", "12", 2023, "录用", "2023-08-01", 2000]
    ledger.write_bytes(csv_bytes([HEADERS["policy_progress"], count]))
    assert "1 written" in served.run("import", "policy_progress", str(ledger))
    with served.client(national) as client:
        filled = (*offered, "截至8月31日，已录用6500人，招录完成率38.7%。")
        assert _figures_everywhere(client) == {(16800, 6500, filled)}
    assert "Traceback" not in served.log()
