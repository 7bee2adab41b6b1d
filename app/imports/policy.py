"""The ledgers of policy positions (政策性岗位): each year's quota of a programme in a province
(policy_quotas) and the recruitment's progress against it (policy_progress), written row by
row through the service functions of the API (app/policy/service.py), so that they move the
figures' epoch as the API's writes do (a kept bulletin is never stale).

A programme is named by its 项目代码 or its 项目名称 (both given: the same programme), a quota
by its programme, 省份 and 年度. Who writes what is the API's: national staff any quota and
any count; a province's department, whose rows are all of its own province
(rows.reach_check), its own programmes' quotas (a national programme's quota is a bad row
naming the programme's column) and the progress of every quota in its province; a university
neither (403 naming `kind`, service.check_allowed).

A quota already recorded is updated, as a record of the other ledgers is: its 岗位数 set where
the row's differs, and the row counted present where it does not. A count of progress is one
per quota, stage and day, as the API has it (a second is its 409): a row for a count already
recorded is present when its 人数 is the same, and a bad row when it differs (a correction
deletes the count through the API, and the ledger is sent again). A count of a quota not
recorded is a bad row. The same quota, or the same count, twice in one file is a bad row.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.principal import NATIONAL, Reach
from app.imports.assisted import CLI, Errors, LedgerWriter
from app.imports.rows import RowError, department_of
from app.imports.writers import Row
from app.policy import service as policy
from app.policy.models import PolicyQuota, PositionsProgram
from app.policy.schemas import ProgressCreate, QuotaCreate
from app.reference.data import PROVINCES

QuotaKey = tuple[str, str, int]  # programme, province, year


@dataclass
class _Step:
    number: int
    values: dict
    key: QuotaKey
    quota: PolicyQuota | None = None  # policy_quotas: None for a new quota
    as_stored: bool = False  # nothing to write: counted present


def _named_by(values: dict) -> tuple[str, Any]:
    """The column that names the row's programme, and its cell (the code, when both do)."""
    if values.get("program") is not None:
        return "program", values["program"]
    return "program_name", values.get("program_name")


def _place(key: QuotaKey) -> str:
    return f"{PROVINCES.get(key[1], key[1])}{key[2]}年"


class _Programmes:
    """The programmes (a few dozen), by code and by name, read once a job."""

    def __init__(self, session: Session) -> None:
        programs = session.scalars(select(PositionsProgram)).all()
        self.by_code = {program.code: program for program in programs}
        self.by_name = {program.name: program for program in programs}

    def of(self, number: int, values: dict, errors: Errors) -> PositionsProgram | None:
        """The row's programme, one the row's province may have; None (its error said) if
        the row names none, one unknown, two, or another province's own."""
        code, name = values.get("program"), values.get("program_name")
        if code is None and name is None:
            errors.add(
                number,
                "program",
                None,
                "和项目名称不能都为空，请填写其中之一",
                "program or program_name is required",
            )
            return None
        program = self._known(number, code, name, errors)
        if program is None:
            return None
        own = program.province
        if own is not None and own != values["province"]:
            field, cell = _named_by(values)
            errors.add(
                number,
                field,
                cell,
                f"“{cell}”是{PROVINCES[own]}的自有项目，不能用于其他省份",
                f"{field} {cell}: province {own}'s own programme",
            )
            return None
        return program

    def _known(self, number: int, code, name, errors: Errors) -> PositionsProgram | None:
        by_code = self.by_code.get(code) if code is not None else None
        by_name = self.by_name.get(name) if name is not None else None
        for field, cell, program in (("program", code, by_code), ("program_name", name, by_name)):
            if cell is not None and program is None:
                errors.add(
                    number, field, cell, f"“{cell}”不存在", f"{field} {cell}: no such programme"
                )
                return None
        if by_code is not None and by_name is not None and by_code is not by_name:
            errors.add(
                number,
                "program_name",
                name,
                f"“{name}”与项目代码“{code}”不是同一个项目",
                f"program_name {name} is not programme {code}",
            )
            return None
        return by_code or by_name


class _PolicyWriter(LedgerWriter):
    """What both ledgers share: each row's programme and quota found, once a file."""

    def __init__(self, session: Session, reach: Reach = NATIONAL, actor: str = CLI) -> None:
        super().__init__(session, reach, actor)
        self.programmes = _Programmes(session)
        # What a row of the file names (a quota; a count), with the first row naming it.
        self.named_before: dict[tuple, int] = {}

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = Errors(self.kind)
        named = []
        for number, values in rows:
            before = len(errors.found)
            program = self.programmes.of(number, values, errors)
            if program is not None:
                self._may_write(number, values, program, errors)
            if len(errors.found) == before:
                named.append((number, values, (program.code, values["province"], values["year"])))
        quotas = _quotas(self.session, [key for _, _, key in named])
        steps = [self._plan(_Step(n, v, key), quotas.get(key), errors) for n, v, key in named]
        self.plan = (rows, [step for step in steps if step is not None])
        return errors.found

    def _may_write(self, number: int, values: dict, program, errors: Errors) -> None:
        """Adds to `errors` when the sender may not write the row of `program`."""

    def _plan(self, step: _Step, quota: PolicyQuota | None, errors: Errors) -> _Step | None:
        """The row's step (None, its error said, if it is a bad row)."""
        raise NotImplementedError

    def _once(self, step: _Step, named: tuple, errors: Errors, field: str, what: str) -> bool:
        """Whether the row is the first of the file to name `named` (else its error said)."""
        first = self.named_before.setdefault(named, step.number)
        if first != step.number:
            cell = step.values[field]
            errors.add(
                step.number,
                field,
                cell,
                f"“{cell}”：{_place(step.key)}{what}在文件中重复出现（与第 {first} 行）",
                f"{field} {cell}: the same quota or count as row {first}",
            )
        return first == step.number


def _quotas(session: Session, keys: list[QuotaKey]) -> dict[QuotaKey, PolicyQuota]:
    """The quotas recorded of `keys` (a few programmes, provinces and years: one query)."""
    if not keys:
        return {}
    query = select(PolicyQuota).where(
        PolicyQuota.program_code.in_({key[0] for key in keys}),
        PolicyQuota.province.in_({key[1] for key in keys}),
        PolicyQuota.year.in_({key[2] for key in keys}),
    )
    wanted = set(keys)
    found = {(q.program_code, q.province, q.year): q for q in session.scalars(query)}
    return {key: quota for key, quota in found.items() if key in wanted}


class QuotasWriter(_PolicyWriter):
    """Each year's quota of a programme in a province (kind policy_quotas)."""

    kind = "policy_quotas"

    def _may_write(self, number: int, values: dict, program, errors: Errors) -> None:
        if program.province is None and department_of(self.reach) is not None:
            field, cell = _named_by(values)
            errors.add(
                number,
                field,
                cell,
                f"“{cell}”是全国性项目：其岗位数由教育部录入，省级教育行政部门只能导入本省自有"
                "项目的岗位数（招录进度可以导入）",
                f"{field} {cell}: the quotas of national programmes are the Ministry's; a "
                "province imports its own programmes' quotas (and the progress of every quota)",
            )

    def _plan(self, step: _Step, quota: PolicyQuota | None, errors: Errors) -> _Step | None:
        field, _ = _named_by(step.values)
        if not self._once(step, step.key, errors, field, "的岗位数"):
            return None
        step.quota = quota
        step.as_stored = quota is not None and quota.positions == step.values["positions"]
        return step

    def _write(self, step: _Step) -> int:
        if step.as_stored:
            return 0
        if step.quota is None:
            program, province, year = step.key
            data = QuotaCreate(
                program=program, province=province, year=year, positions=step.values["positions"]
            )
            policy.create_quota(self.session, data, None)  # the sender's right: checked
            return 1
        # As the API's PATCH changes it (policy.update_quota, whose checks `check` made).
        step.quota.positions = step.values["positions"]
        self.session.flush()
        return 1


class ProgressWriter(_PolicyWriter):
    """The recruitment's progress against each quota (kind policy_progress)."""

    kind = "policy_progress"

    def _plan(self, step: _Step, quota: PolicyQuota | None, errors: Errors) -> _Step | None:
        field, cell = _named_by(step.values)
        if quota is None:
            errors.add(
                step.number,
                field,
                cell,
                f"“{cell}”在{_place(step.key)}没有岗位数记录，请先导入或录入岗位数",
                f"{field} {cell}: no quota of province {step.key[1]} in {step.key[2]}",
            )
            return None
        stage, day, people = (step.values[name] for name in ("stage", "as_of", "people"))
        if not self._once(step, (quota.id, stage, day), errors, "as_of", f"{stage.label}的统计"):
            return None
        step.quota = quota
        counted = next(
            (p.people for p in quota.progress if (p.stage, p.as_of) == (stage, day)), None
        )
        if counted is not None and counted != people:
            errors.add(
                step.number,
                "people",
                people,
                f"与已有统计不符：{day}的{stage.label}人数已记为{counted}（每个阶段每天一个数，"
                "更正请先删除原统计）",
                f"people {people}: {stage.value} on {day} is counted already, as {counted} "
                "(one count a stage and day; delete it to correct it)",
            )
            return None
        step.as_stored = counted is not None
        return step

    def _write(self, step: _Step) -> int:
        if step.as_stored:
            return 0
        data = ProgressCreate(**{name: step.values[name] for name in ("stage", "as_of", "people")})
        policy.add_progress(self.session, step.quota.id, data, None)
        return 1
