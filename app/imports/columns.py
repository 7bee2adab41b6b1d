"""The columns of each kind of ledger (SPEC.md, "Ledger columns"): the API's field, its Chinese
label, and how a cell becomes the field's value.

A cell is validated by the same pydantic type as the API's field, so a ledger row and a request
body obey the same rules. Codes, enums and dates repeat down a ledger (one employer posts many
vacancies), so their cells are validated once per distinct value and remembered.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from app.assistance.schemas import Cohort, GraduateCreate, IdNumber, ServiceCreate
from app.core.enums import LabelledEnum
from app.core.schemas import ExternalRef, Name, RecordId
from app.employers.schemas import EmployerCreate
from app.events.schemas import EventCreate
from app.imports.personal import (
    MASKABLE,
    NUMBER_FIELDS,
    PERSONAL_KINDS,
    NotMasked,
    masked_cell,
    number_reason,
    shown_cell,
)
from app.imports.publicity_columns import MeasureRow
from app.matchmaking.schemas import IntentCreate, SessionCreate
from app.policy.schemas import ProgramCode, ProgressCreate, QuotaCreate, Year
from app.publicity.schemas import SessionCreate as PublicitySessionCreate
from app.reference.codes import ProvinceCode, UniversityCode, Uscc
from app.universities.schemas import UniversityCreate
from app.vacancies.schemas import VacancyCreate
from app.visits.schemas import VisitCreate

# The cache of one column stops growing here, so that a ledger of many distinct values cannot
# grow the process without bound.
_REMEMBERED_AT_MOST = 200_000


class CellError(ValueError):
    """Why a cell is refused, in Chinese and in English."""

    def __init__(self, chinese: str, english: str) -> None:
        super().__init__(english)
        self.chinese, self.english = chinese, english


LABELS: dict[str, dict[str, str]] = {
    "universities": {"code": "学校标识码", "name": "学校名称", "province": "所在省份"},
    "employers": {
        "uscc": "统一社会信用代码",
        "name": "单位名称",
        "industry": "所属行业",
        "province": "所在省份",
        "ownership": "单位性质",
        "size": "企业规模",
    },
    "visits": {
        "university_code": "学校标识码",
        "employer_uscc": "统一社会信用代码",
        "visit_date": "走访日期",
        "positions_opened": "新开拓岗位数",
        "leader_level": "带队领导",
        "majors": "需求专业",
        "notes": "备注",
        "external_ref": "台账编号",
        "id": "系统编号",
    },
    "events": {
        "title": "活动名称",
        "kind": "活动类型",
        "mode": "举办形式",
        "start_date": "开始日期",
        "end_date": "结束日期",
        "province": "举办省份",
        "university_code": "主办高校标识码",
        "organizer_name": "主办单位",
        "industry": "行业方向",
        "attendance": "参会毕业生人次",
        "external_ref": "台账编号",
        "id": "系统编号",
    },
    "event_participants": {
        "event_ref": "活动台账编号",
        "employer_uscc": "统一社会信用代码",
        "event_id": "活动系统编号",
    },
    "vacancies": {
        "employer_uscc": "统一社会信用代码",
        "title": "岗位名称",
        "headcount": "招聘人数",
        "posted_date": "发布日期",
        "source": "岗位来源",
        "province": "统计省份",
        "university_code": "学校标识码",
        "education": "学历要求",
        "majors": "专业要求",
        "work_province": "工作地点",
        "policy_program": "政策性岗位",
        "external_ref": "台账编号",
        "id": "系统编号",
    },
    # 重点群体帮扶台账 (app/imports/assisted.py): personal data, see app/imports/personal.py.
    "assisted_graduates": {
        "university_code": "学校标识码",
        "cohort": "届别",
        "name": "姓名",
        "id_number": "居民身份证号",
        "phone": "手机号码",
        "gender": "性别",
        "major": "专业",
        "education": "学历",
        "groups": "困难类别",
        "mentor": "帮扶责任人",
        "status": "就业状态",
        "status_date": "状态日期",
        "external_ref": "台账编号",
        "id": "系统编号",
    },
    # The graduate by 学生系统编号, by 学生台账编号 (within the university), or by 居民身份证号
    # and 届别 (found by its keyed hash).
    "assistance_services": {
        "university_code": "学校标识码",
        "graduate_ref": "学生台账编号",
        "id_number": "居民身份证号",
        "cohort": "届别",
        "kind": "服务类型",
        "service_date": "服务日期",
        "provider": "服务人员",
        "note": "备注",
        "vacancy_id": "推荐岗位编号",
        "programme": "培训项目",
        "hours": "培训学时",
        "amount": "补贴金额",
        "external_ref": "台账编号",
        "graduate_id": "学生系统编号",
        "id": "系统编号",
    },
    # 政策性岗位台账 (app/imports/policy.py): a programme by its 项目代码 or its 项目名称; a
    # quota by its programme, province and year, as is the quota whose progress a row counts.
    "policy_quotas": {
        "program": "项目代码",
        "program_name": "项目名称",
        "province": "省份",
        "year": "年度",
        "positions": "岗位数",
    },
    "policy_progress": {
        "program": "项目代码",
        "program_name": "项目名称",
        "province": "省份",
        "year": "年度",
        "stage": "招录阶段",
        "as_of": "统计日期",
        "people": "人数",
    },
    # 校企供需对接台账 (app/imports/matchmaking*.py): the sessions, the employers that took
    # part (a row each), and the cooperation intents with the days they were signed and landed.
    # A session by its 活动系统编号, or by its 活动名称 and 举办日期; a key field by its code or
    # its name.
    "matchmaking_sessions": {
        "title": "活动名称",
        "format": "活动形式",
        "held_on": "举办日期",
        "organiser": "主办单位",
        "province": "省份",
        "university_code": "学校标识码",
        "universities": "参会高校",
        "id": "系统编号",
    },
    "matchmaking_employers": {
        "session_id": "活动系统编号",
        "session_title": "活动名称",
        "session_held_on": "举办日期",
        "employer_uscc": "统一社会信用代码",
        "key_field": "重点领域",
    },
    "cooperation_intents": {
        "session_id": "活动系统编号",
        "session_title": "活动名称",
        "session_held_on": "举办日期",
        "university_code": "学校标识码",
        "employer_uscc": "统一社会信用代码",
        "type": "合作类型",
        "key_field": "重点领域",
        "summary": "意向概述",
        "signed_on": "签约日期",
        "landed_on": "落地日期",
        "id": "系统编号",
    },
    # 政策宣传台账 (app/imports/publicity*.py): a measure by its 系统编号, or by its 发布单位 and
    # 政策名称 (one title per issuer); a session by its 系统编号, or by all it is but its 受众人数.
    "policy_measures": {
        "title": "政策名称",
        "issuer": "发布单位",
        "level": "政策层级",
        "province": "省份",
        "city": "城市",
        "category": "政策类别",
        "amount": "补贴金额",
        "amount_unit": "金额单位",
        "published_on": "发布日期",
        "effective_from": "生效日期",
        "effective_to": "失效日期",
        "link": "政策链接",
        "summary": "政策摘要",
        "id": "系统编号",
    },
    "publicity_sessions": {
        "held_on": "宣讲日期",
        "title": "宣讲主题",
        "holder_kind": "主办单位类型",
        "holder": "主办单位",
        "province": "省份",
        "university_code": "学校标识码",
        "place": "宣讲场所",
        "audience": "受众人数",
        "id": "系统编号",
    },
}
# The column that names a record by its id (系统编号), last in an export, so that a ledger
# exported and sent back finds each record as itself, whether it has a 台账编号 or not. Optional
# on import (a row without it is a new record, or one found by its 台账编号), and left out of
# templates, which are for new rows.
IDENTITY: dict[str, str] = {
    "visits": "id",
    "events": "id",
    "vacancies": "id",
    "event_participants": "event_id",
    "assisted_graduates": "id",
    "assistance_services": "id",
    "matchmaking_sessions": "id",
    "cooperation_intents": "id",
    "policy_measures": "id",
    "publicity_sessions": "id",
}
# Columns of which a ledger gives at least one, and each row one: a participant's event by its
# id or by its 台账编号; a service's graduate by its id, its 台账编号 or its 居民身份证号.
ONE_OF: dict[str, tuple[str, ...]] = {
    "event_participants": ("event_id", "event_ref"),
    "assistance_services": ("graduate_id", "graduate_ref", "id_number"),
    "policy_quotas": ("program", "program_name"),
    "policy_progress": ("program", "program_name"),
    "matchmaking_employers": ("session_id", "session_title"),  # a title with its 举办日期
    "cooperation_intents": ("session_id", "session_title"),
}
# Fields a new record needs, which a row that names its record may leave empty (an empty cell
# leaves a field as it is): the writer asks for them of new rows (app/imports/assisted.py).
FOR_NEW_RECORDS: dict[str, frozenset[str]] = {
    "assisted_graduates": frozenset({"name", "id_number", "groups"}),
}
SCHEMAS: dict[str, type[BaseModel]] = {
    "universities": UniversityCreate,
    "employers": EmployerCreate,
    "visits": VisitCreate,
    "events": EventCreate,
    "vacancies": VacancyCreate,
    "assisted_graduates": GraduateCreate,
    "assistance_services": ServiceCreate,
    "policy_quotas": QuotaCreate,
    "policy_progress": ProgressCreate,
    "matchmaking_sessions": SessionCreate,
    "cooperation_intents": IntentCreate,
    "policy_measures": MeasureRow,
    "publicity_sessions": PublicitySessionCreate,
}
KINDS = tuple(LABELS)
# Excel's day numbers (1900 system, as Excel counts them): day 1 is 1900-01-01.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_LAST_DAY = 2_958_466  # 9999-12-31
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text an export writes with a leading apostrophe, which an import strips: a formula's start,
# so that a spreadsheet shows the text instead of running it, and an apostrophe itself, so that
# text that starts with one ('=abc) comes back as it was rather than losing it.
NEUTRALISED_STARTS = (*FORMULA_STARTS, "'")
# Cells holding a list (majors): items separated by any of these. Exports join with the first.
LIST_SEPARATORS = ("；", ";", "、", "，", ",", "\n")
LIST_JOINER = LIST_SEPARATORS[0]


@dataclass
class Column:
    field: str
    label: str
    required: bool
    choices: type[LabelledEnum] | None
    is_list: bool
    is_date: bool
    default: Any
    _adapter: TypeAdapter
    _remember: bool
    _seen: dict[Any, Any] = field(default_factory=dict)
    # A ledger of personal data (personal.py): its cells are never quoted as they were sent,
    # but masked or scrubbed; `maskable`, a masked cell stands for the record's value.
    personal: bool = False
    maskable: bool = False
    # Needed by a new record only (FOR_NEW_RECORDS): shaded as required in templates.
    for_new: bool = False

    def shown(self, cell: Any) -> Any:
        """The cell as it may be shown back in an error."""
        return shown_cell(self.field, cell) if self.personal else cell

    def value(self, cell: Any) -> Any:
        """The field's value for a cell (its default for an empty one), or CellError."""
        if self._remember:
            try:
                return self._seen[cell]
            except (KeyError, TypeError):  # not seen yet, or unhashable
                pass
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            if self.required:
                raise CellError(f"{self.label}不能为空", f"{self.field} is required")
            return self.default
        value = self._validate(cell)
        if self._remember and len(self._seen) < _REMEMBERED_AT_MOST:
            self._seen[cell] = value
        return value

    def _validate(self, cell: Any) -> Any:
        if isinstance(cell, str) and cell[:1] == "'" and cell[1:2] in NEUTRALISED_STARTS:
            cell = cell[1:]  # neutralised by an export (see NEUTRALISED_STARTS)
        if self.maskable and isinstance(cell, str):
            try:
                masked = masked_cell(self.field, cell)
            except NotMasked:
                raise CellError(
                    f"{self.label}含有“*”，但不是隐去的形式（应为完整的值，或导出时隐去的原样）",
                    f"{self.field}: holds '*' but is not a masked form (give the full value, "
                    "or leave the masked one as exported)",
                ) from None
            if masked is not None:
                return masked
        if self.choices is not None and isinstance(cell, str):
            cell = _choice(self.choices, cell.strip())
        elif self.is_list and isinstance(cell, str):
            cell = _split(cell)
        elif isinstance(cell, dt.datetime):
            cell = cell.date() if cell.time() == dt.time() else cell
        elif self.is_date and isinstance(cell, int | float) and 0 < cell < _EXCEL_LAST_DAY:
            cell = _EXCEL_EPOCH + dt.timedelta(days=int(cell))  # a date cell not shown as one
        elif isinstance(cell, float) and cell.is_integer():
            cell = int(cell)  # Excel keeps every number as a float
        try:
            return self._adapter.validate_python(cell)
        except ValidationError as error:
            raise _cell_error(self, cell, error) from None


def _choice(choices: type[LabelledEnum], text: str) -> str:
    for member in choices:
        if text in (member.value, member.label):
            return member.value
    return text  # refused by the adapter, which names the accepted codes


def _split(text: str) -> list[str]:
    # A cell holding the joiner was joined with it (as exports do): its items may hold the
    # other separators (中国语言文学（汉语言、汉语国际教育）), which are then theirs.
    if LIST_JOINER not in text:
        for separator in LIST_SEPARATORS[1:]:
            text = text.replace(separator, LIST_JOINER)
    return [item.strip() for item in text.split(LIST_JOINER) if item.strip()]


def joined(items: list[str]) -> str:
    """A list as one cell, which `_split` reads back as the same list: items joined with the
    joiner, which a lone item that holds another separator is followed by."""
    text = LIST_JOINER.join(items)
    if len(items) == 1 and any(separator in text for separator in LIST_SEPARATORS[1:]):
        text += LIST_JOINER
    return text


def _cell_error(column: Column, cell: Any, error: ValidationError) -> CellError:
    detail = error.errors(include_url=False, include_input=False)[0]
    english = f"{column.field}: {detail['msg']}"
    if column.personal and column.field in NUMBER_FIELDS:  # never quoted, even if invalid
        return CellError(f"{column.label}无效：{number_reason(english)}", english)
    cell = column.shown(cell)
    if column.choices is not None:
        accepted = "、".join(f"{m.label}（{m.value}）" for m in column.choices)
        return CellError(f"{column.label}“{cell}”不是可选值，应为：{accepted}", english)
    return CellError(f"{column.label}“{cell}”无效：{_chinese(detail['type'])}", english)


_CHINESE_REASONS = {
    "date_from_datetime_parsing": "不是日期（应为 2023-05-10 的格式）",
    "date_parsing": "不是日期（应为 2023-05-10 的格式）",
    "date_type": "不是日期（应为 2023-05-10 的格式）",
    "int_parsing": "不是整数",
    "int_type": "不是整数",
    "int_from_float": "不是整数",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_too_long": "内容过长",
    "string_too_short": "不能为空",
    "too_long": "项目过多",
    "value_error": "格式或代码不正确",
}


def _chinese(error_type: str) -> str:
    return _CHINESE_REASONS.get(error_type, "格式不正确")


def _enum_of(annotation: Any) -> type[LabelledEnum] | None:
    candidates = get_args(annotation) if get_args(annotation) else (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, LabelledEnum):
            return candidate
    return None


def _is_list(annotation: Any) -> bool:
    base = get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation
    return get_origin(base) is list or any(get_origin(a) is list for a in get_args(base))


# Text that differs row by row: not worth remembering (titles and majors repeat, and are).
_FREE_TEXT = {
    "name",
    "notes",
    "external_ref",
    "event_ref",
    "id",
    "id_number",
    "phone",
    "note",
    "graduate_ref",
    "graduate_id",
    "summary",
}
# Fields a ledger must give although a request body may leave them out (the API fills them
# from its token's reach, or from the event's university): a ledger sent by national staff
# gives them, one sent within a reach may leave them to it (rows.filled_by_reach).
_LEDGER_REQUIRED: dict[str, frozenset[str]] = {
    "visits": frozenset({"university_code"}),
    "events": frozenset({"province"}),
    "assisted_graduates": frozenset({"university_code"}),
    "policy_quotas": frozenset({"province"}),
    "policy_progress": frozenset({"province"}),
    "cooperation_intents": frozenset({"university_code"}),
}
# Columns of ledgers only (not of a request body): their types, and whether required.
_LEDGER_ONLY: dict[str, tuple[Any, bool]] = {
    "event_ref": (ExternalRef, False),  # or event_id (ONE_OF)
    "event_id": (RecordId, False),
    "employer_uscc": (Uscc, True),
    "id": (RecordId, False),
    # A service's graduate (assistance_services).
    "university_code": (UniversityCode, False),
    "graduate_ref": (ExternalRef, False),
    "id_number": (IdNumber, False),
    "cohort": (Cohort, False),
    # A quota's programme, province and year (policy_progress), and a programme by its name.
    "program": (ProgramCode, False),  # or program_name (ONE_OF)
    "program_name": (Name, False),
    "province": (ProvinceCode, False),  # required of national staff (_LEDGER_REQUIRED)
    "year": (Year, True),
    # A matchmaking session named by its id, or by its title and day; a key field by its code
    # or its name (the writer tells which); an intent's steps by their days.
    "session_id": (RecordId, False),
    "session_title": (Name, False),
    "session_held_on": (dt.date, False),
    "key_field": (Name, False),
    "signed_on": (dt.date, False),
    "landed_on": (dt.date, False),
}


def _blank(default: Any) -> Any:
    """What an empty cell gives: nothing (None, or an empty list), never a default such as
    不限 or 0, for an empty cell leaves the field of a record already there as it is. A new
    record gets its defaults as it is written (`new_record_defaults`)."""
    return default if default == [] else None


def new_record_defaults(kind: str) -> dict[str, Any]:
    """The defaults of a new record of `kind` for the fields a ledger may leave empty and
    that are something rather than nothing (学历要求 不限, 参会毕业生人次 0)."""
    schema = SCHEMAS.get(kind)
    if schema is None:
        return {}
    defaults = {}
    for name in LABELS[kind]:
        info = schema.model_fields.get(name)
        if info is None or info.is_required():
            continue
        default = info.get_default(call_default_factory=True)
        if default is not None and default != []:
            defaults[name] = default
    return defaults


def columns_of(kind: str, optional: Collection[str] = ()) -> list[Column]:
    """Fresh columns (with empty memories) for one ledger of `kind`. The fields in `optional`
    may be left blank (or out) even where the API requires them: the sender's reach gives them
    (a university's own code on its visits; see rows.reach_check)."""
    schema = SCHEMAS.get(kind)
    for_new = FOR_NEW_RECORDS.get(kind, frozenset())
    columns = []
    for name, label in LABELS[kind].items():
        if schema is None or name not in schema.model_fields:
            plain = annotation = _LEDGER_ONLY[name][0]
            required = _LEDGER_ONLY[name][1] or name in _LEDGER_REQUIRED.get(kind, ())
            default = None
        else:
            info = schema.model_fields[name]
            plain = info.annotation
            required = info.is_required() or name in _LEDGER_REQUIRED.get(kind, ())
            annotation = Annotated[plain, *info.metadata] if info.metadata else plain
            if name in for_new:
                required = False
                default = [] if _is_list(plain) else None
            else:
                default = None if required else _blank(info.get_default(call_default_factory=True))
        if name in optional or name in ONE_OF.get(kind, ()):
            required = False  # (a column of which a row gives one or another: never alone)
        columns.append(
            Column(
                field=name,
                label=label,
                required=required,
                choices=_enum_of(plain),
                is_list=_is_list(plain),
                is_date=plain is dt.date or dt.date in get_args(plain),
                default=default,
                _adapter=TypeAdapter(annotation),
                _remember=name not in _FREE_TEXT,
                personal=kind in PERSONAL_KINDS,
                maskable=name in MASKABLE.get(kind, ()),
                for_new=name in for_new,
            )
        )
    return columns
