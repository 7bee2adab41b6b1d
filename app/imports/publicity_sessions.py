"""The ledger of publicity sessions (kind publicity_sessions): see app/imports/publicity.py.

A row names its session by 系统编号, else by all it is but its 受众人数: 宣讲日期, 宣讲主题,
主办单位类型, 主办单位, 省份, 学校标识码 and 宣讲场所 (as its holder's rules complete them: a
university's session is in its province and, unless told, named after it), among the sessions
the sender reads (the nation's for national staff; a province's or a university's token, its
province's). Several sessions so alike are a bad row (give the 系统编号). A session found is
updated where the row differs, as the API's PATCH (service.update_session) would, by whom it
lets: national staff any, a province's department its own, a university its own; a new one is
created by service.create_session, the sender's as the API has it (a university's own, a
province's department's). The same session twice in a file is a bad row."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.auth.ownership import owned_fields
from app.core.errors import Forbidden, Problem, UnknownReference
from app.imports.assisted import Errors, fetch, of
from app.imports.publicity import PublicityWriter, changes_of, given, province_name
from app.imports.rows import RowError
from app.imports.writers import Row
from app.publicity import service
from app.publicity.models import PublicitySession
from app.publicity.schemas import SessionCreate, SessionUpdate

_FIELDS = tuple(SessionUpdate.model_fields)
_KEY = ("held_on", "title", "holder_kind", "holder", "province", "university_code", "place")


def _key(fields: dict | PublicitySession) -> tuple:
    if isinstance(fields, PublicitySession):
        return tuple(getattr(fields, name) for name in _KEY)
    return tuple(fields.get(name) for name in _KEY)


def _whose(held: PublicitySession) -> str:
    if held.university_code is not None:
        return f"高校{held.university_code}"
    return province_name(held.province) if held.province else "全国性"


def _university(values: dict, cell: Any) -> str:
    if cell is None:
        return "不能为空：高校举办的宣讲须填写学校标识码"
    return "与主办单位类型不符：只有高校举办的宣讲填写学校标识码"


def _province(values: dict, cell: Any) -> str:
    if values.get("university_code") is not None:
        return f"“{province_name(cell)}”与学校标识码不符（高校的宣讲在其所在省份，可留空）"
    return f"“{province_name(cell)}”：委员会举办的宣讲是全国性的，省份请留空"


@dataclass
class _SessionStep:
    number: int
    values: dict
    fields: dict = field(default_factory=dict)  # a new session's, as the service completes them
    record: PublicitySession | None = None  # None: a new session
    changes: dict[str, Any] = field(default_factory=dict)


class SessionsWriter(PublicityWriter):
    """The publicity sessions held (kind publicity_sessions)."""

    kind = "publicity_sessions"
    refusals = {
        "holder_kind": lambda values, cell: (
            f"“{cell.label}”与学校标识码不符：高校举办的宣讲（且只有它）填写学校标识码"
        ),
        "university_code": _university,
        "province": _province,
        "holder": lambda values, cell: "不能为空：请填写举办宣讲的单位",
    }
    # The sender's own rules (app/auth/ownership.py), which come first.
    forbidden = {
        "university_code": "“{cell}”不是本账号的：高校只能导入本校的宣讲，省级教育行政部门只能"
        "导入本部门的宣讲（请留空）",
        "province": "“{cell}”不是本省：只能导入本省的宣讲，可留空",
    }

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = Errors(self.kind)
        known = self._visible(PublicitySession.id, of(rows, "id"))
        steps = []
        for number, values in rows:
            before = len(errors.found)
            step = _SessionStep(number, values)
            if values.get("id") is not None:
                step.record = self.named(number, values["id"], known, "session", errors)
                if step.record is not None:
                    self._changes(step, errors)
                    self.once(number, ("session", values["id"]), errors, "id", values["id"])
            else:
                self._described(step, errors)
            if len(errors.found) == before:
                steps.append(step)
        self._by_key([step for step in steps if step.record is None], errors)
        errors.found.sort(key=lambda error: error.row)
        failed = {error.row for error in errors.found}
        self.plan = (rows, [step for step in steps if step.number not in failed])
        return errors.found

    def _visible(self, column, cells: list[Any]) -> dict[int, PublicitySession]:
        """The sessions the sender reads (as service.sessions_query has it) whose `column`
        is one of `cells`."""
        province = self.reach.province
        within = [] if province is None else [PublicitySession.province == province]
        found = fetch(
            self.session,
            lambda chunk: select(PublicitySession).where(column.in_(chunk), *within),
            cells,
        )
        return {held.id: held for held in found}

    def _refused(self, step: _SessionStep, problem: Problem, errors: Errors) -> None:
        cell_field = problem.errors[0]["field"] if problem.errors else None
        if isinstance(problem, Forbidden) and cell_field in self.forbidden:
            cell = step.values.get(cell_field)
            shown = province_name(cell) if cell_field == "province" else cell
            chinese = self.forbidden[cell_field].format(cell=shown)
            errors.add(step.number, cell_field, cell, chinese, f"{cell_field}: {problem.detail}")
        elif isinstance(problem, UnknownReference):
            code = step.values.get("university_code")
            errors.add(
                step.number,
                "university_code",
                code,
                f"“{code}”不存在，请先登记该高校",
                f"university_code: no university {code}; register it first",
            )
        else:
            self.refused(step.number, step.values, problem, errors)

    def _described(self, step: _SessionStep, errors: Errors) -> None:
        """The session a row without 系统编号 describes, completed by the service's rules (its
        university's province and name) and, where blank, the sender's reach (a university's
        own code, a department's province), whoever's it is: it may be one to find."""
        fields = SessionCreate(**given(step.values)).model_dump()
        if self.reach.university is not None:
            fields["university_code"] = fields["university_code"] or self.reach.university
        elif self.reach.province is not None:
            fields["province"] = fields["province"] or self.reach.province
        try:
            step.fields = service._checked(self.session, fields)
        except Problem as problem:
            self._refused(step, problem, errors)

    def _placed(self, step: _SessionStep, errors: Errors) -> None:
        """A new session, as the service would create it for the sender (else a bad row)."""
        data = SessionCreate(**given(step.values))
        try:
            service._checked(self.session, owned_fields(self.sender, data.model_dump()))
        except Problem as problem:
            self._refused(step, problem, errors)

    def _changes(self, step: _SessionStep, errors: Errors) -> None:
        """The row's changes to its session, which the sender must be let make."""
        record = step.record
        step.changes = changes_of(step.values, record, _FIELDS)
        if not step.changes:
            return
        try:
            service._may_change_session(self.reach, record)
        except Problem:
            self.not_to_change(step.number, record.id, _whose(record), step.changes, errors)
            return
        changes = owned_fields(self.sender, step.changes)
        if "university_code" in changes and "province" not in changes:
            changes["province"] = None  # the new university's, as update_session has it
        current = {name: getattr(record, name) for name in _FIELDS}
        try:
            service._checked(self.session, current | changes)
        except Problem as problem:
            self._refused(step, problem, errors)

    def _by_key(self, steps: list[_SessionStep], errors: Errors) -> None:
        """Each new row's session found by all it is but its audience, if the sender reads
        one; several are a bad row, and so is a session named twice in the file."""
        titles = [step.fields["title"] for step in steps]
        found: dict[tuple, list[PublicitySession]] = {}
        for held in self._visible(PublicitySession.title, titles).values():
            found.setdefault(_key(held), []).append(held)
        for step in steps:
            key, title = _key(step.fields), step.fields["title"]
            same = found.get(key, [])
            if len(same) > 1:
                ids = "、".join(str(held.id) for held in same)
                errors.add(
                    step.number,
                    "title",
                    title,
                    f"“{title}”：同一天同一主办单位在同一场所有{len(same)}场同名宣讲（系统编号 "
                    f"{ids}），请填写系统编号",
                    f"title: {len(same)} sessions alike ({ids}); give the id",
                )
                continue
            if same:
                step.record = same[0]
                self._changes(step, errors)
            else:
                self._placed(step, errors)
            what = ("session", same[0].id) if same else key
            self.once(step.number, what, errors, "title", title)

    def _write(self, step: _SessionStep) -> int:
        if step.record is None:
            data = SessionCreate(**given(step.values))
            service.create_session(self.session, data, self.sender)
            return 1
        if not step.changes:
            return 0
        changes = SessionUpdate(**step.changes)
        service.update_session(self.session, step.record.id, changes, self.sender)
        return 1
