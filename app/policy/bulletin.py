"""Policy positions in the words of the Ministry's report: "天津市注重开源拓岗，面向毕业生提供
1.68万个政策性岗位，较去年增长10.3%。", with SPEC's number rules (planned figures exact)."""

import datetime as dt

from sqlalchemy.orm import Session

from app.policy.figures import PositionsScope, position_figures
from app.reference.data import PROVINCES
from app.reports.numbers import bulletin_number as n
from app.reports.numbers import planned_number


def _change(percent: float | None) -> str:
    if percent is None:
        return ""
    if percent > 0:
        return f"，较去年增长{percent:g}%"
    if percent < 0:
        return f"，较去年减少{-percent:g}%"
    return "，与去年持平"


def _day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def sentences(session: Session, province: str | None, as_of: dt.date) -> list[dict]:
    """The paragraph's sentences for `province` (None: the nation) in `as_of`'s year, each
    with the figures it used; none where no quota is recorded."""
    scope = PositionsScope(as_of.year, as_of, province)
    answer = position_figures(session, scope, by="program")
    kept = answer["figures"]
    if not kept["offered"]:
        return []
    subject = PROVINCES[province] if province else "全国"
    offered = {
        "offered": kept["offered"],
        "offered_last_year": kept["offered_last_year"],
        "change_percent": kept["change_percent"],
    }
    written = [
        {
            "text": f"{subject}面向毕业生提供{planned_number(kept['offered'])}个政策性岗位"
            f"{_change(kept['change_percent'])}。",
            "figures": offered,
        }
    ]
    programs = [row for row in answer["rows"] if row["offered"]]
    written.append(
        {
            "text": "其中，"
            + "，".join(f"{row['label']}{planned_number(row['offered'])}个" for row in programs)
            + "。",
            "figures": {row["key"]: row["offered"] for row in programs},
        }
    )
    if kept["filled"]:
        written.append(
            {
                "text": f"截至{_day(as_of)}，已录用{n(kept['filled'])}人，"
                f"招录完成率{kept['fill_rate']:g}%。",
                "figures": {"filled": kept["filled"], "fill_rate": kept["fill_rate"]},
            }
        )
    return written
