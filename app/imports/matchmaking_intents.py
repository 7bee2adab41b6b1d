"""The ledger of cooperation intents (kind cooperation_intents): see app/imports/matchmaking.py.

A row names its intent by 系统编号, else by its session, university, employer and 合作类型 (an
intent of these already recorded, if one is: several, and the row is bad, asking for the
系统编号); a row naming none is a new intent, recorded through intents.create_intent (its first
step, 意向, the session's day; the university and the employer must have taken part), then its
签约日期 and 落地日期 as its next steps through intents.add_step, so that the API's order holds:
a 落地日期 without a 签约日期, or a day before the step it follows, is a bad row naming the
column. A row naming an intent recorded adds the steps it gives that the intent lacks; a step
it has on the same day is present, on another day a bad row, and so is any other cell that
differs from the intent (合作类型, 重点领域, 意向概述…): intents are corrected through the API
(a step deleted, or the intent), then the ledger is sent again. An empty cell leaves a field
as it is. The same intent twice in a file is a bad row.

Whose intents: a university's rows are its own (rows.reach_check: 学校标识码 blank or its own),
a province's department's those of its universities, national staff's any university's.
"""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from app.imports.assisted import Errors, fetch
from app.imports.matchmaking import MatchmakingWriter
from app.imports.rows import RowError
from app.imports.writers import Row
from app.matchmaking import intents
from app.matchmaking.models import (
    STATUS_ORDER,
    CooperationIntent,
    IntentStatus,
    MatchmakingSession,
)
from app.matchmaking.schemas import IntentCreate, StepCreate
from app.reference.data import PROVINCES

# The steps a ledger gives, by their columns, in their order.
_STEPS = (("signed_on", IntentStatus.SIGNED), ("landed_on", IntentStatus.LANDED))
_FIXED = ("university_code", "employer_uscc", "type")  # an intent's own, never blank


@dataclass
class _IntentStep:
    number: int
    values: dict
    meeting: MatchmakingSession | None = None
    record: CooperationIntent | None = None  # None: a new intent
    key_field: str | None = None  # the row's key field, by its code
    follow_up: list[tuple[IntentStatus, dt.date]] = field(default_factory=list)


def _key(meeting_id: int, values: dict) -> tuple:
    return (meeting_id, *(values[name] for name in _FIXED))


def _naming(values: dict) -> tuple[str, object]:
    """The column a row names its intent by, and its cell."""
    if values.get("id") is not None:
        return "id", values["id"]
    return "employer_uscc", values["employer_uscc"]


class IntentsWriter(MatchmakingWriter):
    """Cooperation intents and their follow-up (kind cooperation_intents)."""

    kind = "cooperation_intents"
    # The rows without 系统编号 whose session, university, employer and type several intents
    # share: which one they mean cannot be told.
    several: dict[int, list[CooperationIntent]]

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = Errors(self.kind)
        self.sessions.load(rows)
        self.look_up(*([v[name] for _, v in rows] for name in ("university_code", "employer_uscc")))
        known = self._within([values.get("id") for _, values in rows])
        steps = []
        for number, values in rows:
            before = len(errors.found)
            step = _IntentStep(number, values, key_field=self.fields.of(number, values, errors))
            if values.get("id") is not None:
                step.record = self.named(number, values["id"], known, "intent", errors)
            elif not self._unknown_or_elsewhere(number, values, errors):
                step.meeting = self.sessions.of(number, values, errors, values["university_code"])
            if len(errors.found) == before:
                steps.append(step)
        self._by_key([step for step in steps if step.record is None])
        self.plan = (rows, [step for step in steps if self._plan(step, errors)])
        return errors.found

    def _within(self, ids: list[int | None]) -> dict[int, CooperationIntent]:
        """The intents of `ids` within the sender's reach (another's is as unknown as none)."""
        query = intents.intents_query(self.reach)
        found = fetch(self.session, lambda chunk: query.where(CooperationIntent.id.in_(chunk)), ids)
        return {intent.id: intent for intent in found}

    def _unknown_or_elsewhere(self, number: int, values: dict, errors: Errors) -> bool:
        """Whether the row's university or employer is not registered, or the university is
        not the sender's to record intents of (a province's: its own universities')."""
        unknown = [self.unregistered(number, values, name, errors) for name in _FIXED[:2]]
        if any(unknown):
            return True
        code, province = values["university_code"], self.reach.province
        if self.reach.university is None and province is not None:
            home = self.universities.lookup([code])[code]
            if home != province:
                errors.add(
                    number,
                    "university_code",
                    code,
                    f"“{code}”不是本省的高校：只能导入本省（{PROVINCES[province]}）高校的合作意向",
                    f"university_code {code}: not a university of province {province}",
                )
                return True
        return False

    def _by_key(self, steps: list[_IntentStep]) -> None:
        """Each row without 系统编号 given the intent of its session, university, employer and
        type, when there is one (several: the row keeps them, and `_plan` says so)."""
        meetings = [step.meeting.id for step in steps]
        found: dict[tuple, list[CooperationIntent]] = {}
        for intent in fetch(
            self.session,
            lambda chunk: select(CooperationIntent).where(CooperationIntent.session_id.in_(chunk)),
            meetings,
        ):
            stored = {name: getattr(intent, name) for name in _FIXED}
            found.setdefault(_key(intent.session_id, stored), []).append(intent)
        self.several = {}
        for step in steps:
            same = found.get(_key(step.meeting.id, step.values), [])
            if len(same) == 1:
                step.record = same[0]
            elif same:
                self.several[step.number] = same

    def _plan(self, step: _IntentStep, errors: Errors) -> bool:
        """The row's new intent, or the steps it adds to one recorded: whether it is good."""
        before = len(errors.found)
        values, record = step.values, step.record
        if record is None:
            self._new(step, errors)
        else:
            self._same_intent(step, errors)
        if len(errors.found) > before:
            return False
        if record is None:
            days = {IntentStatus.INTENDED: step.meeting.held_on}
        else:
            days = {taken.status: taken.as_of for taken in record.steps}
        self._follow_up(step, days, errors)
        if len(errors.found) > before:
            return False
        # What the row names: its intent, and, without 系统编号, the intent of its key (made by
        # an earlier row of the file, or another row's too).
        claims = [] if values.get("id") is not None else [_key(step.meeting.id, values)]
        claims += [("intent", record.id)] if record is not None else []
        return all(self.once(step.number, what, errors, *_naming(values)) for what in claims)

    def _new(self, step: _IntentStep, errors: Errors) -> None:
        """A new intent: between a university and an employer that took part (only one intent
        of its kind between them there, else the row names it by 系统编号)."""
        values, meeting = step.values, step.meeting
        several = self.several.get(step.number)
        if several:
            errors.add(
                step.number,
                "type",
                values["type"].label,
                f"：该高校与该单位在此活动已有{len(several)}个同类合作意向（系统编号 "
                + "、".join(str(intent.id) for intent in several)
                + "），请填写系统编号",
                f"type: {len(several)} such intents there already; give the id",
            )
        for name, code, members in (
            ("university_code", values["university_code"], meeting.university_codes),
            ("employer_uscc", values["employer_uscc"], meeting.employer_usccs),
        ):
            if code not in members:
                errors.add(
                    step.number,
                    name,
                    code,
                    f"“{code}”没有参加该活动（{meeting.title}，{meeting.held_on}）"
                    + ("：请先在活动参会单位台账中添加" if name == "employer_uscc" else ""),
                    f"{name} {code}: did not take part in session {meeting.id}",
                )

    def _same_intent(self, step: _IntentStep, errors: Errors) -> None:
        """A row naming an intent recorded: each cell it gives is the intent's own."""
        values, record = step.values, step.record
        session = self.session.get(MatchmakingSession, record.session_id)
        if values.get("session_id") not in (None, record.session_id):
            given = values["session_id"]
            errors.add(
                step.number,
                "session_id",
                given,
                f"“{given}”与该合作意向的活动（系统编号 {record.session_id}）不符",
                f"session_id {given}: intent {record.id} is of session {record.session_id}",
            )
        self.sessions.agrees(step.number, values, session, errors)
        stored = {name: getattr(record, name) for name in (*_FIXED, "summary")}
        stored["key_field"] = record.field_code
        given = {name: values.get(name) for name in (*_FIXED, "summary")}
        given["key_field"] = step.key_field
        for name, value in given.items():
            if value is not None and value != stored[name]:
                shown = values["key_field"] if name == "key_field" else value
                errors.add(
                    step.number,
                    name,
                    getattr(shown, "label", shown),
                    f"“{getattr(shown, 'label', shown)}”与系统编号 {record.id} 的合作意向不符："
                    "合作意向的内容不能通过台账修改（更正请通过接口删除后重新录入）",
                    f"{name}: intent {record.id} has another; correct it through the API",
                )

    def _follow_up(self, step: _IntentStep, days: dict, errors: Errors) -> None:
        """The steps the row adds (签约, then 落地), each on a day no earlier than the last."""
        for name, status in _STEPS:
            day = step.values.get(name)
            if day is None:
                continue
            if status in days:
                if days[status] != day:
                    errors.add(
                        step.number,
                        name,
                        day,
                        f"与已记录的{status.label}日期（{days[status]}）不符：已记录的步骤不能"
                        "通过台账修改（更正请通过接口删除该步骤）",
                        f"{name} {day}: {status.value} was recorded on {days[status]}",
                    )
                continue
            previous = STATUS_ORDER[STATUS_ORDER.index(status) - 1]
            if previous not in days:
                errors.add(
                    step.number,
                    name,
                    day,
                    f"：尚未{previous.label}，不能{status.label}（请先填写{previous.label}日期）",
                    f"{name}: {status.value} comes after {previous.value}",
                )
                return
            if day < days[previous]:
                errors.add(
                    step.number,
                    name,
                    day,
                    f"早于{previous.label}日期（{days[previous]}）",
                    f"{name} {day}: before {previous.value} on {days[previous]}",
                )
                return
            days[status] = day
            step.follow_up.append((status, day))

    def _write(self, step: _IntentStep) -> int:
        values, intent_id = step.values, step.record.id if step.record else None
        if intent_id is None:
            data = IntentCreate(
                session_id=step.meeting.id,
                **{name: values[name] for name in _FIXED},
                field=step.key_field,
                summary=values.get("summary"),
            )
            intent_id = intents.create_intent(self.session, data, self.sender).id
        for status, day in step.follow_up:
            intents.add_step(
                self.session, intent_id, StepCreate(status=status, as_of=day), self.sender
            )
        return 1 if step.record is None or step.follow_up else 0
