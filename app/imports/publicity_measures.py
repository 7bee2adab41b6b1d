"""The ledger of policy measures (kind policy_measures): see app/imports/publicity.py.

A row names its measure by 系统编号, else by its 发布单位 and 政策名称 (one title per issuer, as
the service has it; every measure is found, for everyone reads every measure). A measure found
is updated where the row differs, as the API's PATCH (service.update_measure) would: within the
sender's reach, and never onto another measure's 发布单位 and 政策名称; a new one is created by
service.create_measure. Level, province and city must agree as the API has them (a province's
token may leave 省份 blank: its own), and a province's department writes its province's measures
and its cities' only. The same measure twice in a file is a bad row."""

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from app.core.errors import Problem
from app.imports.assisted import Errors, fetch
from app.imports.publicity import PublicityWriter, changes_of, given, province_name
from app.imports.rows import RowError
from app.imports.writers import Row
from app.publicity import service
from app.publicity.cities import CITIES
from app.publicity.models import MeasureLevel, PolicyMeasure
from app.publicity.schemas import MeasureCreate, MeasureUpdate

_FIELDS = tuple(MeasureUpdate.model_fields)


def _city(code: Any) -> str:
    return CITIES.get(code, code) if code else ""


def _level(values: dict) -> str:
    level = values.get("level")
    return level.label if isinstance(level, MeasureLevel) else str(level)


@dataclass
class _MeasureStep:
    number: int
    values: dict
    record: PolicyMeasure | None = None  # None: a new measure
    changes: dict[str, Any] = field(default_factory=dict)


class MeasuresWriter(PublicityWriter):
    """The register of policy measures (kind policy_measures)."""

    kind = "policy_measures"
    refusals = {
        "level": lambda values, cell: (
            f"“{_level(values)}”：国家政策由教育部录入，省级教育行政部门只能导入本省及其城市的政策"
        ),
        "province": lambda values, cell: (
            f"“{province_name(cell)}”不是本省：只能导入本省及其城市的政策，可留空"
            if cell and values.get("level") != MeasureLevel.NATIONAL
            else "与政策层级不符：国家政策不填省份"
            if cell
            else "不能为空：省级政策须填写省份"
        ),
        "city": lambda values, cell: (
            "不能为空：市级政策须填写城市"
            if not cell
            else "与政策层级不符：只有市级政策填写城市"
            if values.get("level") != MeasureLevel.CITY
            else f"“{_city(cell)}”不在{province_name(values.get('province'))}（城市所在的省份"
            f"是{province_name(cell[:2])}）"
            if values.get("province") not in (None, cell[:2])
            else f"“{_city(cell)}”不是本省的城市：只能导入本省及其城市的政策"
        ),
        "effective_to": lambda values, cell: f"“{cell}”早于生效日期",
    }

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = Errors(self.kind)
        known = self._measures(rows)
        by_key = {(m.issuer, m.title): m for m in known.values()}
        steps = []
        for number, values in rows:
            before = len(errors.found)
            step = _MeasureStep(number, values)
            if values.get("id") is not None:
                step.record = self.named(number, values["id"], known, "policy measure", errors)
            else:
                step.record = by_key.get((values["issuer"], values["title"]))
            if len(errors.found) == before and self._plan(step, by_key, errors):
                steps.append(step)
        self.plan = (rows, steps)
        return errors.found

    def _measures(self, rows: list[Row]) -> dict[int, PolicyMeasure]:
        """The measures the rows name, by 系统编号 or by title (everyone reads every one)."""
        by_id = fetch(
            self.session,
            lambda chunk: select(PolicyMeasure).where(PolicyMeasure.id.in_(chunk)),
            [values.get("id") for _, values in rows],
        )
        by_title = fetch(
            self.session,
            lambda chunk: select(PolicyMeasure).where(PolicyMeasure.title.in_(chunk)),
            [values.get("title") for _, values in rows],
        )
        return {measure.id: measure for measure in by_id + by_title}

    def _plan(self, step: _MeasureStep, by_key: dict, errors: Errors) -> bool:
        """Whether the row is good: its measure placed as the API has it, changed only by
        whom the API lets, never onto another's title, and named once in the file."""
        values, record, number = step.values, step.record, step.number
        try:
            if record is None:
                service._placed(MeasureCreate(**given(values)).model_dump(), self.sender)
            else:
                step.changes = changes_of(values, record, _FIELDS)
                if step.changes and not self._may_change(step, errors):
                    return False
        except Problem as problem:
            self.refused(number, values, problem, errors)
            return False
        except ValidationError as error:  # a cell each column took, refused together
            detail = error.errors(include_url=False, include_input=False)[0]["msg"]
            errors.add(number, None, None, f"不符合规则：{detail}", detail)
            return False
        key = (values["issuer"], values["title"])
        other = by_key.get(key)
        if record is not None and other is not None and other is not record:
            errors.add(
                number,
                "title",
                values["title"],
                f"“{values['title']}”：{values['issuer']}已有同名政策（系统编号 {other.id}）",
                f"title: {values['issuer']} has a measure of this title already ({other.id})",
            )
            return False
        claims = [key] + ([("measure", record.id)] if record is not None else [])
        return all(self.once(number, what, errors, "title", values["title"]) for what in claims)

    def _may_change(self, step: _MeasureStep, errors: Errors) -> bool:
        """The sender may change the measure so (Problem: the service's refusal)."""
        record = step.record
        try:
            service._may_change_measure(self.sender, record)
        except Problem:
            whose = province_name(record.province) if record.province else "教育部"
            self.not_to_change(step.number, record.id, whose, step.changes, errors)
            return False
        current = {name: getattr(record, name) for name in _FIELDS}
        changes = dict(step.changes)
        if "city" in changes and "province" not in changes:
            changes["province"] = None  # the new city's, as update_measure has it
        service._placed(current | changes, self.sender)
        return True

    def _write(self, step: _MeasureStep) -> int:
        if step.record is None:
            data = MeasureCreate(**given(step.values))
            service.create_measure(self.session, data, self.sender)
            return 1
        if not step.changes:
            return 0
        changes = MeasureUpdate(**step.changes)
        service.update_measure(self.session, step.record.id, changes, self.sender)
        return 1
