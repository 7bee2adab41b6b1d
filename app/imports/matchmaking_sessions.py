"""The ledger of matchmaking sessions (kind matchmaking_sessions): see app/imports/matchmaking.py.

A row names its session by 系统编号, else by its 活动名称, 举办日期 and 主办单位 among the
sessions of the same holder (the Ministry, a province, a university: what the row's 省份 and
学校标识码 say, the sender's reach filling them); a row naming none is a new session. A session
found is updated where the row differs (its 活动形式; its 参会高校, which replace the list as the
API's PATCH does, but for a university with intents there, which stays: a bad row) and counted
present where it does not; an empty cell leaves a field as it is (参会高校 cannot be emptied
through a ledger). Who holds a session cannot change: a row with 系统编号 giving another 省份 or
学校标识码 than the session's is a bad row; left blank, they are the session's.

A new session is the sender's: a university's own (学校标识码 blank or its own; in its
province), a province's department's (学校标识码 blank; 省份 blank or its own), or, from national
staff, as the row says (省份 blank: the Ministry's). The same session twice in a file, or a
name that several sessions of a holder share, is a bad row (give its 系统编号).
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.imports.assisted import Errors, fetch
from app.imports.columns import LABELS
from app.imports.matchmaking import MatchmakingWriter, held_by, may_change
from app.imports.rows import RowError
from app.imports.writers import Row
from app.matchmaking.models import CooperationIntent, MatchmakingSession
from app.matchmaking.schemas import SessionCreate, SessionUpdate
from app.matchmaking.service import create_session, update_session, visible
from app.reference.data import PROVINCES

_DESCRIPTION = ("title", "format", "held_on", "organiser")
Owner = tuple[str | None, str | None]  # (province, university): None, None is the Ministry


@dataclass
class _SessionStep:
    number: int
    values: dict
    owner: Owner = (None, None)
    record: MatchmakingSession | None = None  # None: a new session
    changes: dict[str, Any] = field(default_factory=dict)


def _named(code: str) -> str:
    """A province by its name (a university's code as it is)."""
    return PROVINCES.get(code, code)


def _key(values: dict, owner: Owner) -> tuple:
    return (values["title"], values["held_on"], values["organiser"], *owner)


def _key_of(meeting: MatchmakingSession) -> tuple:
    owner = (meeting.province, meeting.university_code)
    return (meeting.title, meeting.held_on, meeting.organiser, *owner)


class SessionsWriter(MatchmakingWriter):
    """Matchmaking sessions and the universities that took part (kind matchmaking_sessions)."""

    kind = "matchmaking_sessions"

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = Errors(self.kind)
        codes = [v.get("university_code") for _, v in rows]
        self.look_up(codes + [code for _, v in rows for code in v["universities"]], [])
        known = self._visible([values.get("id") for _, values in rows])
        steps = []
        for number, values in rows:
            before = len(errors.found)
            step = _SessionStep(number, values)
            if values.get("id") is not None:
                step.record = self.named(number, values["id"], known, "session", errors)
            for code in values["universities"]:
                self._registered(number, "universities", code, errors)
            if len(errors.found) == before:
                step.owner = self._owner(step, errors)
            if len(errors.found) == before:
                steps.append(step)
        self._by_key([step for step in steps if step.record is None], errors)
        steps = [step for step in steps if self._plan(step, errors)]
        self._keep_intents(steps, errors)
        failed = {error.row for error in errors.found}
        self.plan = (rows, [step for step in steps if step.number not in failed])
        return errors.found

    def _visible(self, ids: list[int | None]) -> dict[int, MatchmakingSession]:
        """The sessions of `ids` the sender reads (one it does not is as unknown as none)."""
        found = fetch(
            self.session,
            lambda chunk: select(MatchmakingSession).where(
                MatchmakingSession.id.in_(chunk), *visible(self.reach)
            ),
            ids,
        )
        return {meeting.id: meeting for meeting in found}

    def _registered(self, number: int, name: str, code: str, errors: Errors) -> None:
        if code in self.absent:
            errors.add(
                number,
                name,
                code,
                f"中的“{code}”不存在，请先登记该高校",
                f"{name}: no university {code}; register it first",
            )

    def _owner(self, step: _SessionStep, errors: Errors) -> Owner:
        """Who holds the row's session: a session found by 系统编号, its own holder (the row
        may repeat it, or leave it blank); a new one, the sender's, in its university's
        province."""
        if step.record is not None:
            return self._as_held(step, errors)
        province, university = self._senders(step, errors)
        values = step.values
        if university is None or self.unregistered(step.number, values, "university_code", errors):
            return province, university
        home = self.universities.lookup([university])[university]
        if province not in (None, home):
            errors.add(
                step.number,
                "province",
                province,
                f"“{_named(province)}”与学校标识码不符：高校{university}在{_named(home)}（可留空）",
                f"province {province}: university {university} is in province {home}",
            )
        return home, university

    def _as_held(self, step: _SessionStep, errors: Errors) -> Owner:
        """The holder of the session the row names, which the row's cells, if given, are."""
        record = step.record
        for name, held in (
            ("province", record.province),
            ("university_code", record.university_code),
        ):
            given = step.values.get(name)
            if given is not None and given != held:
                errors.add(
                    step.number,
                    name,
                    given,
                    f"“{_named(given)}”不能修改：该活动是{held_by(record)}的（可留空）",
                    f"{name} {given}: a session's holder cannot change",
                )
        return record.province, record.university_code

    def _senders(self, step: _SessionStep, errors: Errors) -> Owner:
        """A new session's holder as the sender's reach has it: a university its own, a
        province's department its province's (no university); national staff as the row says."""
        reach, number = self.reach, step.number
        province, university = step.values.get("province"), step.values.get("university_code")
        if reach.university is not None:
            if university not in (None, reach.university):
                errors.add(
                    number,
                    "university_code",
                    university,
                    f"“{university}”不是本校：只能导入本校（{reach.university}）举办的活动，可留空",
                    f"university_code {university}: this token imports its own sessions only",
                )
            return province, reach.university
        if reach.province is None:
            return province, university
        if university is not None:
            errors.add(
                number,
                "university_code",
                university,
                f"“{university}”：省级教育行政部门导入的是本部门举办的活动，请留空"
                "（高校举办的活动由高校自己导入）",
                f"university_code {university}: a province imports its department's sessions; "
                "leave it blank",
            )
        if province not in (None, reach.province):
            errors.add(
                number,
                "province",
                province,
                f"“{_named(province)}”不是本省：只能导入本省（{_named(reach.province)}）的活动，"
                "可留空",
                f"province {province}: this token imports its province's sessions only",
            )
        return reach.province, None

    def _by_key(self, steps: list[_SessionStep], errors: Errors) -> None:
        """Each new row's session found by its name, day, organiser and holder, if any."""
        titles = [step.values["title"] for step in steps]
        found: dict[tuple, list[MatchmakingSession]] = {}
        for meeting in fetch(
            self.session,
            lambda chunk: select(MatchmakingSession).where(MatchmakingSession.title.in_(chunk)),
            titles,
        ):
            found.setdefault(_key_of(meeting), []).append(meeting)
        for step in steps:
            same = found.get(_key(step.values, step.owner), [])
            if len(same) > 1:
                errors.add(
                    step.number,
                    "title",
                    step.values["title"],
                    f"“{step.values['title']}”：同一天同一主办单位有{len(same)}场同名活动"
                    "（系统编号 " + "、".join(str(m.id) for m in same) + "），请填写系统编号",
                    f"title: {len(same)} sessions of this name, day and organiser; give the id",
                )
            elif same:
                step.record = same[0]

    def _plan(self, step: _SessionStep, errors: Errors) -> bool:
        """The row's changes to its session (none for a new one); whether it is a good row."""
        values, record = step.values, step.record
        if record is not None and not self._changes(step, errors):
            return False
        # What the row names: a session of its name, day, organiser and holder, and the session
        # found (by its id, or by its name: one another row may name by its id).
        claims = [_key(values, step.owner)] + ([("session", record.id)] if record else [])
        return all(
            self.once(step.number, what, errors, "title", values["title"]) for what in claims
        )

    def _changes(self, step: _SessionStep, errors: Errors) -> bool:
        """The row's changes to its session, which the sender may make (else a bad row)."""
        values, record = step.values, step.record
        step.changes = {
            name: values[name] for name in _DESCRIPTION if values[name] != getattr(record, name)
        }
        given = values["universities"]
        if given and sorted(given) != sorted(record.university_codes):
            step.changes["universities"] = given
        if step.changes and not may_change(self.reach, record):
            errors.add(
                step.number,
                "id",
                record.id,
                f"“{record.id}”是{held_by(record)}的活动，本账号只能原样导入、不能修改"
                "（与已有不同："
                + "、".join(LABELS[self.kind][name] for name in step.changes)
                + "）",
                f"id {record.id}: not this token's session to change",
            )
            return False
        return True

    def _keep_intents(self, steps: list[_SessionStep], errors: Errors) -> None:
        """A university with intents at a session stays on it (as the API's PATCH has it)."""
        changing = {s.record.id: s for s in steps if "universities" in s.changes}
        if not changing:
            return
        query = select(CooperationIntent.session_id, CooperationIntent.university_code)
        reached = self.session.execute(
            query.where(CooperationIntent.session_id.in_(changing)).distinct()
        )
        for session_id, code in reached:
            step = changing[session_id]
            if code not in step.changes["universities"]:
                errors.add(
                    step.number,
                    "universities",
                    code,
                    f"不能去掉“{code}”：它在该活动已有合作意向（请先通过接口删除）",
                    f"universities: {code} reached intents at session {session_id}",
                )

    def _write(self, step: _SessionStep) -> int:
        values = step.values
        if step.record is None:
            province, university = step.owner
            data = SessionCreate(
                **{name: values[name] for name in _DESCRIPTION},
                province=province,
                university_code=university,
                universities=values["universities"],
            )
            create_session(self.session, data, self.sender)
            return 1
        if not step.changes:
            return 0
        update_session(self.session, step.record.id, SessionUpdate(**step.changes), self.sender)
        return 1
