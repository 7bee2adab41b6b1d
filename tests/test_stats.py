"""The statistics API (SPEC.md, "What the numbers mean") against a small hand-made data set.

Every figure is checked against `expected_figures`, an independent count in plain Python over
the records the data set created, implementing SPEC's attribution rules: a visit counts under
its university and that university's province; an event under its province and organizer; a
vacancy under its own province and university_code. The industry filter keeps the visits and
vacancies of employers of that section and, for employers_at_events, those employers at any event
in range; events and attendances keep the events whose focus is that section.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest

from app.campaigns.service import find_campaign
from app.core.errors import InvalidInput, UnknownReference
from app.reference.data import INDUSTRIES, PROVINCES
from app.stats import groups, service
from app.stats.periods import Interval
from app.stats.scope import Scope
from tests import factories as f

STATS = "/api/v1/stats"
SUMMARY = f"{STATS}/summary"
BREAKDOWN = f"{STATS}/breakdown"

FIGURES = (
    "universities_visiting",
    "enterprises_visited",
    "visits",
    "positions_opened",
    "events",
    "employers_at_events",
    "attendances",
    "postings",
    "headcount",
)
VISIT_FIGURES = FIGURES[:4]
EVENT_FIGURES = ("events", "attendances")
PARTICIPANT_FIGURES = ("employers_at_events",)
VACANCY_FIGURES = ("postings", "headcount")

D = dt.date.fromisoformat

PKU, THU, SYSU, FDU = f.PKU, "4111010003", f.SYSU, "4131010246"
UNIVERSITIES = {  # code -> (name, province)
    PKU: ("北京大学", "11"),
    THU: ("清华大学", "11"),
    SYSU: ("中山大学", "44"),
    FDU: ("复旦大学", "31"),
}
EMPLOYERS = {  # key -> (industry, province)
    "E1": ("I", "11"),
    "E2": ("I", "44"),
    "E3": ("C", "44"),
    "E4": ("C", "31"),
    "E5": ("J", "11"),
    "E6": ("J", "31"),
    "E7": ("I", "31"),
    "E8": ("C", "11"),
}
USCC = {key: f.make_uscc(900 + int(key[1:]), province) for key, (_, province) in EMPLOYERS.items()}

C23 = ("c23", D("2023-05-01"), D("2023-08-31"))
C22 = ("c22", D("2022-05-01"), D("2022-08-31"))

# GB/T 2260 order, every province-level division.
PROVINCE_ORDER = [
    *["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"],
    *["41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"],
    *["65", "71", "81", "82"],
]
INDUSTRY_ORDER = list("ABCDEFGHIJKLMNOPQRST")
EVENT_KIND_NAMES = {
    "job_fair": "双选会",
    "industry_fair": "行业专场招聘会",
    "info_session": "宣讲会",
    "livestream": "直播带岗",
    "online_fair": "网络招聘会",
}
SOURCE_NAMES = {
    "event": "招聘活动",
    "visit": "访企拓岗",
    "platform": "就业平台",
    "direct": "单位直接发布",
}
POLICY_NAMES = {
    "special_post_teacher": "特岗计划",
    "three_supports": "三支一扶",
    "western_volunteer": "西部计划",
    "community": "城乡社区专项计划",
    "rural_doctor": "大学生乡村医生专项计划",
}


# --- the data set -------------------------------------------------------------------------


@dataclass
class VisitRec:
    university: str
    employer: str  # key into EMPLOYERS
    day: dt.date
    positions: int
    id: int | None = None


@dataclass
class EventRec:
    kind: str
    province: str
    university: str | None
    industry: str | None
    start: dt.date
    end: dt.date
    attendance: int
    participants: list[str]  # keys into EMPLOYERS
    id: int | None = None


@dataclass
class VacancyRec:
    employer: str
    day: dt.date
    headcount: int
    source: str
    province: str  # where it is counted (as the API must resolve it)
    university: str | None
    policy: str | None = None
    event: str | None = None  # key of the event / visit it came from
    visit: str | None = None
    given: dict = field(default_factory=dict)  # fields sent explicitly
    id: int | None = None


@dataclass
class Data:
    universities: dict[str, tuple[str, str]]
    employers: dict[str, tuple[str, str]]
    visits: dict[str, VisitRec]
    events: dict[str, EventRec]
    vacancies: dict[str, VacancyRec]


def _visits() -> dict[str, VisitRec]:
    return {
        "v1": VisitRec(PKU, "E1", D("2023-05-01"), 10),  # first day of c23
        "v2": VisitRec(PKU, "E1", D("2023-06-15"), 5),  # same employer, same university
        "v3": VisitRec(THU, "E1", D("2023-05-16"), 7),  # same employer, second university
        "v4": VisitRec(PKU, "E3", D("2023-05-10"), 3),
        "v5": VisitRec(PKU, "E3", D("2023-05-10"), 4),  # same-day repeat
        "v6": VisitRec(SYSU, "E2", D("2023-05-22"), 20),
        "v7": VisitRec(SYSU, "E5", D("2023-08-31"), 8),  # last day of c23
        "v8": VisitRec(FDU, "E6", D("2023-07-03"), 0),
        "v9": VisitRec(FDU, "E4", D("2023-05-15"), 6),
        "v10": VisitRec(PKU, "E8", D("2023-04-30"), 100),  # the day before c23
        "v11": VisitRec(SYSU, "E2", D("2023-09-01"), 200),  # the day after c23
        "v12": VisitRec(PKU, "E1", D("2022-05-03"), 9),
        "v13": VisitRec(SYSU, "E3", D("2022-06-01"), 11),
        "v14": VisitRec(THU, "E5", D("2022-09-01"), 50),  # the day after c22
    }


def _events() -> dict[str, EventRec]:
    return {
        "ev1": EventRec(
            "job_fair", "11", PKU, None, D("2023-05-20"), D("2023-05-21"), 500, ["E1", "E5", "E8"]
        ),
        "ev2": EventRec(
            "industry_fair", "44", SYSU, "I", D("2023-06-10"), D("2023-06-10"), 300, ["E1", "E2"]
        ),
        # a department event: no organizing university
        "ev3": EventRec(
            "info_session", "11", None, "C", D("2023-05-01"), D("2023-05-01"), 120, ["E3", "E8"]
        ),
        # starts on the last day of c23, ends after it: counted by its start
        "ev4": EventRec(
            "online_fair",
            "31",
            FDU,
            None,
            D("2023-08-31"),
            D("2023-09-02"),
            1000,
            ["E4", "E6", "E7"],
        ),
        # starts before c23, ends inside it: not counted
        "ev5": EventRec(
            "livestream", "44", None, None, D("2023-04-30"), D("2023-05-01"), 77, ["E2"]
        ),
        "ev6": EventRec("job_fair", "11", THU, None, D("2023-09-01"), D("2023-09-01"), 66, ["E1"]),
        "ev7": EventRec(
            "job_fair", "11", PKU, None, D("2022-05-20"), D("2022-05-20"), 400, ["E1", "E5"]
        ),
        "ev8": EventRec(
            "industry_fair", "44", SYSU, "C", D("2022-07-01"), D("2022-07-01"), 250, ["E3"]
        ),
        # held in Jiangsu (32) by a Shanghai university: counted under 32 and under FDU
        "ev9": EventRec(
            "info_session", "32", FDU, "J", D("2023-07-03"), D("2023-07-03"), 40, ["E7"]
        ),
    }


def _vacancies() -> dict[str, VacancyRec]:
    return {
        "va1": VacancyRec("E1", D("2023-06-01"), 5, "direct", "11", None),
        "va2": VacancyRec("E2", D("2023-06-10"), 12, "event", "44", SYSU, event="ev2"),
        "va3": VacancyRec("E3", D("2023-05-11"), 3, "visit", "11", PKU, visit="v4"),
        "va4": VacancyRec(
            "E5",
            D("2023-07-01"),
            20,
            "platform",
            "44",
            None,
            policy="special_post_teacher",
            given={"province": "440100"},
        ),
        "va5": VacancyRec(
            "E6",
            D("2023-08-31"),
            8,
            "platform",
            "31",
            FDU,
            policy="three_supports",
            given={"province": "31", "university_code": FDU},
        ),
        "va6": VacancyRec(
            "E7", D("2023-05-01"), 1, "direct", "31", None, policy="western_volunteer"
        ),
        "va7": VacancyRec("E8", D("2023-04-30"), 99, "direct", "11", None),
        "va8": VacancyRec("E4", D("2023-09-01"), 77, "direct", "31", None),
        "va9": VacancyRec("E1", D("2022-05-10"), 30, "platform", "11", None),
        "va10": VacancyRec("E3", D("2022-08-31"), 4, "direct", "44", None),
        "va11": VacancyRec(
            "E5", D("2023-05-21"), 6, "event", "11", PKU, event="ev1", policy="community"
        ),
        # a university named but no province: counted in the employer's province (44), under PKU
        "va12": VacancyRec(
            "E2",
            D("2023-07-20"),
            2,
            "direct",
            "44",
            PKU,
            policy="rural_doctor",
            given={"university_code": PKU},
        ),
    }


def visit_body(data: Data, rec: VisitRec) -> dict:
    return f.visit(
        rec.university,
        USCC[rec.employer],
        visit_date=rec.day.isoformat(),
        positions_opened=rec.positions,
    )


def event_body(rec: EventRec) -> dict:
    body = f.event(
        kind=rec.kind,
        start_date=rec.start.isoformat(),
        end_date=rec.end.isoformat(),
        province=rec.province,
        attendance=rec.attendance,
        participants=[USCC[key] for key in rec.participants],
    )
    if rec.university:
        body["university_code"] = rec.university
    else:
        body["organizer_name"] = "省教育厅"
    if rec.industry:
        body["industry"] = rec.industry
    return body


def build_data(client) -> Data:
    """The data set, created through the API; answers it with each record's id."""
    for code, (name, province) in UNIVERSITIES.items():
        f.created(client.post("/api/v1/universities", json=f.university(code, name, province)))
    for key, (industry, province) in EMPLOYERS.items():
        body = f.employer(USCC[key], province=province, industry=industry)
        f.created(client.post("/api/v1/employers", json=body))
    for slug, start, end in (C22, C23):
        body = {"slug": slug, "name": f"{slug} 百日冲刺", "start_date": str(start)}
        body |= {"end_date": str(end), "previous": "c22" if slug == "c23" else None}
        f.created(client.post("/api/v1/campaigns", json=body))
    data = Data(dict(UNIVERSITIES), dict(EMPLOYERS), _visits(), _events(), _vacancies())
    for rec in data.visits.values():
        rec.id = f.created(client.post("/api/v1/visits", json=visit_body(data, rec)))["id"]
    for rec in data.events.values():
        rec.id = f.created(client.post("/api/v1/events", json=event_body(rec)))["id"]
    for rec in data.vacancies.values():
        body = f.vacancy(
            USCC[rec.employer],
            headcount=rec.headcount,
            posted_date=rec.day.isoformat(),
            source=rec.source,
            **rec.given,
        )
        if rec.policy:
            body["policy_program"] = rec.policy
        if rec.event:
            body["event_id"] = data.events[rec.event].id
        if rec.visit:
            body["visit_id"] = data.visits[rec.visit].id
        answer = f.created(client.post("/api/v1/vacancies", json=body))
        # The API counts it where SPEC says: its own province and university_code.
        assert (answer["province"], answer["university_code"]) == (rec.province, rec.university)
        rec.id = answer["id"]
    return data


@pytest.fixture
def data(client) -> Data:
    return build_data(client)


@pytest.fixture
def campaigns(client) -> None:
    """Only the campaigns c22 and c23 (c23 compares with c22), for requests that fail."""
    for slug, start, end in (C22, C23):
        body = {"slug": slug, "name": slug, "start_date": str(start), "end_date": str(end)}
        f.created(
            client.post(
                "/api/v1/campaigns", json=body | {"previous": "c22" if slug == "c23" else None}
            )
        )


# --- the independent reference count --------------------------------------------------------


def _visit_keys(data: Data, rec: VisitRec) -> dict:
    return {
        "province": data.universities[rec.university][1],
        "university": rec.university,
        "industry": data.employers[rec.employer][0],
    }


def _event_keys(rec: EventRec) -> dict:
    return {
        "province": rec.province,
        "university": rec.university,
        "industry": rec.industry,
        "event_kind": rec.kind,
    }


def _participant_keys(data: Data, rec: EventRec, employer: str) -> dict:
    return _event_keys(rec) | {"industry": data.employers[employer][0]}


def _vacancy_keys(data: Data, rec: VacancyRec) -> dict:
    return {
        "province": rec.province,
        "university": rec.university,
        "industry": data.employers[rec.employer][0],
        "source": rec.source,
        "policy_program": rec.policy,
    }


_MISSING = object()


def expected_figures(
    data: Data,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    by: str | None = None,
    group: object = _MISSING,
    **filters: str | None,
) -> dict:
    """The nine figures over `data` in [start, end] under `filters` (and in `group` of `by`);
    None for figures whose records have no value for `by`."""

    def keep(day: dt.date, keys: dict) -> bool:
        if (start and day < start) or (end and day > end):
            return False
        if any(value is not None and keys[name] != value for name, value in filters.items()):
            return False
        return by is None or (by in keys and keys[by] == group)

    visits = [v for v in data.visits.values() if keep(v.day, _visit_keys(data, v))]
    events = [e for e in data.events.values() if keep(e.start, _event_keys(e))]
    participants = {
        employer
        for e in data.events.values()
        for employer in e.participants
        if keep(e.start, _participant_keys(data, e, employer))
    }
    vacancies = [v for v in data.vacancies.values() if keep(v.day, _vacancy_keys(data, v))]
    figures = {
        "universities_visiting": len({v.university for v in visits}),
        "enterprises_visited": len({v.employer for v in visits}),
        "visits": len(visits),
        "positions_opened": sum(v.positions for v in visits),
        "events": len(events),
        "employers_at_events": len(participants),
        "attendances": sum(e.attendance for e in events),
        "postings": len(vacancies),
        "headcount": sum(v.headcount for v in vacancies),
    }
    if by is not None:
        for names, keys in (
            (VISIT_FIGURES, "province university industry"),
            (EVENT_FIGURES + PARTICIPANT_FIGURES, "province university industry event_kind"),
            (VACANCY_FIGURES, "province university industry source policy_program"),
        ):
            if by not in keys.split():
                figures.update(dict.fromkeys(names))
    return figures


def groups_present(data: Data, by: str, start=None, end=None, **filters) -> set:
    """The values of `by` that some record in scope has."""
    present = set()
    for day, keys in (
        *((v.day, _visit_keys(data, v)) for v in data.visits.values()),
        *((e.start, _event_keys(e)) for e in data.events.values()),
        *(
            (e.start, _participant_keys(data, e, p))
            for e in data.events.values()
            for p in e.participants
        ),
        *((v.day, _vacancy_keys(data, v)) for v in data.vacancies.values()),
    ):
        if by not in keys or (start and day < start) or (end and day > end):
            continue
        if all(value is None or keys[name] == value for name, value in filters.items()):
            present.add(keys[by])
    return present


# --- scopes: request parameters and what they mean ----------------------------------------

# name -> (query parameters, (start, end), filters the reference applies)
CASES = {
    "none": ({}, (None, None), {}),
    "campaign": ({"campaign": "c23"}, C23[1:], {}),
    "previous_campaign": ({"campaign": "c22"}, C22[1:], {}),
    "range": ({"from": "2023-05-10", "to": "2023-06-10"}, (D("2023-05-10"), D("2023-06-10")), {}),
    "single_day": ({"from": "2023-05-10", "to": "2023-05-10"}, (D("2023-05-10"),) * 2, {}),
    "from_only": ({"from": "2023-08-31"}, (D("2023-08-31"), None), {}),
    "to_only": ({"to": "2023-05-01"}, (None, D("2023-05-01")), {}),
    "campaign_and_from": (
        {"campaign": "c23", "from": "2023-06-01"},
        (D("2023-06-01"), C23[2]),
        {},
    ),
    "province": ({"campaign": "c23", "province": "11"}, C23[1:], {"province": "11"}),
    "province_6_digit": (
        {"campaign": "c23", "province": "440300"},
        C23[1:],
        {"province": "44"},
    ),
    "province_name": ({"campaign": "c23", "province": "北京"}, C23[1:], {"province": "11"}),
    "province_of_event_only": (
        {"campaign": "c23", "province": "320000"},
        C23[1:],
        {"province": "32"},
    ),
    "province_without_records": (
        {"campaign": "c23", "province": "65"},
        C23[1:],
        {"province": "65"},
    ),
    "university": ({"campaign": "c23", "university": PKU}, C23[1:], {"university": PKU}),
    "university_all_time": ({"university": FDU}, (None, None), {"university": FDU}),
    "industry": ({"campaign": "c23", "industry": "I"}, C23[1:], {"industry": "I"}),
    "industry_lower_case": ({"campaign": "c23", "industry": "c"}, C23[1:], {"industry": "C"}),
    "industry_name": (
        {"campaign": "c23", "industry": "金融业"},
        C23[1:],
        {"industry": "J"},
    ),
    "province_and_industry": (
        {"campaign": "c23", "province": "44", "industry": "I"},
        C23[1:],
        {"province": "44", "industry": "I"},
    ),
    "university_and_industry": (
        {"campaign": "c23", "university": PKU, "industry": "C"},
        C23[1:],
        {"university": PKU, "industry": "C"},
    ),
    "range_province_industry": (
        {"from": "2023-05-01", "to": "2023-05-31", "province": "11", "industry": "C"},
        (D("2023-05-01"), D("2023-05-31")),
        {"province": "11", "industry": "C"},
    ),
}


def answered_filters(case: str) -> dict:
    params, _, filters = CASES[case]
    base = {"campaign": params.get("campaign"), "province": None, "university": None}
    return base | {"industry": None} | filters


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def get_ok(client, path: str, **params) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


# --- the reference itself, by hand ----------------------------------------------------------


def test_reference_count_matches_hand_count(data):
    """The national figures of c23 and c22, counted by hand from the lists above."""
    assert expected_figures(data, *C23[1:]) == {
        "universities_visiting": 4,
        "enterprises_visited": 6,
        "visits": 9,
        "positions_opened": 63,
        "events": 5,
        "employers_at_events": 8,
        "attendances": 1960,
        "postings": 8,
        "headcount": 57,
    }
    assert expected_figures(data, *C22[1:]) == {
        "universities_visiting": 2,
        "enterprises_visited": 2,
        "visits": 2,
        "positions_opened": 20,
        "events": 2,
        "employers_at_events": 3,
        "attendances": 650,
        "postings": 2,
        "headcount": 34,
    }
    # industry J (E5, E6): v7, v8; the event with J focus (ev9), though neither is there;
    # E5 at ev1 and E6 at ev4; va4, va5, va11
    assert expected_figures(data, *C23[1:], industry="J") == {
        "universities_visiting": 2,
        "enterprises_visited": 2,
        "visits": 2,
        "positions_opened": 8,
        "events": 1,
        "employers_at_events": 2,
        "attendances": 40,
        "postings": 3,
        "headcount": 34,
    }


# --- summary --------------------------------------------------------------------------------


def test_summary_of_the_campaign_by_hand(client, data):
    assert get_ok(client, SUMMARY, campaign="c23") == {
        "from": "2023-05-01",
        "to": "2023-08-31",
        "filters": {"campaign": "c23", "province": None, "university": None, "industry": None},
        "figures": {
            "universities_visiting": 4,
            "enterprises_visited": 6,
            "visits": 9,
            "positions_opened": 63,
            "events": 5,
            "employers_at_events": 8,
            "attendances": 1960,
            "postings": 8,
            "headcount": 57,
        },
        "previous": None,
        "change_percent": None,
    }


@pytest.mark.parametrize("case", CASES)
def test_summary_equals_independent_count(client, data, case):
    params, (start, end), filters = CASES[case]
    assert get_ok(client, SUMMARY, **params) == {
        "from": iso(start),
        "to": iso(end),
        "filters": answered_filters(case),
        "figures": expected_figures(data, start, end, **filters),
        "previous": None,
        "change_percent": None,
    }


def test_summary_of_empty_database_is_all_zero(client):
    body = get_ok(client, SUMMARY)
    assert body["figures"] == dict.fromkeys(FIGURES, 0)
    assert (body["from"], body["to"]) == (None, None)


def test_boundaries_are_inclusive(client, data):
    """The first and last day of c23 count; the days either side do not."""
    first = get_ok(client, SUMMARY, **{"from": "2023-05-01", "to": "2023-05-01"})["figures"]
    assert first == {
        "universities_visiting": 1,  # v1
        "enterprises_visited": 1,
        "visits": 1,
        "positions_opened": 10,
        "events": 1,  # ev3, not ev5 which started the day before
        "employers_at_events": 2,
        "attendances": 120,
        "postings": 1,  # va6
        "headcount": 1,
    }
    last = get_ok(client, SUMMARY, **{"from": "2023-08-31", "to": "2023-08-31"})["figures"]
    assert last == {
        "universities_visiting": 1,  # v7
        "enterprises_visited": 1,
        "visits": 1,
        "positions_opened": 8,
        "events": 1,  # ev4
        "employers_at_events": 3,
        "attendances": 1000,
        "postings": 1,  # va5
        "headcount": 8,
    }
    before = get_ok(client, SUMMARY, **{"from": "2023-04-30", "to": "2023-04-30"})["figures"]
    assert before == {
        "universities_visiting": 1,  # v10
        "enterprises_visited": 1,
        "visits": 1,
        "positions_opened": 100,
        "events": 1,  # ev5
        "employers_at_events": 1,
        "attendances": 77,
        "postings": 1,  # va7
        "headcount": 99,
    }


def test_attribution_by_hand(client, data):
    """Visits go with their university's province, events with their own province and
    organizer, vacancies with their own province and university_code."""
    jiangsu = get_ok(client, SUMMARY, campaign="c23", province="32")["figures"]
    assert jiangsu == {
        "universities_visiting": 0,
        "enterprises_visited": 0,
        "visits": 0,
        "positions_opened": 0,
        "events": 1,  # ev9, held in Jiangsu by Fudan
        "employers_at_events": 1,
        "attendances": 40,
        "postings": 0,
        "headcount": 0,
    }
    fudan = get_ok(client, SUMMARY, campaign="c23", university=FDU)["figures"]
    assert fudan == {
        "universities_visiting": 1,
        "enterprises_visited": 2,  # E6 (v8), E4 (v9)
        "visits": 2,
        "positions_opened": 6,
        "events": 2,  # ev4 in Shanghai, ev9 in Jiangsu
        "employers_at_events": 3,  # E4, E6, E7
        "attendances": 1040,
        "postings": 1,  # va5
        "headcount": 8,
    }
    # va12 names PKU but is counted in Guangdong, its employer's province
    pku = get_ok(client, SUMMARY, campaign="c23", university=PKU)["figures"]
    assert (pku["postings"], pku["headcount"]) == (3, 11)  # va3, va11, va12
    beijing = get_ok(client, SUMMARY, campaign="c23", province="11")["figures"]
    assert (beijing["postings"], beijing["headcount"]) == (3, 14)  # va1, va3, va11
    guangdong = get_ok(client, SUMMARY, campaign="c23", province="44")["figures"]
    assert (guangdong["postings"], guangdong["headcount"]) == (3, 34)  # va2, va4, va12


def test_industry_filter_by_hand(client, data):
    """Industry I: visits and vacancies of I employers; employers_at_events the I employers at
    any event; events and attendances only the events whose focus is I."""
    assert get_ok(client, SUMMARY, campaign="c23", industry="I")["figures"] == {
        "universities_visiting": 3,  # PKU, THU (E1), SYSU (E2)
        "enterprises_visited": 2,  # E1, E2
        "visits": 4,  # v1, v2, v3, v6
        "positions_opened": 42,
        "events": 1,  # ev2
        "employers_at_events": 3,  # E1, E2, E7
        "attendances": 300,
        "postings": 4,  # va1, va2, va6, va12
        "headcount": 20,
    }


# --- compare=previous -----------------------------------------------------------------------


def _change(now: int, before: int) -> float | None:
    return None if before == 0 else round((now - before) * 100 / before, 1)


def test_compare_previous_by_hand(client, data):
    body = get_ok(client, SUMMARY, campaign="c23", compare="previous")
    assert body["previous"] == {
        "campaign": "c22",
        "from": "2022-05-01",
        "to": "2022-08-31",
        "figures": {
            "universities_visiting": 2,
            "enterprises_visited": 2,
            "visits": 2,
            "positions_opened": 20,
            "events": 2,
            "employers_at_events": 3,
            "attendances": 650,
            "postings": 2,
            "headcount": 34,
        },
    }
    assert body["change_percent"] == {
        "universities_visiting": 100.0,
        "enterprises_visited": 200.0,
        "visits": 350.0,
        "positions_opened": 215.0,
        "events": 150.0,
        "employers_at_events": 166.7,
        "attendances": 201.5,
        "postings": 300.0,
        "headcount": 67.6,
    }


@pytest.mark.parametrize(
    ("params", "filters"),
    [
        ({}, {}),
        ({"from": "2023-05-10", "to": "2023-06-30"}, {}),
        ({"province": "11"}, {"province": "11"}),
        ({"province": "31"}, {"province": "31"}),  # nothing in Shanghai in 2022: all null
        ({"industry": "J"}, {"industry": "J"}),
        ({"university": SYSU, "industry": "C"}, {"university": SYSU, "industry": "C"}),
        ({"to": "2023-05-31"}, {}),
    ],
)
def test_compare_previous_equals_independent_count(client, data, params, filters):
    body = get_ok(client, SUMMARY, campaign="c23", compare="previous", **params)
    start = D(params.get("from", "2023-05-01"))
    end = D(params.get("to", "2023-08-31"))
    shift = C22[1] - C23[1]
    now = expected_figures(data, start, end, **filters)
    before = expected_figures(data, start + shift, end + shift, **filters)
    assert body["figures"] == now
    assert body["previous"] == {
        "campaign": "c22",
        "from": iso(start + shift),
        "to": iso(end + shift),
        "figures": before,
    }
    assert body["change_percent"] == {name: _change(now[name], before[name]) for name in FIGURES}


def test_compare_is_aligned_by_day_of_campaign_not_by_date(client, data):
    """c24 starts on 2024-05-06, 371 days after c23: day k of c24 is day k of c23."""
    body = {"slug": "c24", "name": "2024", "start_date": "2024-05-06", "end_date": "2024-08-31"}
    f.created(client.post("/api/v1/campaigns", json=body | {"previous": "c23"}))
    answer = get_ok(client, SUMMARY, campaign="c24", compare="previous")
    # c24 has no records; its 118 days map onto 2023-05-01..2023-08-26
    assert answer["figures"] == dict.fromkeys(FIGURES, 0)
    assert answer["previous"] == {
        "campaign": "c23",
        "from": "2023-05-01",
        "to": "2023-08-26",
        "figures": expected_figures(data, D("2023-05-01"), D("2023-08-26")),
    }
    assert answer["previous"]["figures"]["visits"] == 8  # v7 of 2023-08-31 falls outside
    assert answer["change_percent"] == {
        name: (None if answer["previous"]["figures"][name] == 0 else -100.0) for name in FIGURES
    }
    window = get_ok(
        client,
        SUMMARY,
        campaign="c24",
        compare="previous",
        **{"from": "2024-05-13", "to": "2024-05-19"},
    )
    assert (window["previous"]["from"], window["previous"]["to"]) == ("2023-05-08", "2023-05-14")
    assert window["previous"]["figures"] == expected_figures(data, D("2023-05-08"), D("2023-05-14"))


@pytest.mark.parametrize(
    "params",
    [
        {"compare": "previous"},
        {"compare": "previous", "from": "2023-05-01", "to": "2023-08-31"},
        {"compare": "previous", "campaign": "c22"},  # c22 names no previous campaign
    ],
)
def test_compare_without_previous_campaign_is_422(client, campaigns, params):
    f.assert_problem(client.get(SUMMARY, params=params), 422, "compare")


def test_compare_other_than_previous_is_422(client, campaigns):
    f.assert_problem(
        client.get(SUMMARY, params={"campaign": "c23", "compare": "next"}), 422, "compare"
    )


def test_compare_moved_off_the_calendar_is_422(client, campaigns):
    params = {"campaign": "c23", "compare": "previous", "from": "0001-01-01"}
    f.assert_problem(client.get(SUMMARY, params=params), 422, "from")


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [SUMMARY, BREAKDOWN, f"{STATS}/timeseries", "/api/v1/reports/bulletin"]
)
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2023-06-01", "to": "2023-05-31"}, "from"),
        ({"campaign": "c23", "from": "2023-09-01"}, "from"),
        ({"from": "2023-13-01", "to": "2023-12-31"}, "from"),
        ({"campaign": "c99"}, "campaign"),
        ({"campaign": "c23", "university": f.UNKNOWN_UNIVERSITY}, "university"),
        ({"campaign": "c23", "university": "12345"}, "university"),
        ({"campaign": "c23", "province": "99"}, "province"),
        ({"campaign": "c23", "province": "990000"}, "province"),
        ({"campaign": "c23", "province": "1101"}, "province"),
        ({"campaign": "c23", "industry": "Z"}, "industry"),
        ({"campaign": "c23", "industry": "IT"}, "industry"),
    ],
)
def test_bad_scope_is_422_naming_the_parameter(client, campaigns, path, params, field):
    params = params | ({"by": "province"} if path == BREAKDOWN else {})
    f.assert_problem(client.get(path, params=params), 422, field)


@pytest.mark.parametrize("by", ["unknown", "employer", "PROVINCE", ""])
def test_unknown_grouping_is_422(client, campaigns, by):
    f.assert_problem(client.get(BREAKDOWN, params={"campaign": "c23", "by": by}), 422, "by")


def test_grouping_is_required(client, campaigns):
    f.assert_problem(client.get(BREAKDOWN, params={"campaign": "c23"}), 422, "by")


# --- breakdown ------------------------------------------------------------------------------

NO_VALUE = {"industry": "未指定行业", "university": "未关联高校", "policy_program": "非政策性岗位"}
FIXED_ORDER = {
    "province": PROVINCE_ORDER,
    "industry": INDUSTRY_ORDER,
    "event_kind": list(EVENT_KIND_NAMES),
    "source": list(SOURCE_NAMES),
    "policy_program": list(POLICY_NAMES),
}


def expected_name(by: str, code: str | None) -> str:
    if code is None:
        return NO_VALUE[by]
    names = {
        "province": PROVINCES,
        "industry": INDUSTRIES,
        "university": {code: name for code, (name, _) in UNIVERSITIES.items()},
        "event_kind": EVENT_KIND_NAMES,
        "source": SOURCE_NAMES,
        "policy_program": POLICY_NAMES,
    }
    return names[by][code]


def expected_groups(data: Data, by: str, start=None, end=None, **filters) -> list[dict]:
    present = groups_present(data, by, start, end, **filters)
    codes = FIXED_ORDER.get(by) or sorted(code for code in present if code)
    codes = list(codes) + ([None] if None in present else [])
    return [
        {
            "code": code,
            "name": expected_name(by, code),
            "figures": expected_figures(data, start, end, by=by, group=code, **filters),
        }
        for code in codes
    ]


BREAKDOWN_SCOPES = ["campaign", "none", "province", "industry", "university_and_industry", "range"]


@pytest.mark.parametrize("case", BREAKDOWN_SCOPES)
@pytest.mark.parametrize(
    "by", ["province", "industry", "university", "event_kind", "source", "policy_program"]
)
def test_breakdown_equals_independent_count(client, data, by, case):
    params, (start, end), filters = CASES[case]
    assert get_ok(client, BREAKDOWN, by=by, **params) == {
        "by": by,
        "from": iso(start),
        "to": iso(end),
        "filters": answered_filters(case),
        "groups": expected_groups(data, by, start, end, **filters),
    }


def _group(body: dict, code: str | None) -> dict:
    (found,) = [group for group in body["groups"] if group["code"] == code]
    return found


def test_breakdown_by_province_by_hand(client, data):
    body = get_ok(client, BREAKDOWN, by="province", campaign="c23")
    assert [g["code"] for g in body["groups"]] == PROVINCE_ORDER  # all 34, zeros included
    assert [g["name"] for g in body["groups"]][:3] == ["北京市", "天津市", "河北省"]
    assert body["groups"][-1] == {
        "code": "82",
        "name": "澳门特别行政区",
        "figures": dict.fromkeys(FIGURES, 0),
    }
    assert _group(body, "11") == {
        "code": "11",
        "name": "北京市",
        "figures": {
            "universities_visiting": 2,
            "enterprises_visited": 2,
            "visits": 5,
            "positions_opened": 29,
            "events": 2,
            "employers_at_events": 4,
            "attendances": 620,
            "postings": 3,
            "headcount": 14,
        },
    }
    assert _group(body, "32")["name"] == "江苏省"
    assert _group(body, "32")["figures"]["events"] == 1
    assert _group(body, "44")["name"] == "广东省"
    assert _group(body, "31")["name"] == "上海市"


def test_breakdown_by_industry_by_hand(client, data):
    body = get_ok(client, BREAKDOWN, by="industry", campaign="c23")
    codes = [g["code"] for g in body["groups"]]
    assert codes == [*INDUSTRY_ORDER, None]  # A..T, then events with no focus
    assert _group(body, "I")["name"] == "信息传输、软件和信息技术服务业"
    assert _group(body, "C")["name"] == "制造业"
    assert body["groups"][-1] == {
        "code": None,
        "name": "未指定行业",
        "figures": {
            "universities_visiting": 0,
            "enterprises_visited": 0,
            "visits": 0,
            "positions_opened": 0,
            "events": 2,  # ev1, ev4
            "employers_at_events": 0,
            "attendances": 1500,
            "postings": 0,
            "headcount": 0,
        },
    }
    assert _group(body, "A")["figures"] == dict.fromkeys(FIGURES, 0)


@pytest.mark.parametrize("listed_at_most", [200, 0])
def test_breakdown_by_university_by_hand(client, data, monkeypatch, listed_at_most):
    # Names are read for the codes listed, or for every university when there are many.
    monkeypatch.setattr(groups, "_LISTED_AT_MOST", listed_at_most)
    body = get_ok(client, BREAKDOWN, by="university", campaign="c23")
    assert [(g["code"], g["name"]) for g in body["groups"]] == [
        (PKU, "北京大学"),
        (THU, "清华大学"),
        (FDU, "复旦大学"),
        (SYSU, "中山大学"),
        (None, "未关联高校"),
    ]
    assert body["groups"][-1]["figures"] == {
        "universities_visiting": 0,
        "enterprises_visited": 0,
        "visits": 0,
        "positions_opened": 0,
        "events": 1,  # ev3, the department's
        "employers_at_events": 2,
        "attendances": 120,
        "postings": 3,  # va1, va4, va6
        "headcount": 26,
    }


def test_breakdown_by_event_kind_source_policy_by_hand(client, data):
    kinds = get_ok(client, BREAKDOWN, by="event_kind", campaign="c23")["groups"]
    assert [(g["code"], g["name"]) for g in kinds] == list(EVENT_KIND_NAMES.items())
    assert kinds[0]["figures"] == {
        "universities_visiting": None,
        "enterprises_visited": None,
        "visits": None,
        "positions_opened": None,
        "events": 1,  # 双选会 ev1
        "employers_at_events": 3,
        "attendances": 500,
        "postings": None,
        "headcount": None,
    }
    assert kinds[3]["figures"]["events"] == 0  # 直播带岗: ev5 starts before the range

    sources = get_ok(client, BREAKDOWN, by="source", campaign="c23")["groups"]
    assert [(g["code"], g["name"]) for g in sources] == list(SOURCE_NAMES.items())
    nulls = dict.fromkeys(FIGURES[:7])
    assert [g["figures"] for g in sources] == [
        nulls | {"postings": 2, "headcount": 18},  # va2, va11
        nulls | {"postings": 1, "headcount": 3},  # va3
        nulls | {"postings": 2, "headcount": 28},  # va4, va5
        nulls | {"postings": 3, "headcount": 8},  # va1, va6, va12
    ]

    programs = get_ok(client, BREAKDOWN, by="policy_program", campaign="c23")["groups"]
    assert [(g["code"], g["name"]) for g in programs] == [
        *POLICY_NAMES.items(),
        (None, "非政策性岗位"),
    ]
    assert [g["figures"]["postings"] for g in programs] == [1, 1, 1, 1, 1, 3]
    assert [g["figures"]["headcount"] for g in programs] == [20, 8, 1, 6, 2, 20]
    assert programs[-1]["figures"]["visits"] is None


def test_breakdown_without_no_value_records_has_no_null_group(client, data):
    """The no-value group is listed only when some record in scope has no value."""
    universities = get_ok(client, BREAKDOWN, by="university", campaign="c22")["groups"]
    assert [g["code"] for g in universities] == [PKU, SYSU, None]  # va9, va10 name none
    industries = get_ok(client, BREAKDOWN, by="industry", campaign="c23", province="44")
    assert [g["code"] for g in industries["groups"]] == INDUSTRY_ORDER  # ev2 has a focus
    programs = get_ok(client, BREAKDOWN, by="policy_program", campaign="c23", province="31")
    assert [g["code"] for g in programs["groups"]] == list(POLICY_NAMES)  # va5, va6 both policy


def test_breakdown_group_equals_summary_filtered_to_it(client, data):
    """A group of province/industry/university is the summary filtered to that group."""
    for by in ("province", "industry", "university"):
        body = get_ok(client, BREAKDOWN, by=by, campaign="c23")
        for group in body["groups"]:
            if group["code"] is None:
                continue
            summary = get_ok(client, SUMMARY, campaign="c23", **{by: group["code"]})
            assert group["figures"] == summary["figures"], (by, group["code"])


# --- figures are current ------------------------------------------------------------------


def _c23(client) -> dict:
    return get_ok(client, SUMMARY, campaign="c23")["figures"]


def _ok(response) -> dict:
    assert response.status_code in (200, 201, 204), response.text
    return response.json() if response.status_code != 204 else {}


def test_figures_follow_every_write(client, data):
    expected = expected_figures(data, *C23[1:])
    assert _c23(client) == expected

    def check(**changed):
        nonlocal expected
        expected = expected | changed
        assert expected == expected_figures(data, *C23[1:])  # the reference agrees
        assert _c23(client) == expected

    v1, v6, v7, v8 = (data.visits[k] for k in ("v1", "v6", "v7", "v8"))
    _ok(client.patch(f"/api/v1/visits/{v1.id}", json={"positions_opened": 25}))
    v1.positions = 25
    check(positions_opened=78)

    _ok(client.patch(f"/api/v1/visits/{v6.id}", json={"employer_uscc": USCC["E1"]}))
    v6.employer = "E1"  # E2 is no longer visited in c23
    check(enterprises_visited=5)

    _ok(client.patch(f"/api/v1/visits/{v7.id}", json={"visit_date": "2023-09-02"}))
    v7.day = D("2023-09-02")  # moved out of the range: E5 and 8 positions go
    check(enterprises_visited=4, visits=8, positions_opened=70)

    _ok(client.delete(f"/api/v1/visits/{v8.id}"))
    del data.visits["v8"]  # FDU still has v9
    check(enterprises_visited=3, visits=7)

    new = f.visit(THU, USCC["E7"], visit_date="2023-06-01", positions_opened=11)
    data.visits["v15"] = VisitRec(
        THU, "E7", D("2023-06-01"), 11, _ok(client.post("/api/v1/visits", json=new))["id"]
    )
    check(enterprises_visited=4, visits=8, positions_opened=81)

    ev1, ev2, ev9 = (data.events[k] for k in ("ev1", "ev2", "ev9"))
    _ok(client.patch(f"/api/v1/events/{ev1.id}", json={"participants": [USCC["E1"]]}))
    ev1.participants = ["E1"]  # E5 was only at ev1; E8 is at ev3 too
    check(employers_at_events=7)

    _ok(client.patch(f"/api/v1/events/{ev2.id}", json={"attendance": 0}))
    ev2.attendance = 0
    check(attendances=1660)

    _ok(client.delete(f"/api/v1/events/{ev9.id}"))
    del data.events["ev9"]  # E7 is still at ev4
    check(events=4, attendances=1620)

    va2, va6 = data.vacancies["va2"], data.vacancies["va6"]
    _ok(client.patch(f"/api/v1/vacancies/{va2.id}", json={"headcount": 40}))
    va2.headcount = 40
    check(headcount=85)

    _ok(client.delete(f"/api/v1/vacancies/{va6.id}"))
    del data.vacancies["va6"]
    check(postings=7, headcount=84)


def test_filtered_figures_follow_reattribution(client, data):
    """Moving a university to another province, or an employer to another industry, moves its
    records' figures with it."""
    _ok(client.patch(f"/api/v1/universities/{THU}", json={"province": "12"}))
    data.universities[THU] = ("清华大学", "12")
    for province in ("11", "12"):
        body = get_ok(client, SUMMARY, campaign="c23", province=province)
        assert body["figures"] == expected_figures(data, *C23[1:], province=province)
    assert get_ok(client, SUMMARY, campaign="c23", province="12")["figures"]["visits"] == 1

    _ok(client.patch(f"/api/v1/employers/{USCC['E3']}", json={"industry": "I"}))
    data.employers["E3"] = ("I", "44")
    for industry in ("I", "C"):
        body = get_ok(client, SUMMARY, campaign="c23", industry=industry)
        assert body["figures"] == expected_figures(data, *C23[1:], industry=industry)
    assert get_ok(client, SUMMARY, campaign="c23", industry="C")["figures"]["visits"] == 1  # v9


def test_campaign_dates_are_read_at_request_time(client, data):
    _ok(client.patch("/api/v1/campaigns/c23", json={"end_date": "2023-09-01"}))
    body = get_ok(client, SUMMARY, campaign="c23")
    assert body["to"] == "2023-09-01"
    assert body["figures"] == expected_figures(data, D("2023-05-01"), D("2023-09-01"))


# --- ETag -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (SUMMARY, {"campaign": "c23"}),
        (SUMMARY, {"campaign": "c23", "compare": "previous"}),
        (BREAKDOWN, {"campaign": "c23", "by": "province"}),
        (f"{STATS}/timeseries", {"campaign": "c23", "interval": "week"}),
        ("/api/v1/reports/bulletin", {"campaign": "c23"}),
    ],
)
def test_etag_conditional_get(client, data, path, params):
    first = client.get(path, params=params)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) == 34

    again = client.get(path, params=params)
    assert again.headers["etag"] == etag
    assert again.content == first.content

    cached = client.get(path, params=params, headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag

    listed = client.get(path, params=params, headers={"If-None-Match": f'"other", {etag}'})
    assert listed.status_code == 304

    weakened = client.get(path, params=params, headers={"If-None-Match": f"W/{etag}"})
    assert weakened.status_code == 304

    other = client.get(path, params=params, headers={"If-None-Match": '"0123"'})
    assert other.status_code == 200
    assert other.content == first.content

    new = f.visit(PKU, USCC["E2"], visit_date="2023-06-02", positions_opened=1)
    f.created(client.post("/api/v1/visits", json=new))
    changed = client.get(path, params=params, headers={"If-None-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] != etag
    assert changed.content != first.content
    assert (
        client.get(
            path, params=params, headers={"If-None-Match": changed.headers["etag"]}
        ).status_code
        == 304
    )


def test_etag_differs_between_requests(client, data):
    one = client.get(SUMMARY, params={"campaign": "c23"}).headers["etag"]
    other = client.get(SUMMARY, params={"campaign": "c22"}).headers["etag"]
    assert one != other
    response = client.get(SUMMARY, params={"campaign": "c22"}, headers={"If-None-Match": one})
    assert response.status_code == 200


# --- the service functions, called directly -----------------------------------------------


def test_service_summary(session, data):
    scope = Scope(D("2023-05-10"), D("2023-06-10"), province="11", industry="C")
    assert service.summary(session, scope) == {
        "from": D("2023-05-10"),
        "to": D("2023-06-10"),
        "filters": {"campaign": None, "province": "11", "university": None, "industry": "C"},
        "figures": expected_figures(
            data, D("2023-05-10"), D("2023-06-10"), province="11", industry="C"
        ),
    }
    for filters in ({}, {"university": SYSU}, {"industry": "J"}, {"province": "31"}):
        answer = service.summary(session, Scope(*C23[1:], **filters))
        assert answer["figures"] == expected_figures(data, *C23[1:], **filters)
    assert service.summary(session, Scope())["figures"] == expected_figures(data)


def test_service_summary_compare(session, data):
    c23 = find_campaign(session, "c23")
    answer = service.summary(session, Scope(*C23[1:], province="44"), c23, compare=True)
    before = expected_figures(data, *C22[1:], province="44")
    now = expected_figures(data, *C23[1:], province="44")
    assert answer["filters"]["campaign"] == "c23"
    assert answer["previous"] == {
        "campaign": "c22",
        "from": C22[1],
        "to": C22[2],
        "figures": before,
    }
    assert answer["change_percent"] == {name: _change(now[name], before[name]) for name in FIGURES}
    with pytest.raises(InvalidInput) as raised:
        service.summary(session, Scope(*C22[1:]), find_campaign(session, "c22"), compare=True)
    assert raised.value.errors[0]["field"] == "compare"
    with pytest.raises(InvalidInput):
        service.summary(session, Scope(*C23[1:]), None, compare=True)


@pytest.mark.parametrize(
    "by", ["province", "industry", "university", "event_kind", "source", "policy_program"]
)
def test_service_breakdown(session, data, by):
    scope = Scope(*C23[1:], university=PKU)
    answer = service.breakdown(session, scope, by)
    assert answer["by"] == by
    assert answer["groups"] == expected_groups(data, by, *C23[1:], university=PKU)


def test_service_timeseries(session, data):
    scope = Scope(D("2023-05-01"), D("2023-05-21"), industry="C")
    answer = service.timeseries(session, scope, Interval.WEEK)
    assert answer["interval"] == "week"
    weeks = [
        ("2023-05-01", "2023-05-07"),
        ("2023-05-08", "2023-05-14"),
        ("2023-05-15", "2023-05-21"),
    ]
    assert [(p["start"], p["end"]) for p in answer["periods"]] == [(D(a), D(b)) for a, b in weeks]
    for point, (first, last) in zip(answer["periods"], weeks, strict=True):
        assert point["figures"] == expected_figures(data, D(first), D(last), industry="C")
        assert point["cumulative"] == expected_figures(data, D("2023-05-01"), D(last), industry="C")
    with pytest.raises(InvalidInput) as raised:
        service.timeseries(session, Scope(), Interval.DAY)
    assert raised.value.errors[0]["field"] == "from"


def test_scope_rejects_unknown_university(session, data):
    from app.core.filters import DateRange
    from app.stats.scope import resolve_scope

    with pytest.raises(UnknownReference) as raised:
        resolve_scope(session, DateRange(), university=f.UNKNOWN_UNIVERSITY)
    assert raised.value.errors[0]["field"] == "university"
    scope, campaign = resolve_scope(session, DateRange(), campaign="c23", province="44")
    assert scope == Scope(*C23[1:], province="44")
    assert campaign.slug == "c23"
