"""The matchmaking (校企供需对接) of the demo and of the generated national campaign: the
Ministry's 重点领域人才校企供需对接会 as the report tells it (35 employers of the 15 key fields and
25 universities, 北京大学 and 清华大学 among them, reached 98 intents: "近百个合作意向"),
Shandong's 政行企校四方协作 meeting, and a university's own session; with the intents' follow-up
(签约, 落地) through the summer."""

import datetime as dt
import random
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.employers.models import Employer
from app.matchmaking.intents import add_step, create_intent
from app.matchmaking.models import IntentType, MatchmakingSession, SessionFormat
from app.matchmaking.schemas import EmployerTakingPart, IntentCreate, SessionCreate, StepCreate
from app.matchmaking.service import create_session, list_fields
from app.universities.models import University
from app.universities.schemas import UniversityCreate
from app.universities.service import create_university

SEED = 20230628
# The Ministry's meeting: (学校标识码, name, province), 北京大学 and 清华大学 first.
MEETING_UNIVERSITIES = [
    ("4111010001", "北京大学", "11"), ("4111010003", "清华大学", "11"),
    ("4111010004", "北京交通大学", "11"), ("4111010006", "北京航空航天大学", "11"),
    ("4111010007", "北京理工大学", "11"), ("4111010010", "北京化工大学", "11"),
    ("4112010056", "天津大学", "12"), ("4121010141", "大连理工大学", "21"),
    ("4123010213", "哈尔滨工业大学", "23"), ("4131010246", "复旦大学", "31"),
    ("4131010247", "同济大学", "31"), ("4131010248", "上海交通大学", "31"),
    ("4132010284", "南京大学", "32"), ("4132010286", "东南大学", "32"),
    ("4133010335", "浙江大学", "33"), ("4134010358", "中国科学技术大学", "34"),
    ("4137010425", "中国石油大学（华东）", "37"), ("4142010486", "武汉大学", "42"),
    ("4142010487", "华中科技大学", "42"), ("4143010532", "湖南大学", "43"),
    ("4144010558", "中山大学", "44"), ("4144010561", "华南理工大学", "44"),
    ("4150010611", "重庆大学", "50"), ("4151010614", "电子科技大学", "51"),
    ("4161010698", "西安交通大学", "61"),
]  # fmt: skip
SHANDONG_UNIVERSITIES = [
    ("4137010431", "齐鲁工业大学", "37"), ("4137010425", "中国石油大学（华东）", "37"),
    ("4137010422", "山东大学", "37"),
]  # fmt: skip
# (title, format, day, organiser, province, university, employers, intents, signed, landed)
SESSIONS = [
    ("重点领域人才校企供需对接会", SessionFormat.SUPPLY_DEMAND, dt.date(2023, 6, 28), "教育部",
     None, None, 35, 98, 31, 12),
    ("就业育人“政行企校”四方协作对接洽谈会", SessionFormat.FOUR_PARTY, dt.date(2023, 6, 9),
     "山东省人力资源社会保障厅、教育厅、齐鲁工业大学", "37", None, 12, 14, 5, 2),
    ("集成电路行业校企供需对接会", SessionFormat.SUPPLY_DEMAND, dt.date(2023, 5, 26),
     "电子科技大学", "51", "4151010614", 8, 6, 2, 0),
]  # fmt: skip
INTENT_TYPE_WEIGHTS = {
    IntentType.DIRECTED_TRAINING: 30,
    IntentType.INTERNSHIP_BASE: 28,
    IntentType.JOINT_RESEARCH: 22,
    IntentType.EMPLOYMENT_EDUCATION: 18,
}
SIGNED_BY = dt.date(2023, 7, 31)
LANDED_BY = dt.date(2023, 8, 25)


def _universities(session: Session, listed: list[tuple[str, str, str]]) -> list[str]:
    """The codes of `listed`, registering those the registry lacks."""
    for code, name, province in listed:
        if session.get(University, code) is None:
            create_university(session, UniversityCreate(code=code, name=name, province=province))
    return [code for code, _, _ in listed]


def _employers(session: Session, rng: random.Random, count: int, province: str | None):
    query = select(Employer.uscc).order_by(Employer.uscc)
    if province is not None:
        query = query.where(Employer.province == province)
    # The first thousand: enough to choose from, at any scale, without reading them all.
    return rng.sample(list(session.scalars(query.limit(1000))), count)


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _follow_up(session: Session, rng: random.Random, intent_ids: list[int], spec) -> None:
    day, signed, landed = spec[2], spec[8], spec[9]
    for position, intent_id in enumerate(rng.sample(intent_ids, signed)):
        signed_on = _day_between(rng, day + dt.timedelta(days=7), SIGNED_BY)
        add_step(session, intent_id, StepCreate(status="signed", as_of=signed_on), None)
        if position < landed:
            landed_on = _day_between(rng, signed_on + dt.timedelta(days=7), LANDED_BY)
            add_step(session, intent_id, StepCreate(status="landed", as_of=landed_on), None)


def _load_session(session: Session, rng: random.Random, spec, universities: list[str]) -> int:
    title, format, day, organiser, province, university, employers, intents = spec[:8]
    fields = [field.code for field in list_fields(session)]
    usccs = _employers(session, rng, employers, province)
    data = SessionCreate(
        title=title,
        format=format,
        held_on=day,
        organiser=organiser,
        province=province,
        university_code=university,
        universities=universities,
        employers=[
            EmployerTakingPart(uscc=uscc, field=fields[n % len(fields)])
            for n, uscc in enumerate(usccs)
        ],
    )
    meeting = create_session(session, data, None)
    kinds = rng.sample(list(Counter(INTENT_TYPE_WEIGHTS).elements()), intents)
    intent_ids = []
    for n, kind in enumerate(kinds):
        intent = IntentCreate(
            session_id=meeting.id,
            university_code=universities[n % len(universities)],
            employer_uscc=usccs[rng.randrange(employers)],
            type=kind,
        )
        intent_ids.append(create_intent(session, intent, None).id)
    _follow_up(session, rng, intent_ids, spec)
    return intents


def load_matchmaking(session: Session) -> int:
    """Create the sessions and their intents; answer how many intents. Nothing where some
    session is recorded already."""
    if session.scalar(select(MatchmakingSession.id).limit(1)) is not None:
        return 0
    rng = random.Random(SEED)
    taking_part = [
        _universities(session, MEETING_UNIVERSITIES),
        _universities(session, SHANDONG_UNIVERSITIES),
        ["4151010614"],
    ]
    return sum(
        _load_session(session, rng, spec, universities)
        for spec, universities in zip(SESSIONS, taking_part, strict=True)
    )
