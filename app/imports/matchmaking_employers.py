"""The ledger of the employers that took part in matchmaking sessions (kind
matchmaking_employers), a row each: see app/imports/matchmaking.py.

A row adds its employer to its session, in the row's key field (重点领域, code or name); an
employer already there is present when its field is the same (or the row's is blank), and has
its field changed when it differs. Taking an employer off a session goes through the API (a
PATCH of its employers). The employer must be registered; the session's employers are
changed as the API's PATCH changes them (service.update_session, once a session a batch, so
that a session of two thousand employers costs two thousand rows, not their square), which
the sender may do of its own sessions only: a row that would change another's is a bad row,
one that changes nothing is present. The same employer at the same session twice in a file
is a bad row.
"""

from collections import Counter
from dataclasses import dataclass

from pydantic import ValidationError

from app.core.errors import Problem
from app.imports.assisted import Errors, refused
from app.imports.matchmaking import MatchmakingWriter, held_by, may_change
from app.imports.rows import RowError
from app.imports.writers import Meanwhile, Row
from app.matchmaking.models import MatchmakingSession
from app.matchmaking.schemas import MAX_TAKING_PART, EmployerTakingPart, SessionUpdate
from app.matchmaking.service import update_session


@dataclass
class _EmployerStep:
    number: int
    meeting: MatchmakingSession
    uscc: str
    field: str | None  # its key field there, after the row
    changes: bool  # False: as stored (present)


def _named_by(values: dict) -> tuple[str, object]:
    """The column that names the row's session, and its cell."""
    if values.get("session_id") is not None:
        return "session_id", values["session_id"]
    return "session_title", values.get("session_title")


class SessionEmployersWriter(MatchmakingWriter):
    """The employers that took part in sessions (kind matchmaking_employers)."""

    kind = "matchmaking_employers"

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = Errors(self.kind)
        self.sessions.load(rows)
        self.look_up([], [values["employer_uscc"] for _, values in rows])
        self.joining: Counter[int] = Counter()  # employers the batch adds, by session
        steps = []
        for number, values in rows:
            before = len(errors.found)
            meeting = self.sessions.of(number, values, errors)
            code = self.fields.of(number, values, errors)
            self.unregistered(number, values, "employer_uscc", errors)
            if len(errors.found) == before:
                step = self._step(number, values, meeting, code, errors)
                if step is not None:
                    steps.append(step)
        self.plan = (rows, steps)
        return errors.found

    def _step(
        self, number: int, values: dict, meeting: MatchmakingSession, code, errors: Errors
    ) -> _EmployerStep | None:
        uscc = values["employer_uscc"]
        if not self.once(number, (meeting.id, uscc), errors, "employer_uscc", uscc):
            return None
        fields = {taking.employer_uscc: taking.field_code for taking in meeting.employers}
        field = code if code is not None else fields.get(uscc)
        step = _EmployerStep(number, meeting, uscc, field, uscc not in fields)
        step.changes = step.changes or field != fields[uscc]
        if step.changes and not may_change(self.reach, meeting):
            column, cell = _named_by(values)
            errors.add(
                number,
                column,
                cell,
                f"“{cell}”是{held_by(meeting)}的活动，本账号不能为其添加或修改参会单位"
                "（与已有相同的行可以原样导入）",
                f"{column} {cell}: not this token's session to change",
            )
            return None
        if uscc not in fields:
            self.joining[meeting.id] += 1
            if len(fields) + self.joining[meeting.id] > MAX_TAKING_PART:
                errors.add(
                    number,
                    "employer_uscc",
                    uscc,
                    f"：该活动的参会单位超过{MAX_TAKING_PART}家",
                    f"employer_uscc: a session has at most {MAX_TAKING_PART} employers",
                )
                return None
        return step

    def write(self, rows: list[Row], meanwhile: Meanwhile = None) -> tuple[int, int]:
        """The batch's changes, a session at a time: its employers as they were, with the
        rows' added or their fields changed, through the API's PATCH (update_session)."""
        steps = self.planned(rows)
        changed: dict[int, list[_EmployerStep]] = {}
        for step in steps:
            if step.changes:
                changed.setdefault(step.meeting.id, []).append(step)
        for session_id, group in changed.items():
            fields = {e.employer_uscc: e.field_code for e in group[0].meeting.employers}
            fields |= {step.uscc: step.field for step in group}
            try:
                employers = [EmployerTakingPart(uscc=u, field=f) for u, f in fields.items()]
                data = SessionUpdate(employers=employers)
                update_session(self.session, session_id, data, self.sender)
            except (Problem, ValidationError) as error:
                raise refused(group[0].number, error) from None
        written = sum(len(group) for group in changed.values())
        return written, len(steps) - written
