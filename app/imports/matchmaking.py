"""The ledgers of school–enterprise matchmaking (校企供需对接台账): what their writers share.

Three kinds, each written row by row through the service functions of the API
(app/matchmaking/service.py, intents.py), so that the API's rules hold and every write moves the
figures' epoch (a kept bulletin is never stale):

- matchmaking_sessions (matchmaking_sessions.py): the sessions and the universities that took
  part;
- matchmaking_employers (matchmaking_employers.py): the employers that took part, a row each,
  in their key field;
- cooperation_intents (matchmaking_intents.py): the intents reached there, with the days they
  were signed and landed.

A row names its session by 活动系统编号 (as exports write it) or by 活动名称 and 举办日期 (both
given: the same session), among the sessions the sender reads (the Ministry's, its province's,
and a university's those it took part in) and, for an intent, those its university took part in.
A key field is given by its code or its Chinese name.

Who writes what is the API's: national staff any session and intent; a province's department
its province's sessions and its universities' intents; a university its own sessions and its own
intents. A row that would change a session the sender reads but may not change (the Ministry's,
in a university's export) is a bad row; one that changes nothing is counted present, so that an
exported ledger sent back is present whoever exported it. No role is refused a kind outright
(service.check_allowed): each has its rows within these ledgers.
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.principal import NATIONAL, Principal, Reach, Role
from app.employers.models import Employer
from app.imports.assisted import CLI, Errors, LedgerWriter, fetch
from app.imports.writers import Row, _Known
from app.matchmaking.models import MatchmakingSession
from app.matchmaking.service import list_fields
from app.reference.data import PROVINCES
from app.universities.models import University


def sender(reach: Reach, actor: str) -> Principal:
    """The job's sender as the service functions take one: its reach, which they check again
    (its writer has checked every row against it first), and its actor ("token:7", "cli")."""
    kind, _, number = actor.partition(":")
    if reach.is_national:
        role = Role.NATIONAL
    else:
        role = Role.UNIVERSITY if reach.university is not None else Role.PROVINCE
    return Principal(kind, int(number) if number.isdigit() else 0, actor, role, reach)


def reads(reach: Reach, meeting: MatchmakingSession) -> bool:
    """Whether `reach` reads the session, as service.visible has it in SQL."""
    if reach.is_national or meeting.province in (None, reach.province):
        return True
    return reach.university is not None and reach.university in meeting.university_codes


def may_change(reach: Reach, meeting: MatchmakingSession) -> bool:
    """Whether `reach` may change the session (its universities and employers), as the API's
    PATCH allows: national staff any, a province its province's, a university its own."""
    return reach.covers_university(meeting.university_code, meeting.province)


def held_by(meeting: MatchmakingSession) -> str:
    """Whose a session is, in words: 教育部, 山东省, 高校4111010001."""
    if meeting.university_code is not None:
        return f"高校{meeting.university_code}"
    return PROVINCES.get(meeting.province, meeting.province) if meeting.province else "教育部"


class KeyFields:
    """The 15 key fields, by code and by name, read once a job."""

    def __init__(self, session: Session) -> None:
        fields = list_fields(session)
        self.codes = {field.code: field.code for field in fields}
        self.codes |= {field.name: field.code for field in fields}

    def of(self, number: int, values: dict, errors: Errors) -> str | None:
        """The code of the row's 重点领域 (None when blank, or unknown: its error said)."""
        cell = values.get("key_field")
        if cell is None:
            return None
        code = self.codes.get(cell) or self.codes.get(cell.lower())
        if code is None:
            errors.add(
                number,
                "key_field",
                cell,
                f"“{cell}”不是重点领域，应为领域代码或名称（见 /matchmaking-fields）",
                f"key_field {cell}: no such key field (see /matchmaking-fields)",
            )
        return code


class NamedSessions:
    """The sessions a batch's rows name, by 活动系统编号 or by 活动名称 and 举办日期."""

    def __init__(self, session: Session, reach: Reach) -> None:
        self.session, self.reach = session, reach
        self.by_id: dict[int, MatchmakingSession] = {}
        self.by_name: dict[tuple, list[MatchmakingSession]] = {}

    def load(self, rows: list[Row]) -> None:
        """The sessions the rows name, each looked for once (a batch's worth)."""
        ids = [values.get("session_id") for _, values in rows]
        found = fetch(
            self.session,
            lambda chunk: select(MatchmakingSession).where(MatchmakingSession.id.in_(chunk)),
            ids,
        )
        self.by_id = {meeting.id: meeting for meeting in found}
        named = {(v.get("session_title"), v.get("session_held_on")) for _, v in rows}
        named = {name for name in named if all(name)}
        days = {day for _, day in named}
        found = fetch(
            self.session,
            lambda chunk: select(MatchmakingSession).where(
                MatchmakingSession.title.in_(chunk), MatchmakingSession.held_on.in_(days)
            ),
            [title for title, _ in named],
        )
        self.by_name = {}
        for meeting in found:
            self.by_name.setdefault((meeting.title, meeting.held_on), []).append(meeting)

    def _seen(self, meeting: MatchmakingSession, university: str | None) -> bool:
        return reads(self.reach, meeting) or university in meeting.university_codes

    def of(
        self, number: int, values: dict, errors: Errors, university: str | None = None
    ) -> MatchmakingSession | None:
        """The row's session (None, its error said, when it names none, or none the sender
        reads, or several); `university`: one its university took part in is found too."""
        session_id, title = values.get("session_id"), values.get("session_title")
        day = values.get("session_held_on")
        if session_id is not None:
            meeting = self.by_id.get(session_id)
            if meeting is None or not self._seen(meeting, university):
                errors.add(
                    number,
                    "session_id",
                    session_id,
                    f"“{session_id}”不存在{_unknown(self.reach)}",
                    f"session_id {session_id}: no such session within reach",
                )
                return None
            return meeting if self.agrees(number, values, meeting, errors) else None
        if title is None:
            errors.add(
                number,
                "session_id",
                None,
                "和活动名称不能都为空，请填写其中之一（按活动名称时并填举办日期）",
                "session_id or session_title (with session_held_on) is required",
            )
            return None
        if day is None:
            errors.add(
                number,
                "session_held_on",
                None,
                "不能为空（按活动名称查找活动时须填写举办日期）",
                "session_held_on is required with session_title",
            )
            return None
        found = [m for m in self.by_name.get((title, day), []) if self._seen(m, university)]
        if len(found) != 1:
            reason = f"{day}有{len(found)}场同名活动，请填写活动系统编号" if found else (
                f"{day}没有这个名称的活动{_unknown(self.reach)}"
            )  # fmt: skip
            errors.add(
                number,
                "session_title",
                title,
                f"“{title}”：{reason}",
                f"session_title {title}: {len(found)} sessions of that name on {day}",
            )
            return None
        return found[0]

    @staticmethod
    def agrees(number: int, values: dict, meeting: MatchmakingSession, errors: Errors) -> bool:
        """Whether the row's 活动名称 and 举办日期, where given, are the session's."""
        agreeing = True
        for name, stored in (
            ("session_title", meeting.title),
            ("session_held_on", meeting.held_on),
        ):
            given = values.get(name)
            if given is not None and given != stored:
                errors.add(
                    number,
                    name,
                    given,
                    f"“{given}”与活动系统编号 {meeting.id} 的活动不符（应为“{stored}”）",
                    f"{name} {given}: session {meeting.id} has {stored}",
                )
                agreeing = False
        return agreeing


def _unknown(reach: Reach) -> str:
    return "" if reach.is_national else "（或不在本账号可查看的范围内）"


class MatchmakingWriter(LedgerWriter):
    """What the three writers share: the sender as the service functions take it, the key
    fields, the registries rows point at, and what the file has named so far."""

    def __init__(self, session: Session, reach: Reach = NATIONAL, actor: str = CLI) -> None:
        super().__init__(session, reach, actor)
        self.sender = sender(reach, actor)
        self.fields = KeyFields(session)
        self.sessions = NamedSessions(session, reach)
        self.universities = _Known(session, University.code, University.province)
        self.employers = _Known(session, Employer.uscc, Employer.uscc)
        self.ids_seen: set[int] = set()  # records named so far (LedgerWriter.named)
        self.named_before: dict[Any, int] = {}  # what rows named: the first row naming it
        self.absent: set[str] = set()  # the batch's codes of no university or employer

    def look_up(self, universities: Iterable[str | None], employers: Iterable[str | None]):
        """Which of the universities and employers a batch names are not registered (each
        asked once a batch), for `unregistered`."""
        self.absent = self.universities.missing(universities) | self.employers.missing(employers)

    def once(self, number: int, named: Any, errors: Errors, field: str, cell: Any) -> bool:
        """Whether the row is the first of the file to name `named` (else its error said)."""
        first = self.named_before.setdefault(named, number)
        if first != number:
            errors.add(
                number,
                field,
                cell,
                f"“{cell}”：与第 {first} 行是同一条记录，在文件中重复出现",
                f"{field} {cell}: the same record as row {first}",
            )
        return first == number

    def unregistered(self, number: int, values: dict, field: str, errors: Errors) -> bool:
        """Whether the row's university (field university_code) or employer (employer_uscc)
        is not registered (its error said)."""
        code = values.get(field)
        if code not in self.absent:
            return False
        what, english = (
            ("高校", "university") if field == "university_code" else ("单位", "employer")
        )
        errors.add(
            number,
            field,
            code,
            f"“{code}”不存在，请先登记该{what}",
            f"{field}: no {english} {code}; register it first",
        )
        return True
