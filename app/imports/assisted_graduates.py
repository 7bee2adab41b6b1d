"""The ledger of graduates in difficulty (重点群体帮扶台账) imported: see app/imports/assisted.py."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assistance import service as ledger
from app.assistance.models import AssistedGraduate, DifficultyGroup
from app.assistance.schemas import GraduateCreate, GraduateUpdate, StatusChangeCreate
from app.auth.principal import NATIONAL, Reach
from app.imports.assisted import CLI, Errors, LedgerWriter, fetch
from app.imports.personal import Masked
from app.imports.rows import RowError
from app.imports.writers import Row, _Known
from app.privacy.cipher import get_cipher
from app.privacy.numbers import mask_name
from app.universities.models import University

_FIELDS = ("name", "id_number", "phone", "gender", "major", "education", "groups")
_FIELDS += ("mentor", "external_ref")


@dataclass
class _GraduateStep:
    number: int
    values: dict
    record: AssistedGraduate | None = None  # None: a new graduate
    changes: dict = field(default_factory=dict)
    status: tuple | None = None  # (status, on): a status from a date on


class GraduatesWriter(LedgerWriter):
    """The ledger of graduates in difficulty (kind assisted_graduates)."""

    kind = "assisted_graduates"

    def __init__(self, session: Session, reach: Reach = NATIONAL, actor: str = CLI) -> None:
        super().__init__(session, reach, actor)
        self.universities = _Known(session, University.code, University.code)
        self.groups: dict[str, str] | None = None
        self.ids_seen: set[int] = set()
        self.refs_claimed: dict[tuple, int] = {}
        self.persons: dict[tuple[int, str], int] = {}  # (cohort, keyed hash): its row

    # -- check

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = Errors(self.kind)
        absent = self.universities.missing(v.get("university_code") for _, v in rows)
        named = self._named(rows)
        by_ref = self._by_ref(rows)
        steps, hashed = [], []
        for number, values in rows:
            before = len(errors.found)
            if values.get("university_code") in absent:
                code = values["university_code"]
                errors.add(
                    number,
                    "university_code",
                    code,
                    f"“{code}”不存在，请先登记该高校",
                    f"university_code: no university {code}; register it first",
                )
                continue
            step = self._step(number, values, named, by_ref, errors)
            if len(errors.found) == before:
                steps.append(step)
                id_number = step.changes.get("id_number") if step.record else values["id_number"]
                if id_number is not None:
                    hashed.append((step, get_cipher().lookup_hashes(id_number)))
        self._once_a_cohort(hashed, errors)
        self.plan = (rows, steps)
        return errors.found

    def _named(self, rows: list[Row]) -> dict[int, AssistedGraduate]:
        """The graduates the rows name by 系统编号, among those within the reach."""
        wanted = [v.get("id") for _, v in rows]
        within = ledger.within_reach(self.reach)
        found = fetch(
            self.session,
            lambda chunk: select(AssistedGraduate).where(AssistedGraduate.id.in_(chunk), *within),
            wanted,
        )
        return {graduate.id: graduate for graduate in found}

    def _by_ref(self, rows: list[Row]) -> dict[tuple, AssistedGraduate]:
        """The graduates with the rows' 台账编号, by university (the reach's own, for a
        university: its rows all carry its code)."""
        refs = {(v.get("university_code"), v.get("external_ref")) for _, v in rows}
        refs = {ref for ref in refs if all(ref)}
        found = fetch(
            self.session,
            lambda chunk: select(AssistedGraduate).where(
                AssistedGraduate.external_ref.in_(chunk),
                AssistedGraduate.university_code.in_({code for code, _ in refs}),
            ),
            [ref for _, ref in refs],
        )
        return {(g.university_code, g.external_ref): g for g in found}

    def _step(self, number, values, named, by_ref, errors: Errors) -> _GraduateStep:
        step = _GraduateStep(number, values)
        university, record_id = values["university_code"], values.get("id")
        if record_id is not None:
            step.record = self.named(number, record_id, named, "graduate", errors)
            if step.record is None:
                return step
            if step.record.university_code != university:
                errors.add(
                    number,
                    "university_code",
                    university,
                    f"不能修改（该毕业生属于{step.record.university_code}）",
                    "university_code cannot change",
                )
        elif values.get("external_ref") is not None:
            step.record = by_ref.get((university, values["external_ref"]))
        self._claim_ref(step, by_ref, errors)
        if step.record is None:
            self._new(step, errors)
        else:
            self._changed(step, errors)
        return step

    def _claim_ref(self, step: _GraduateStep, by_ref: dict, errors: Errors) -> None:
        """A 台账编号 names one graduate of a university: not two rows of the file, nor a row
        and another graduate already there."""
        values, record = step.values, step.record
        ref = values.get("external_ref") or (record.external_ref if record else None)
        if ref is None:
            return
        key = (values["university_code"], ref)
        if key in self.refs_claimed:
            errors.add(
                step.number,
                "external_ref",
                ref,
                f"“{ref}”在文件中重复出现（与第 {self.refs_claimed[key]} 行）",
                f"external_ref {ref} appears twice in the file",
            )
            return
        self.refs_claimed[key] = step.number
        holder = by_ref.get(key)
        if holder is not None and record is not None and holder.id != record.id:
            errors.add(
                step.number,
                "external_ref",
                ref,
                f"“{ref}”已被本校另一名毕业生使用",
                f"external_ref {ref} is another graduate's",
            )

    def _new(self, step: _GraduateStep, errors: Errors) -> None:
        values = step.values
        for name in ("name", "id_number", "phone"):
            if isinstance(values.get(name), Masked):
                errors.add(
                    step.number,
                    name,
                    values[name],
                    "是隐去的形式：新登记的毕业生须填写完整的值（隐去的形式只用于已有记录）",
                    f"{name} is masked: a new graduate needs it in full",
                )
        for name in ("name", "id_number", "groups"):
            if values.get(name) in (None, []):
                errors.add(
                    step.number,
                    name,
                    None,
                    "不能为空（新登记的毕业生）",
                    f"{name} is required for a new graduate",
                )
        self._group_codes(step, errors)

    def _changed(self, step: _GraduateStep, errors: Errors) -> None:
        record, values = step.record, step.values
        if values["cohort"] != record.cohort:
            errors.add(
                step.number,
                "cohort",
                values["cohort"],
                f"不能修改（该毕业生是{record.cohort}届）",
                "cohort cannot change",
            )
        codes = self._group_codes(step, errors)
        for name in _FIELDS:
            value = codes if name == "groups" else values.get(name)
            if value is None or value == [] or self._same(record, name, value):
                continue
            if isinstance(value, Masked):
                errors.add(
                    step.number,
                    name,
                    value,
                    "是隐去的形式，但与该毕业生的不符：要修改请填写完整的值",
                    f"{name} is masked but is not this graduate's: give it in full",
                )
                continue
            step.changes[name] = value
        status, on = values.get("status"), values.get("status_date")
        if (status is not None and status != record.status) or (
            on is not None and on != record.status_date
        ):
            on = on or ledger.today()
            if on < record.status_date:
                errors.add(
                    step.number,
                    "status_date",
                    on,
                    f"早于台账中当前状态的日期（{record.status_date}）：更早的状态请通过接口登记",
                    "status_date is before the graduate's current status",
                )
            step.status = (status or record.status, on)
        if record.deidentified_at is not None and (step.changes or step.status):
            errors.add(
                step.number,
                None,
                None,
                "该毕业生已去标识化，不能修改",
                "this graduate has been de-identified: no change is possible",
            )

    def _same(self, record: AssistedGraduate, name: str, value: Any) -> bool:
        """Whether the row's `value` is what the record has (a masked one: its masked form)."""
        if name == "name":
            shown = mask_name(record.name) if record.name and isinstance(value, Masked) else None
            return value in (record.name, shown)
        if name == "id_number":
            if isinstance(value, Masked):
                return value == record.id_number_masked
            hash_ = record.id_number_hash
            return hash_ is not None and hash_ in get_cipher().lookup_hashes(value)
        if name == "phone":
            if isinstance(value, Masked):
                return value == record.phone_masked
            if (
                record.phone_cipher is None
                or value[:3] + "****" + value[-4:] != record.phone_masked
            ):
                return False
            return get_cipher().decrypt(record.phone_cipher) == value
        if name == "groups":
            return sorted(value) == record.groups
        return getattr(record, name) == value

    def _group_codes(self, step: _GraduateStep, errors: Errors) -> list[str]:
        """The codes of the row's 困难类别 (codes or names), each once; an unknown one is bad."""
        if self.groups is None:
            self.groups = {}
            for group in self.session.scalars(select(DifficultyGroup)):
                self.groups[group.code] = self.groups[group.name] = group.code
        codes = []
        for item in step.values.get("groups") or []:
            code = self.groups.get(item.strip())
            if code is None:
                known = "、".join(sorted(set(self.groups) - set(self.groups.values())))
                errors.add(
                    step.number,
                    "groups",
                    item,
                    f"“{item}”不是困难类别，应为：{known}",
                    f"groups: unknown key group {item}",
                )
            codes.append(code)
        return list(dict.fromkeys(codes))

    def _once_a_cohort(self, hashed: list[tuple[_GraduateStep, list[str]]], errors: Errors):
        """The same person once a cohort: not twice in the file, nor once in the file and once
        in any ledger already (but the row's own graduate)."""
        every = [value for _, hashes in hashed for value in hashes]
        cohorts = {step.values["cohort"] for step, _ in hashed}
        found = fetch(
            self.session,
            lambda chunk: select(AssistedGraduate).where(
                AssistedGraduate.id_number_hash.in_(chunk), AssistedGraduate.cohort.in_(cohorts)
            ),
            every,
        )
        held = {(g.cohort, g.id_number_hash): g for g in found}
        for step, hashes in hashed:
            cohort, number = step.values["cohort"], step.number
            first = self.persons.get((cohort, hashes[0]))
            if first is not None:
                errors.add(
                    number,
                    "id_number",
                    None,
                    f"与第 {first} 行是同一人：同一届只能登记一次",
                    f"id_number: the same person as row {first} (once a cohort)",
                )
                continue
            self.persons[(cohort, hashes[0])] = number
            other = next((held[(cohort, h)] for h in hashes if (cohort, h) in held), None)
            if other is None or (step.record is not None and other.id == step.record.id):
                continue
            if other.university_code == step.values["university_code"]:
                where = f"本校{cohort}届台账中（系统编号 {other.id}）", f"graduate {other.id}"
            else:
                where = f"{cohort}届其他高校的台账中", "another university's ledger"
            errors.add(
                number,
                "id_number",
                None,
                f"已在{where[0]}：同一届只能登记一次",
                f"id_number: in the {cohort} cohort already ({where[1]})",
            )

    # -- write

    def _write(self, step: _GraduateStep) -> int:
        session = self.session
        if step.record is None:
            fields = {k: v for k, v in step.values.items() if v is not None and k != "id"}
            ledger.create_graduate(session, GraduateCreate(**fields), actor=self.actor)
            return 1
        if step.changes:
            ledger.update_graduate(session, step.record.id, GraduateUpdate(**step.changes))
        if step.status:
            status, on = step.status
            change = StatusChangeCreate(status=status, on=on)
            ledger.record_status(session, step.record.id, change, actor=self.actor)
        return 1 if step.changes or step.status else 0
