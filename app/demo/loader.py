"""Load the demo data set: the 2023 “百日冲刺” campaign, and the 2022 one it is compared with;
and the ledger of graduates in difficulty of both cohorts (app/demo/ledger.py).

Every record goes through the services and their Create schemas, so the demo obeys the same rules
as the API. One fixed random seed and no clock make every load identical. Nothing is committed:
the caller owns the transaction.
"""

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stdnum.cn.uscc import calc_check_digit

from app.campaigns.models import Campaign
from app.campaigns.schemas import CampaignCreate
from app.campaigns.service import create_campaign
from app.demo.data import (
    ADVANCED_EDUCATION_INDUSTRIES,
    ADVANCED_EDUCATION_WEIGHTS,
    CAMPAIGNS,
    CITIES,
    COMPANY_OWNERSHIP_WEIGHTS,
    DEFAULT_COMPANY_OWNERSHIP_WEIGHTS,
    DEFAULT_INSTITUTION_OWNERSHIP,
    DEFAULT_USCC_REGISTRATION_PREFIX,
    DEPARTMENT_EVENT_SHARE,
    EDUCATION_DEPARTMENTS,
    EDUCATION_WEIGHTS,
    EMPLOYER_PROVINCE_WEIGHTS,
    EVENT_ATTENDANCE,
    EVENT_KIND_WEIGHTS,
    EVENT_MODE_WEIGHTS,
    EVENT_PARTICIPANTS,
    EVENT_TITLES,
    GROUP_SIZE_WEIGHTS,
    INDUSTRY_SUFFIXES,
    INDUSTRY_THEMES,
    INDUSTRY_WEIGHTS,
    INSTITUTION_OWNERSHIP,
    JOB_TITLES,
    LEADER_LEVEL_WEIGHTS,
    MAJORS,
    NAMED_EVENTS_2023,
    POLICY_EDUCATION,
    POLICY_PROGRAMS,
    SIZE_WEIGHTS,
    TIANJIN_POLICY_POSITIONS,
    TIANJIN_POLICY_PROGRAMS,
    UNIVERSITIES,
    USCC_ALPHABET,
    USCC_REGISTRATION_PREFIX,
    VISIT_NOTES,
    WORD_STEMS,
)
from app.demo.ledger import load_ledger
from app.demo.matchmaking import load_matchmaking
from app.demo.policy import load_policy_positions
from app.demo.publicity import load_policy_publicity
from app.employers.models import Employer
from app.employers.schemas import EmployerCreate
from app.employers.service import create_employer
from app.events.models import Event
from app.events.schemas import EventCreate
from app.events.service import create_event
from app.stats.upkeep import counting_afterwards
from app.universities.models import University
from app.universities.schemas import UniversityCreate
from app.universities.service import create_university
from app.vacancies.schemas import VacancyCreate
from app.vacancies.service import create_vacancy
from app.visits.models import Visit
from app.visits.schemas import VisitCreate
from app.visits.service import create_visit

SEED = 20230501
CURRENT_CAMPAIGN = "2023-sprint"
EMPLOYERS = 300
# Records of the current campaign; the previous one gets PREVIOUS_SHARE of each.
VISITS = 600
EVENTS = 60
VACANCIES_BY_SOURCE = {"event": 600, "visit": 450, "platform": 300, "direct": 150}
# Policy positions besides Tianjin's, counted among the platform vacancies.
POLICY_VACANCIES = 48
PREVIOUS_SHARE = 0.8

# The kinds load_demo counts, in the order it answers them.
KINDS = (
    "universities",
    "employers",
    "campaigns",
    "visits",
    "events",
    "event_participants",
    "vacancies",
    "assisted_graduates",
    "assistance_services",
    "policy_quotas",
    "policy_measures",
    "publicity_sessions",
    "cooperation_intents",
)


def demo_loaded(session: Session) -> bool:
    """Whether the demo's current campaign exists, i.e. the demo was loaded before."""
    found = session.scalar(select(Campaign.id).where(Campaign.slug == CURRENT_CAMPAIGN))
    return found is not None


def load_demo(session: Session) -> dict[str, int]:
    """Create the demo records and answer how many of each kind; the caller commits."""
    with counting_afterwards(session):
        return _Demo(session).load()


class _Demo:
    """The records shared by both campaigns (universities, employers) and the random choices."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rng = random.Random(SEED)
        self.counts = dict.fromkeys(KINDS, 0)
        self.universities: list[University] = []
        self.activity: list[int] = []
        self.employers: list[Employer] = []
        self.employers_by_province: dict[str, list[Employer]] = {}
        self.employer_by_uscc: dict[str, Employer] = {}

    def load(self) -> dict[str, int]:
        self._create_universities()
        self._create_employers()
        for spec in CAMPAIGNS:
            campaign = create_campaign(self.session, CampaignCreate(**spec))
            self.counts["campaigns"] += 1
            share = 1.0 if campaign.slug == CURRENT_CAMPAIGN else PREVIOUS_SHARE
            _CampaignLoad(self, campaign, share).load()
        # After the campaigns, whose vacancies its referrals point at; with a random generator
        # of its own, so that the campaigns are the same as without it.
        self.counts.update(load_ledger(self.session, self.universities))
        self.counts["policy_quotas"] = load_policy_positions(self.session)
        self.counts.update(load_policy_publicity(self.session))
        self.counts["cooperation_intents"] = load_matchmaking(self.session)
        # The matchmaking meeting's universities that the campaigns did not have.
        self.counts["universities"] = self.session.scalar(
            select(func.count()).select_from(University)
        )
        return self.counts

    def _create_universities(self) -> None:
        for code, name, province, activity in UNIVERSITIES:
            data = UniversityCreate(code=code, name=name, province=province)
            self.universities.append(create_university(self.session, data))
            self.activity.append(activity)
        self.counts["universities"] = len(self.universities)

    def _create_employers(self) -> None:
        names: set[str] = set()
        usccs: set[str] = set()
        for industry in self._industry_quota():
            data = self._new_employer(industry, names, usccs)
            self._remember(create_employer(self.session, data))
        self.counts["employers"] = len(self.employers)

    def _new_employer(self, industry: str, names: set[str], usccs: set[str]) -> EmployerCreate:
        province = self.weighted(EMPLOYER_PROVINCE_WEIGHTS)
        region, city = self.rng.choice(CITIES[province])
        suffix = self.rng.choice(INDUSTRY_SUFFIXES[industry])
        ownership = self._ownership(industry, suffix)
        return EmployerCreate(
            uscc=self._unique(usccs, self._uscc, ownership, region),
            name=self._unique(names, self._employer_name, city, suffix),
            industry=industry,
            province=province,
            ownership=ownership,
            size=self._size(ownership, suffix),
        )

    def _industry_quota(self) -> list[str]:
        # Quotas, not draws, so that every section appears, however small its weight.
        total = sum(INDUSTRY_WEIGHTS.values())
        quota = [
            industry
            for industry, weight in INDUSTRY_WEIGHTS.items()
            for _ in range(max(1, round(EMPLOYERS * weight / total)))
        ]
        self.rng.shuffle(quota)
        return quota

    def _ownership(self, industry: str, suffix: str) -> str:
        if "公司" in suffix or suffix.endswith("银行"):
            return self.weighted(
                COMPANY_OWNERSHIP_WEIGHTS.get(industry, DEFAULT_COMPANY_OWNERSHIP_WEIGHTS)
            )
        return INSTITUTION_OWNERSHIP.get(industry, DEFAULT_INSTITUTION_OWNERSHIP)

    def _size(self, ownership: str, suffix: str) -> str:
        return self.weighted(GROUP_SIZE_WEIGHTS if "集团" in suffix else SIZE_WEIGHTS[ownership])

    def _uscc(self, ownership: str, region: str) -> str:
        prefix = USCC_REGISTRATION_PREFIX.get(ownership, DEFAULT_USCC_REGISTRATION_PREFIX)
        organisation = "".join(self.rng.choices(USCC_ALPHABET, k=9))
        first17 = prefix + region + organisation
        return first17 + calc_check_digit(first17)

    def _employer_name(self, city: str, suffix: str) -> str:
        return city + self.rng.choice(WORD_STEMS) + suffix

    def _unique(self, taken: set[str], make: Callable[..., str], *args: str) -> str:
        """A value of `make(*args)` not taken yet, and now taken."""
        value = make(*args)
        while value in taken:
            value = make(*args)
        taken.add(value)
        return value

    def _remember(self, employer: Employer) -> None:
        self.employers.append(employer)
        self.employers_by_province.setdefault(employer.province, []).append(employer)
        self.employer_by_uscc[employer.uscc] = employer

    # --- Random choices shared by both campaigns ---

    def weighted(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def university(self) -> University:
        return self.rng.choices(self.universities, weights=self.activity)[0]

    def pick_employers(
        self,
        count: int,
        industries: str = "",
        ownership: str | None = None,
        provinces: Iterable[str] = (),
    ) -> list[Employer]:
        """`count` distinct employers, those matching the preferences first.

        Ownership outweighs province, which outweighs industry; the noise keeps the industry
        preference soft, so that events of one province do not all draw the same employers.
        """
        wanted_provinces = list(provinces)

        def rank(employer: Employer) -> float:
            score = 4 * (employer.ownership == ownership) + 2 * (
                employer.province in wanted_provinces
            )
            return score + (employer.industry in industries) + 1.5 * self.rng.random()

        return sorted(self.employers, key=rank, reverse=True)[:count]

    def majors(self, industry: str) -> list[str]:
        if self.rng.random() < 0.1:
            return []  # 专业不限
        choices = MAJORS[industry]
        return self.rng.sample(choices, k=self.rng.randint(1, min(3, len(choices))))

    def education(self, industry: str) -> str:
        if industry in ADVANCED_EDUCATION_INDUSTRIES:
            return self.weighted(ADVANCED_EDUCATION_WEIGHTS)
        return self.weighted(EDUCATION_WEIGHTS)

    def headcount(self) -> int:
        draw = self.rng.random()
        if draw < 0.6:
            return self.rng.randint(1, 5)
        if draw < 0.9:
            return self.rng.randint(6, 20)
        if draw < 0.98:
            return self.rng.randint(21, 60)
        return self.rng.randint(61, 200)

    def split(self, total: int, parts: int) -> list[int]:
        """`total` cut into `parts` positive whole shares."""
        cuts = sorted(self.rng.sample(range(1, total), parts - 1))
        return [end - start for start, end in itertools.pairwise([0, *cuts, total])]


class _CampaignLoad:
    """The visits, events and vacancies of one campaign."""

    def __init__(self, demo: _Demo, campaign: Campaign, share: float) -> None:
        self.demo = demo
        self.rng = demo.rng
        self.session = demo.session
        self.campaign = campaign
        self.share = share
        self.year = campaign.start_date.year
        self.visits: list[Visit] = []
        self.titles_used: dict[str, int] = {}
        self.events: list[tuple[Event, list[Employer]]] = []
        # Events whose vacancies add up to a reported number: (event, participants, headcount, n).
        self.reported: list[tuple[Event, list[Employer], int, int]] = []

    def load(self) -> None:
        ledger_numbers = itertools.count(1)
        for _ in range(self.scaled(VISITS)):
            self._create_visit(next(ledger_numbers))
        named = NAMED_EVENTS_2023 if self.campaign.slug == CURRENT_CAMPAIGN else []
        for spec in named:
            self._create_named_event(spec)
        for _ in range(self.scaled(EVENTS) - len(named)):
            self._create_generic_event()
        self._create_vacancies()

    def scaled(self, count: int) -> int:
        return round(count * self.share)

    def day(self) -> dt.date:
        # Activity peaks in May and June, before graduation, and tails off over the summer.
        days = (self.campaign.end_date - self.campaign.start_date).days + 1
        offset = min(int(self.rng.triangular(0, days, days * 0.2)), days - 1)
        return self.campaign.start_date + dt.timedelta(days=offset)

    def within_campaign(self, day: dt.date) -> dt.date:
        return min(max(day, self.campaign.start_date), self.campaign.end_date)

    def _count(self, kind: str, increment: int = 1) -> None:
        self.demo.counts[kind] += increment

    # --- Visits (访企拓岗) ---

    def _create_visit(self, ledger_number: int) -> None:
        university = self.demo.university()
        employer = self._visited_employer(university)
        data = VisitCreate(
            university_code=university.code,
            employer_uscc=employer.uscc,
            visit_date=self.day(),
            positions_opened=self._positions_opened(),
            leader_level=self.demo.weighted(LEADER_LEVEL_WEIGHTS),
            majors=self.demo.majors(employer.industry),
            notes=self.rng.choice(VISIT_NOTES) if self.rng.random() < 0.4 else None,
            external_ref=f"FQ{self.year}-{ledger_number:04d}",
        )
        self.visits.append(create_visit(self.session, data))
        self._count("visits")

    def _visited_employer(self, university: University) -> Employer:
        # Half the visits go to employers of the university's own province.
        local = self.demo.employers_by_province.get(university.province)
        if local and self.rng.random() < 0.5:
            return self.rng.choice(local)
        return self.rng.choice(self.demo.employers)

    def _positions_opened(self) -> int:
        draw = self.rng.random()
        if draw < 0.1:
            return 0
        if draw < 0.85:
            return self.rng.randint(1, 30)
        if draw < 0.97:
            return self.rng.randint(31, 100)
        return self.rng.randint(101, 500)

    # --- Events (招聘活动) ---

    def _create_named_event(self, spec: dict) -> None:
        participants = self.demo.pick_employers(**spec["participants"])
        event = self._create_event(spec["event"], participants)
        if "positions" in spec:
            self.reported.append((event, participants, spec["positions"], spec["vacancies"]))

    def _create_generic_event(self) -> None:
        kind = self.demo.weighted(EVENT_KIND_WEIGHTS)
        province, university_code, organizer = self._organizer(kind)
        theme = None
        if kind in ("industry_fair", "livestream"):
            theme = self.rng.choice(list(INDUSTRY_THEMES))
        participants = self.demo.pick_employers(
            self.rng.randint(*EVENT_PARTICIPANTS[kind]),
            industries=theme or "",
            provinces=[province],
        )
        start = self.day()
        title = self._distinct_title(
            self.rng.choice(EVENT_TITLES[kind]).format(
                org=organizer,
                year=self.year,
                theme=INDUSTRY_THEMES.get(theme or "", ""),
                employer=participants[0].name,
            )
        )
        fields = {
            "title": title,
            "kind": kind,
            "mode": self.demo.weighted(EVENT_MODE_WEIGHTS[kind]),
            "start_date": start,
            "end_date": self.within_campaign(start + self._event_length(kind)),
            "province": province,
            "university_code": university_code,
            "organizer_name": organizer,
            "industry": theme,
            "attendance": self.rng.randint(*EVENT_ATTENDANCE[kind]),
        }
        self._create_event(fields, participants)

    def _distinct_title(self, title: str) -> str:
        """The title, numbered when the campaign has had an event of that title already."""
        held = self.titles_used.get(title, 0) + 1
        self.titles_used[title] = held
        return title if held == 1 else f"{title}（第{held}场）"

    def _organizer(self, kind: str) -> tuple[str, str | None, str]:
        """(province, university_code, organizer_name); departments run only the larger fairs."""
        by_department = kind in ("job_fair", "industry_fair", "online_fair")
        if by_department and self.rng.random() < DEPARTMENT_EVENT_SHARE:
            province, department = self.rng.choice(list(EDUCATION_DEPARTMENTS.items()))
            return province, None, department
        university = self.demo.university()
        return university.province, university.code, university.name

    def _event_length(self, kind: str) -> dt.timedelta:
        """From the first to the last day: online fairs stay open for weeks."""
        if kind == "online_fair":
            return dt.timedelta(days=self.rng.randint(6, 20))
        if kind == "job_fair":
            return dt.timedelta(days=self.rng.randint(0, 1))
        return dt.timedelta(0)

    def _create_event(self, fields: dict, participants: list[Employer]) -> Event:
        usccs = [employer.uscc for employer in participants]
        event = create_event(self.session, EventCreate(**fields, participants=usccs))
        self.events.append((event, participants))
        self._count("events")
        self._count("event_participants", len(participants))
        return event

    # --- Vacancies (岗位信息) ---

    def _create_vacancies(self) -> None:
        reported = 0
        for event, participants, positions, count in self.reported:
            self._reported_event_vacancies(event, participants, positions, count)
            reported += count
        reported_ids = {event.id for event, *_ in self.reported}
        unreported = [
            (event, people) for event, people in self.events if event.id not in reported_ids
        ]
        for _ in range(self.scaled(VACANCIES_BY_SOURCE["event"]) - reported):
            self._event_vacancy(unreported)
        productive = [visit for visit in self.visits if visit.positions_opened > 0]
        for _ in range(self.scaled(VACANCIES_BY_SOURCE["visit"])):
            self._visit_vacancy(productive)
        policy = self._policy_vacancies()
        for _ in range(self.scaled(VACANCIES_BY_SOURCE["platform"]) - policy):
            self._platform_vacancy()
        for _ in range(self.scaled(VACANCIES_BY_SOURCE["direct"])):
            self._direct_vacancy()

    def _vacancy(self, employer: Employer, posted: dt.date, source: str, **fields) -> None:
        """A vacancy with plausible defaults for whatever `fields` does not say."""
        values = {
            "title": self.rng.choice(JOB_TITLES[employer.industry]),
            "headcount": self.demo.headcount(),
            "education": self.demo.education(employer.industry),
            "majors": self.demo.majors(employer.industry),
            "work_province": self._work_province(employer),
        }
        values.update(fields)
        data = VacancyCreate(
            employer_uscc=employer.uscc, posted_date=posted, source=source, **values
        )
        create_vacancy(self.session, data)
        self._count("vacancies")

    def _work_province(self, employer: Employer) -> str:
        if self.rng.random() < 0.85:
            return employer.province
        return self.rng.choice(list(EMPLOYER_PROVINCE_WEIGHTS))

    def _reported_event_vacancies(
        self, event: Event, participants: list[Employer], positions: int, count: int
    ) -> None:
        # Every participant posts at least one vacancy when there are enough to go round.
        for index, headcount in enumerate(self.demo.split(positions, count)):
            employer = participants[index % len(participants)]
            posted = self._posted_for_event(event)
            self._vacancy(employer, posted, "event", event_id=event.id, headcount=headcount)

    def _event_vacancy(self, events: list[tuple[Event, list[Employer]]]) -> None:
        # Bigger events draw more postings.
        event, participants = self.rng.choices(
            events, weights=[len(people) for _, people in events]
        )[0]
        employer = self.rng.choice(participants)
        self._vacancy(employer, self._posted_for_event(event), "event", event_id=event.id)

    def _posted_for_event(self, event: Event) -> dt.date:
        # Posted up to a week ahead of the event, or while it runs.
        span = (event.end_date - event.start_date).days
        offset = self.rng.randint(-7, span)
        return self.within_campaign(event.start_date + dt.timedelta(days=offset))

    def _visit_vacancy(self, visits: list[Visit]) -> None:
        visit = self.rng.choice(visits)
        employer = self.demo.employer_by_uscc[visit.employer_uscc]
        posted = self.within_campaign(visit.visit_date + dt.timedelta(self.rng.randint(0, 10)))
        headcount = self.rng.randint(1, min(visit.positions_opened, 20))
        self._vacancy(employer, posted, "visit", visit_id=visit.id, headcount=headcount)

    def _platform_vacancy(self) -> None:
        employer = self.rng.choice(self.demo.employers)
        self._vacancy(employer, self.day(), "platform", province=employer.province)

    def _direct_vacancy(self) -> None:
        """Sent by the employer straight to a university's career office, counted there."""
        employer = self.rng.choice(self.demo.employers)
        university = self.demo.university()
        fields = {"province": university.province, "university_code": university.code}
        self._vacancy(employer, self.day(), "direct", **fields)

    def _policy_vacancies(self) -> int:
        """Create the policy positions (Tianjin's, then others); answer how many."""
        count, headcount = TIANJIN_POLICY_POSITIONS[self.campaign.slug]
        programs = itertools.cycle(TIANJIN_POLICY_PROGRAMS)
        for program, share in zip(programs, self.demo.split(headcount, count), strict=False):
            self._policy_vacancy(program, "12", share)
        others = self.scaled(POLICY_VACANCIES)
        for _ in range(others):
            program = self.rng.choice(list(POLICY_PROGRAMS))
            province = self.rng.choice(POLICY_PROGRAMS[program]["provinces"])
            self._policy_vacancy(program, province, self.rng.randint(2, 30))
        return count + others

    def _policy_vacancy(self, program: str, province: str, headcount: int) -> None:
        spec = POLICY_PROGRAMS[program]
        employer = self.demo.pick_employers(
            1, industries=spec["industries"], ownership="public_institution", provinces=[province]
        )[0]
        self._vacancy(
            employer,
            self.day(),
            "platform",
            title=self.rng.choice(spec["titles"]),
            headcount=headcount,
            province=province,
            work_province=province,
            education=POLICY_EDUCATION[program],
            policy_program=program,
        )
