"""The services given to graduates in difficulty (帮扶服务台账) imported: see
app/imports/assisted.py."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assistance import given
from app.assistance import service as ledger
from app.assistance.models import AssistanceService, AssistedGraduate
from app.assistance.schemas import ServiceCreate, ServiceUpdate
from app.auth.principal import NATIONAL, Reach
from app.core.errors import Problem, UnknownReference
from app.imports.assisted import CLI, Errors, LedgerWriter, chunks, fetch, of, unknown
from app.imports.columns import LABELS
from app.imports.personal import Masked
from app.imports.rows import RowError
from app.imports.writers import Row
from app.privacy.cipher import get_cipher
from app.privacy.numbers import scrub

_FIELDS = ("kind", "service_date", "provider", "note", "vacancy_id", "programme")
_FIELDS += ("hours", "amount", "external_ref")


@dataclass
class _ServiceStep:
    number: int
    values: dict
    graduate: AssistedGraduate | None = None
    record: AssistanceService | None = None  # None: a new service
    changes: dict = field(default_factory=dict)


class ServicesWriter(LedgerWriter):
    """The services given to graduates in difficulty (kind assistance_services)."""

    kind = "assistance_services"

    def __init__(self, session: Session, reach: Reach = NATIONAL, actor: str = CLI) -> None:
        super().__init__(session, reach, actor)
        self.within = ledger.within_reach(reach)
        self.ids_seen: set[int] = set()
        self.refs_claimed: dict[tuple, int] = {}

    def _graduates(self, condition: Callable[[list], Any], values: Iterable[Any]) -> list:
        return fetch(
            self.session,
            lambda chunk: select(AssistedGraduate).where(condition(chunk), *self.within),
            values,
        )

    # -- check

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = Errors(self.kind)
        by_id = {g.id: g for g in self._graduates(AssistedGraduate.id.in_, of(rows, "graduate_id"))}
        refs = self._graduates(AssistedGraduate.external_ref.in_, of(rows, "graduate_ref"))
        by_ref = {(g.university_code, g.external_ref): g for g in refs}
        hashes = {
            number: get_cipher().lookup_hashes(values["id_number"])
            for number, values in rows
            if values.get("id_number") is not None and not isinstance(values["id_number"], Masked)
        }
        found = self._graduates(
            AssistedGraduate.id_number_hash.in_, [h for each in hashes.values() for h in each]
        )
        by_hash = {(g.cohort, g.id_number_hash): g for g in found}
        records = self._records(rows)
        steps = []
        for number, values in rows:
            before = len(errors.found)
            step = _ServiceStep(number, values)
            self._find_record(step, records, errors)
            self._find_graduate(step, by_id, by_ref, by_hash, hashes.get(number), errors)
            if len(errors.found) == before:
                self._plan(step, records, errors)
            if len(errors.found) == before:
                steps.append(step)
        self.plan = (rows, steps)
        return errors.found

    def _records(self, rows: list[Row]) -> dict:
        """The services the rows name, by id and by (university, 台账编号), within the reach."""

        def named(condition):
            return lambda chunk: (
                select(AssistanceService)
                .join(AssistedGraduate, AssistedGraduate.id == AssistanceService.graduate_id)
                .where(condition(chunk), *self.within)
            )

        records: dict = {}
        for service in fetch(self.session, named(AssistanceService.id.in_), of(rows, "id")):
            records[service.id] = service
        refs = of([(n, v) for n, v in rows if v.get("id") is None], "external_ref")
        for chunk in chunks(refs):
            query = named(AssistanceService.external_ref.in_)(chunk)
            for service, university in self.session.execute(
                query.add_columns(AssistedGraduate.university_code)
            ):
                records.setdefault((university, service.external_ref), []).append(service)
        return records

    def _find_record(self, step: _ServiceStep, records: dict, errors: Errors) -> None:
        record_id = step.values.get("id")
        if record_id is None:
            return
        step.record = self.named(step.number, record_id, records, "service", errors)

    def _find_graduate(self, step, by_id, by_ref, by_hash, hashes, errors: Errors) -> None:
        """The row's graduate, by each way it gives, all naming the same one."""
        values, number = step.values, step.number
        if values.get("id") is not None and step.record is None:
            return  # a service unknown, or named twice: said already
        ways: list[tuple[str, Any, AssistedGraduate | None]] = []
        if values.get("graduate_id") is not None:
            ways.append(("graduate_id", values["graduate_id"], by_id.get(values["graduate_id"])))
        ref = values.get("graduate_ref")
        if ref is not None:
            university = values.get("university_code")
            if university is None:
                errors.add(
                    number,
                    "university_code",
                    None,
                    "不能为空：按学生台账编号查找毕业生时须填写学校标识码",
                    "university_code is needed with graduate_ref",
                )
                return
            ways.append(("graduate_ref", ref, by_ref.get((university, ref))))
        id_number, cohort = values.get("id_number"), values.get("cohort")
        if hashes is not None:
            if cohort is None:
                errors.add(
                    number,
                    "cohort",
                    None,
                    "不能为空：按居民身份证号查找毕业生时须填写届别",
                    "cohort is needed with id_number",
                )
                return
            match = next((by_hash[(cohort, h)] for h in hashes if (cohort, h) in by_hash), None)
            ways.append(("id_number", id_number, match))
        if step.record is not None:
            ways.append(
                ("id", values["id"], self.session.get(AssistedGraduate, step.record.graduate_id))
            )
        for name, value, graduate in ways:
            if graduate is None:
                chinese, english = unknown(self.reach)
                errors.add(
                    number,
                    name,
                    value,
                    f"找不到该毕业生{chinese}",
                    f"{name}: no such graduate{english}",
                )
                return
        graduates = {graduate.id for _, _, graduate in ways}
        if len(graduates) > 1:
            names = "、".join(LABELS[self.kind][name] for name, _, _ in ways)
            errors.add(
                number,
                None,
                None,
                f"{names}指向不同的毕业生（服务记录的学生不能修改）",
                "the row names different graduates",
            )
            return
        if not ways:
            errors.add(
                number,
                "graduate_id",
                None,
                "学生系统编号、学生台账编号、居民身份证号不能都为空，请填写其中之一",
                "graduate_id, graduate_ref or id_number is required",
            )
            return
        step.graduate = ways[0][2]
        self._agrees(step, errors)

    def _agrees(self, step: _ServiceStep, errors: Errors) -> None:
        """What the row says of its graduate besides finding them is theirs."""
        graduate, values = step.graduate, step.values
        if (
            isinstance(values.get("id_number"), Masked)
            and values["id_number"] != graduate.id_number_masked
        ):
            errors.add(
                step.number,
                "id_number",
                values["id_number"],
                "与该毕业生的不符",
                "id_number is not this graduate's",
            )
        for name in ("cohort", "university_code"):
            if values.get(name) is not None and values[name] != getattr(graduate, name):
                errors.add(
                    step.number,
                    name,
                    values[name],
                    "与该毕业生的不符",
                    f"{name} is not this graduate's",
                )

    def _plan(self, step: _ServiceStep, records: dict, errors: Errors) -> None:
        values, graduate = step.values, step.graduate
        ref = values.get("external_ref")
        if step.record is None and ref is not None:
            matches = records.get((graduate.university_code, ref), [])
            if len(matches) > 1:
                errors.add(
                    step.number,
                    "external_ref",
                    ref,
                    f"“{ref}”对应本校多条服务记录，请填写系统编号",
                    f"external_ref {ref}: several services have it",
                )
                return
            step.record = matches[0] if matches else None
            if step.record is not None and step.record.graduate_id != graduate.id:
                errors.add(
                    step.number,
                    "external_ref",
                    ref,
                    f"“{ref}”是另一名毕业生的服务记录",
                    f"external_ref {ref} is another graduate's service",
                )
                return
        held = ref or (step.record.external_ref if step.record else None)
        if held is not None:
            key = (graduate.university_code, held)
            if key in self.refs_claimed:
                errors.add(
                    step.number,
                    "external_ref",
                    held,
                    f"“{held}”在文件中重复出现（与第 {self.refs_claimed[key]} 行）",
                    f"external_ref {held} appears twice in the file",
                )
                return
            self.refs_claimed[key] = step.number
        if step.record is None:
            if graduate.deidentified_at is not None:
                errors.add(
                    step.number,
                    None,
                    None,
                    "该毕业生已去标识化，不能再登记服务",
                    "this graduate has been de-identified",
                )
                return
            fields = {name: values.get(name) for name in _FIELDS}
        else:
            for name in _FIELDS:
                value = values.get(name)
                if name == "note" and value is not None:
                    value = scrub(value)
                if value is not None and value != getattr(step.record, name):
                    step.changes[name] = value
            fields = {name: getattr(step.record, name) for name in _FIELDS}
            fields |= step.changes
        try:
            given.check_service(self.session, AssistanceService(graduate_id=graduate.id, **fields))
        except UnknownReference as problem:
            value = fields.get("vacancy_id")
            errors.add(
                step.number,
                "vacancy_id",
                value,
                f"“{value}”不存在（系统中没有该岗位）",
                problem.detail,
            )
        except Problem as problem:
            name = problem.errors[0]["field"] if problem.errors else None
            kind = fields["kind"].label if fields.get("kind") else ""
            errors.add(
                step.number, name, fields.get(name), f"与服务类型“{kind}”不符", problem.detail
            )

    # -- write

    def _write(self, step: _ServiceStep) -> int:
        if step.record is None:
            fields = {name: step.values.get(name) for name in _FIELDS}
            fields = {name: value for name, value in fields.items() if value is not None}
            data = ServiceCreate(graduate_id=step.graduate.id, **fields)
            given.create_service(self.session, data)
            return 1
        if not step.changes:
            return 0
        given.update_service(self.session, step.record.id, ServiceUpdate(**step.changes))
        return 1
