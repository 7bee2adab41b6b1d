"""The ledgers of policy publicity (政策宣传台账): what their writers share.

Two kinds, each written row by row through the service functions of the API
(app/publicity/service.py), so that its rules hold, a measure's search columns are kept, and
every write moves the figures' epoch (a kept bulletin is never stale):

- policy_measures (publicity_measures.py): the register of measures. A row names its measure
  by 系统编号 (as exports write it), else by its 发布单位 and 政策名称, which the service keeps
  unique (one title per issuer); a row naming none is a new measure.
- publicity_sessions (publicity_sessions.py): the sessions held. A row names its session by
  系统编号, else by everything it is but its 受众人数 (day, theme, holder, place), as the
  matchmaking sessions are found by name; a row naming none is a new session.

A record found is counted present when the row is as stored, and updated where it differs, as
the API's PATCH would (an empty cell leaves a field as it is). Who writes what is the API's:
national staff anything; a province's department its province's measures (its own and its
cities') and its department's sessions; a university its own sessions. A row that would change
a record the sender reads but may not change (a national measure, from a province's export) is
a bad row; one that changes nothing is present, so that an exported ledger sent back is present
whoever exported it. Every check is made by `check` (with the service's own rules, their
refusals said in Chinese), so that every bad row is listed before anything is written.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from app.auth.principal import NATIONAL, Reach
from app.core.errors import Problem
from app.imports.assisted import CLI, Errors, LedgerWriter
from app.imports.matchmaking import MatchmakingWriter, sender
from app.reference.data import PROVINCES

# How a field's refusal by the service is said to an office: from the row's values, the cell.
Said = Callable[[dict, Any], str]


def province_name(code: str | None) -> str:
    return PROVINCES.get(code, code) if code else "全国"


def refusal_field(problem: Problem) -> str | None:
    return problem.errors[0]["field"] if problem.errors else None


class PublicityWriter(LedgerWriter):
    """What both writers share: the sender as the service functions take it, and what the
    file has named so far (each record once)."""

    # Each field the service may refuse a row for, said in Chinese (after the column's label).
    refusals: dict[str, Said] = {}

    def __init__(self, session: Session, reach: Reach = NATIONAL, actor: str = CLI) -> None:
        super().__init__(session, reach, actor)
        self.sender = sender(reach, actor)
        self.ids_seen: set[int] = set()  # records named by 系统编号 (LedgerWriter.named)
        self.named_before: dict[Any, int] = {}  # what rows named: the first row naming it

    def refused(self, number: int, values: dict, problem: Problem, errors: Errors) -> None:
        """The service's refusal of a row, named by its field and said in Chinese."""
        field = refusal_field(problem)
        cell = values.get(field) if field else None
        say = self.refusals.get(field)
        chinese = say(values, cell) if say else f"不符合规则：{problem.detail}"
        errors.add(number, field, cell, chinese, f"{field}: {problem.detail}")

    # Whether the row is the first of the file to name a record (the matchmaking ledgers' rule).
    once = MatchmakingWriter.once

    def not_to_change(self, number: int, record_id: int, whose: str, changed, errors: Errors):
        """A row that would change a record the sender may not change: a bad row."""
        labels = errors.labels
        errors.add(
            number,
            "id",
            record_id,
            f"“{record_id}”是{whose}的记录，本账号只能原样导入、不能修改（与已有不同："
            + "、".join(labels[name] for name in changed)
            + "）",
            f"id {record_id}: not this token's record to change",
        )


def changes_of(values: dict, record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The row's cells that differ from the record's fields (an empty cell changes nothing)."""
    return {
        name: values[name]
        for name in fields
        if values.get(name) is not None and values[name] != getattr(record, name)
    }


def given(values: dict) -> dict[str, Any]:
    """The row's cells that hold something (a new record takes its defaults for the rest)."""
    return {name: value for name, value in values.items() if value is not None and name != "id"}
