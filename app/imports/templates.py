"""Blank ledgers (.xlsx) to fill in: Chinese headers, one example row, drop-down lists for the
enumerated columns, and code columns formatted as text (an 18-character 统一社会信用代码 typed
into a number cell loses its last digits)."""

import io

import xlsxwriter
from sqlalchemy.orm import Session

from app.auth.principal import NATIONAL, Reach
from app.imports.columns import IDENTITY, ONE_OF, columns_of
from app.imports.rows import filled_by_reach
from app.matchmaking.service import list_fields
from app.publicity.cities import CITIES
from app.reference.data import INDUSTRIES, PROVINCES

_EXAMPLES: dict[str, dict[str, object]] = {
    "universities": {"code": "4111010001", "name": "北京大学", "province": "北京市"},
    "employers": {
        "uscc": "91110108MA01C6LR4W",
        "name": "北京示例科技有限公司",
        "industry": "信息传输、软件和信息技术服务业",
        "province": "北京市",
        "ownership": "民营企业",
        "size": "中型",
    },
    "visits": {
        "university_code": "4111010001",
        "employer_uscc": "91110108MA01C6LR4W",
        "visit_date": "2023-05-10",
        "positions_opened": 12,
        "leader_level": "校领导",
        "majors": "计算机科学与技术；软件工程",
        "notes": "书记带队走访",
        "external_ref": "FQ-2023-001",
    },
    "events": {
        "title": "2023届毕业生春季双选会",
        "kind": "双选会",
        "mode": "线下",
        "start_date": "2023-05-20",
        "end_date": "2023-05-21",
        "province": "北京市",
        "university_code": "4111010001",
        "organizer_name": "北京大学学生就业指导服务中心",
        "industry": "",
        "attendance": 3200,
        "external_ref": "HD-2023-001",
    },
    "event_participants": {"event_ref": "HD-2023-001", "employer_uscc": "91110108MA01C6LR4W"},
    "vacancies": {
        "employer_uscc": "91110108MA01C6LR4W",
        "title": "软件开发工程师",
        "headcount": 5,
        "posted_date": "2023-06-01",
        "source": "就业平台",
        "province": "北京市",
        "university_code": "4111010001",
        "education": "本科",
        "majors": "计算机科学与技术；软件工程",
        "work_province": "北京市",
        "policy_program": "",
        "external_ref": "GW-2023-001",
    },
    # An example row: a number of the right form, no one's (replace it, or delete the row).
    "assisted_graduates": {
        "university_code": "4111010001",
        "cohort": 2023,
        "name": "张小明",
        "id_number": "110101200101010018",
        "phone": "13800138000",
        "gender": "男",
        "major": "计算机科学与技术",
        "education": "本科",
        "groups": "建档立卡脱贫家庭；残疾",
        "mentor": "李老师",
        "status": "未就业",
        "status_date": "2023-03-01",
        "external_ref": "KN-2023-001",
    },
    "assistance_services": {
        "university_code": "4111010001",
        "graduate_ref": "KN-2023-001",
        "id_number": "",
        "cohort": 2023,
        "kind": "就业培训",
        "service_date": "2023-04-12",
        "provider": "王老师",
        "note": "宏志助航计划线上培训",
        "vacancy_id": "",
        "programme": "宏志助航",
        "hours": 16,
        "amount": "",
        "external_ref": "FW-2023-001",
        "graduate_id": "",
    },
    "policy_quotas": {
        "program": "three_supports",
        "program_name": "三支一扶",
        "province": "天津市",
        "year": 2023,
        "positions": 5100,
    },
    "policy_progress": {
        "program": "three_supports",
        "program_name": "三支一扶",
        "province": "天津市",
        "year": 2023,
        "stage": "录用",
        "as_of": "2023-07-31",
        "people": 4500,
    },
    "matchmaking_sessions": {
        "title": "重点领域人才校企供需对接会",
        "format": "校企供需对接会",
        "held_on": "2023-06-28",
        "organiser": "教育部",
        "province": "",
        "university_code": "",
        "universities": "4111010001；4111010003",
    },
    "matchmaking_employers": {
        "session_id": "",
        "session_title": "重点领域人才校企供需对接会",
        "session_held_on": "2023-06-28",
        "employer_uscc": "91110108MA01C6LR4W",
        "key_field": "能源动力",
    },
    "cooperation_intents": {
        "session_id": "",
        "session_title": "重点领域人才校企供需对接会",
        "session_held_on": "2023-06-28",
        "university_code": "4111010001",
        "employer_uscc": "91110108MA01C6LR4W",
        "type": "定向培养",
        "key_field": "能源动力",
        "summary": "共建储能科学与工程专业定向培养班",
        "signed_on": "2023-07-10",
        "landed_on": "",
    },
    "policy_measures": {
        "title": "武汉市高校毕业生求职创业补贴发放办法",
        "issuer": "武汉市人力资源和社会保障局",
        "level": "市级",
        "province": "湖北省",
        "city": "武汉市",
        "category": "求职创业补贴",
        "amount": 1500,
        "amount_unit": "每人",
        "published_on": "2023-06-20",
        "effective_from": "2023-07-01",
        "effective_to": "2025-12-31",
        "link": "https://rsj.wuhan.gov.cn/zcfg/2023/1.html",
        "summary": "对离校前的困难毕业生发放一次性求职创业补贴。",
    },
    "publicity_sessions": {
        "held_on": "2023-06-21",
        "title": "高校毕业生就业政策进园区宣讲",
        "holder_kind": "教育行政部门",
        "holder": "湖北省教育厅",
        "province": "湖北省",
        "university_code": "",
        "place": "进园区",
        "audience": 520,
    },
}
# Drop-down lists beyond the enumerations.
_LISTS = {
    "province": list(PROVINCES.values()),
    "work_province": list(PROVINCES.values()),
    "industry": list(INDUSTRIES.values()),
    "city": list(CITIES.values()),
}
_ROWS_WITH_LISTS = 100_000


def template(session: Session, kind: str, reach: Reach = NATIONAL) -> bytes:
    """The blank ledger of `kind` for a sender of `reach`: the columns its reach fills (a
    university's own 学校标识码) are not shaded as required."""
    lists = _LISTS | {"key_field": [field.name for field in list_fields(session)]}
    # Without the id column (系统编号): a template is for new rows. Of the columns a row gives
    # one of, the one left is required.
    identity, one_of = IDENTITY.get(kind), ONE_OF.get(kind, ())
    columns = [
        column
        for column in columns_of(kind, optional=filled_by_reach(kind, reach))
        if column.field != identity
    ]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    sheet = workbook.add_worksheet(kind)
    hidden = workbook.add_worksheet("可选值")
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    required = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    example = _EXAMPLES[kind]
    for position, column in enumerate(columns):
        needed = column.required or column.for_new or column.field in one_of
        shading = required if needed else header
        sheet.write_string(0, position, column.label, shading)
        sheet.set_column(position, position, max(12, len(column.label) * 2 + 2), text)
        value = example.get(column.field, "")
        if isinstance(value, int):
            sheet.write_number(1, position, value)
        else:
            sheet.write_string(1, position, str(value), text)
        choices = _choices(column, lists)
        if choices:
            hidden.write_column(0, position, choices)
            letter = xlsxwriter.utility.xl_col_to_name(position)
            source = f"='可选值'!${letter}$1:${letter}${len(choices)}"
            sheet.data_validation(
                1, position, _ROWS_WITH_LISTS, position, {"validate": "list", "source": source}
            )
    sheet.freeze_panes(1, 0)
    hidden.hide()
    workbook.close()
    return buffer.getvalue()


def _choices(column, lists: dict[str, list[str]]) -> list[str]:
    if column.choices is not None:
        return [member.label for member in column.choices]
    return lists.get(column.field, [])
