"""The demo's ledger of graduates in difficulty (重点群体毕业生帮扶台账): a few hundred graduates of
2023, and of 2022 to compare with, most of them at 湖南大学 and 电子科技大学.

Each is entered in March as 未就业 with a mentor (一对一帮扶责任人); is served through the spring
and summer (most to Hunan's 一次单独咨询、两次简历修改、三次就业推荐, some not; a third trained
by the 宏志助航计划; referrals often to a vacancy of the demo); and is placed between May and
October, or not (离校未就业, followed up after 31 August). The figures are by design, not by
chance (app/demo/data.py): a cohort's outcomes are apportioned exactly and spread so that each
university has its share of each, rounded; the standard met and training are apportioned per
university. Who gets which, names, numbers and days are drawn.

Everything goes through app/assistance's services, so numbers are encrypted and masked and the
counts of services kept. The generator has a seed of its own: the demo's other records are the
same with or without the ledger.
"""

import bisect
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import ric

from app.assistance.given import create_service
from app.assistance.models import PLACED, EmploymentStatus
from app.assistance.schemas import GraduateCreate, ServiceCreate, StatusChangeCreate
from app.assistance.service import create_graduate, record_status
from app.demo.data import (
    ASSISTED_GRADUATES,
    BELOW_STANDARD_PERCENT,
    COUNSELLING_PERCENT,
    DEFAULT_MALE_PERCENT,
    DEFAULT_OWN_PROVINCE_SHARE,
    FAMILY_NAMES,
    FOLLOW_UP_CAMPS,
    GIVEN_NAMES,
    GROUP_WEIGHTS,
    HOME_PROVINCE_WEIGHTS,
    HOME_REGIONS,
    HONGZHI_HOURS,
    HONGZHI_NOTES,
    HONGZHI_PERCENT,
    HONGZHI_PROGRAMME,
    HONGZHI_SESSIONS,
    LEDGER_OUTCOMES,
    MAJOR_INDUSTRIES,
    MAJORS,
    MALE_PERCENT,
    MASTER_PERCENT,
    MOBILE_PREFIXES,
    OWN_PROVINCE_SHARE,
    PROVINCE_FAMILY_NAMES,
    REFERRALS_WEIGHTS,
    SECOND_CONSULTATION_PERCENT,
    SECOND_GROUP_PERCENT,
    SECOND_GROUPS,
    SERVICE_NOTES,
    SHORTFALL_WEIGHTS,
    STATUS_WINDOWS,
    SUBSIDY_AMOUNT,
    SUBSIDY_GROUPS,
    THIRD_RESUME_PERCENT,
    TIBETAN_NAME_PERCENT,
    TIBETAN_NAMES,
    UNIVERSITY_MAJORS,
    UYGHUR_FATHER_NAMES,
    UYGHUR_GIVEN_NAMES,
    UYGHUR_NAME_PERCENT,
)
from app.employers.models import Employer
from app.universities.models import University
from app.vacancies.models import Vacancy

LEDGER_SEED = 20230301
# A referral within this many days of a vacancy's posting may be to it.
REFERRAL_REACH = dt.timedelta(days=21)
REFERRAL_TO_VACANCY_PERCENT = 80
DAY = dt.timedelta(days=1)

T = TypeVar("T")


def apportion(total: int, shares: Sequence[tuple[int, T]]) -> list[int]:
    """How many of `total` go to each of `shares` by its weight (largest remainders; ties to
    the first)."""
    whole = sum(weight for weight, _ in shares)
    counts, remainders = zip(*(divmod(total * weight, whole) for weight, _ in shares), strict=True)
    counts = list(counts)
    ranked = sorted(range(len(shares)), key=lambda index: -remainders[index])
    for index in ranked[: total - sum(counts)]:
        counts[index] += 1
    return counts


def spread(total: int, shares: Sequence[tuple[int, T]]) -> list[T]:
    """`total` items apportioned by `shares`, each item spread evenly along the list: any run
    of it holds each about in proportion, the whole list exactly."""
    counts = apportion(total, shares)
    placed = [
        ((index + 0.5) / count, position, item)
        for position, ((_, item), count) in enumerate(zip(shares, counts, strict=True))
        for index in range(count)
    ]
    return [item for _, _, item in sorted(placed, key=lambda entry: entry[:2])]


def percent_of(total: int, percent: int) -> int:
    """`percent` of `total`, rounded half up."""
    return (total * percent + 50) // 100


def load_ledger(session: Session, universities: Sequence[University]) -> dict[str, int]:
    """Create the ledger's graduates, statuses and services; answer how many graduates and
    services."""
    return _Ledger(session, universities).load()


@dataclass
class _Staff:
    """A university's people who serve its graduates in difficulty."""

    mentors: list[str]
    career_centre: list[str]
    counsellor: str


@dataclass
class _Plan:
    """One graduate's year: what they become, whether they are served to the standard (and
    short of what) and trained."""

    university: University
    cohort: int
    number: int
    steps: tuple[tuple[str, str], ...]
    shortfall: str | None
    trained: bool
    major: str = ""
    services: list[dict] = field(default_factory=list)


class _Vacancies:
    """The demo's vacancies by province and posting day, for referrals."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(
                Vacancy.id,
                Vacancy.posted_date,
                Vacancy.work_province,
                Vacancy.title,
                Employer.name,
                Employer.industry,
            )
            .join(Employer, Employer.uscc == Vacancy.employer_uscc)
            .order_by(Vacancy.posted_date, Vacancy.id)
        ).all()
        # "" lists them all; a vacancy of no work province is under "-".
        self.by_province: dict[str, list] = {"": rows}
        for row in rows:
            self.by_province.setdefault(row.work_province or "-", []).append(row)
        self.days = {
            province: [row.posted_date for row in listed]
            for province, listed in self.by_province.items()
        }
        # The industries each major's graduates are referred to.
        self.industries = dict(MAJOR_INDUSTRIES)
        for industry, majors in MAJORS.items():
            for major in majors:
                self.industries[major] = self.industries.get(major, "") + industry

    def for_graduate(self, day: dt.date, province: str, major: str) -> list:
        """Vacancies of the graduate's field posted in the weeks before `day`: in the province
        of the university when it has any, else anywhere."""
        industries = self.industries.get(major, "")
        for where in (province, ""):
            listed, days = self.by_province.get(where, []), self.days.get(where, [])
            window = listed[
                bisect.bisect_left(days, day - REFERRAL_REACH) : bisect.bisect_right(days, day)
            ]
            fitting = [row for row in window if row.industry in industries]
            if fitting:
                return fitting
        return []


class _Ledger:
    def __init__(self, session: Session, universities: Sequence[University]) -> None:
        self.session = session
        self.rng = random.Random(LEDGER_SEED)
        self.universities = {university.code: university for university in universities}
        self.vacancies = _Vacancies(session)
        self.staff: dict[str, _Staff] = {}
        self.id_numbers: set[tuple[int, str]] = set()
        self.phones: set[str] = set()
        self.counts = {"assisted_graduates": 0, "assistance_services": 0}

    def load(self) -> dict[str, int]:
        for cohort in sorted(ASSISTED_GRADUATES):
            # The cohort's outcomes exactly, each university a run of them: its share, rounded.
            sizes = ASSISTED_GRADUATES[cohort]
            outcomes = spread(sum(sizes.values()), LEDGER_OUTCOMES[cohort])
            start = 0
            for code, size in sizes.items():
                block = outcomes[start : start + size]
                start += size
                for plan in self._plans(self.universities[code], cohort, block):
                    self._create(plan)
        return self.counts

    # --- Who becomes what ---

    def _plans(
        self, university: University, cohort: int, outcomes: list[tuple[tuple[str, str], ...]]
    ) -> list[_Plan]:
        outcomes = list(outcomes)
        self.rng.shuffle(outcomes)
        size = len(outcomes)
        below_percent = BELOW_STANDARD_PERCENT[cohort]
        below = percent_of(size, below_percent.get(university.province, below_percent[""]))
        short = set(self.rng.sample(range(size), below))
        trained = set(self.rng.sample(range(size), percent_of(size, HONGZHI_PERCENT[cohort])))
        return [
            _Plan(
                university=university,
                cohort=cohort,
                number=index + 1,
                steps=steps,
                shortfall=self._weighted(SHORTFALL_WEIGHTS) if index in short else None,
                trained=index in trained,
            )
            for index, steps in enumerate(outcomes)
        ]

    def _create(self, plan: _Plan) -> None:
        university, cohort = plan.university, plan.cohort
        staff = self._staff_of(university)
        entered = dt.date(cohort, 3, self.rng.randint(1, 20))
        data = self._person(plan)
        plan.major = data["major"]
        graduate = create_graduate(
            self.session,
            GraduateCreate(
                **data,
                university_code=university.code,
                cohort=cohort,
                mentor=self.rng.choice(staff.mentors),
                status=EmploymentStatus.UNEMPLOYED,
                status_date=entered,
                external_ref=f"BF{cohort}-{plan.number:04d}",
            ),
            None,
        )
        self.counts["assisted_graduates"] += 1
        changes = [
            (EmploymentStatus(status), self._day_in(window, cohort))
            for status, window in plan.steps
        ]
        # A flexible job in the summer, then a contract in the autumn: the dates in that order.
        changes.sort(key=lambda change: change[1])
        for status, on in changes:
            record_status(self.session, graduate.id, StatusChangeCreate(status=status, on=on), None)
        self._plan_services(plan, graduate.mentor, staff, data["groups"], entered, changes)
        for fields in sorted(plan.services, key=lambda service: service["service_date"]):
            create_service(self.session, ServiceCreate(graduate_id=graduate.id, **fields), None)
            self.counts["assistance_services"] += 1

    # --- The person ---

    def _person(self, plan: _Plan) -> dict:
        code, cohort = plan.university.code, plan.cohort
        male = self.rng.randrange(100) < MALE_PERCENT.get(code, DEFAULT_MALE_PERCENT)
        gender = "male" if male else "female"
        home = self._home_province(plan.university)
        master = self.rng.randrange(100) < MASTER_PERCENT[cohort]
        bachelors, masters = UNIVERSITY_MAJORS[code]
        return {
            "name": self._name(home, gender),
            "id_number": self._id_number(cohort, home, gender, master),
            "phone": self._phone(),
            "major": self.rng.choice(masters if master else bachelors),
            "education": "master" if master else "bachelor",
            "groups": self._groups(),
        }

    def _home_province(self, university: University) -> str:
        own = OWN_PROVINCE_SHARE.get(university.code, DEFAULT_OWN_PROVINCE_SHARE)
        if self.rng.randrange(100) < own:
            return university.province
        return self._weighted(HOME_PROVINCE_WEIGHTS)

    def _name(self, home: str, gender: str) -> str:
        if home == "54" and self.rng.randrange(100) < TIBETAN_NAME_PERCENT:
            return self.rng.choice(TIBETAN_NAMES[gender])
        if home == "65" and self.rng.randrange(100) < UYGHUR_NAME_PERCENT:
            own = self.rng.choice(UYGHUR_GIVEN_NAMES[gender])
            return f"{own}·{self.rng.choice(UYGHUR_FATHER_NAMES)}"
        local = PROVINCE_FAMILY_NAMES.get(home)
        if local and self.rng.random() < 0.6:
            family = self.rng.choice(local)
        else:
            # The common names commoner: weights falling with the rank.
            weights = range(len(FAMILY_NAMES) + 20, 20, -1)
            family = self.rng.choices(FAMILY_NAMES, weights=weights)[0]
        return family + self.rng.choice(GIVEN_NAMES[gender])

    def _id_number(self, cohort: int, home: str, gender: str, master: bool) -> str:
        """A valid 居民身份证号 (GB 11643), unique in the cohort: born 2000–2002, at the age a
        bachelor (21–23) or a master (22–23) graduates."""
        if master:
            first, last = dt.date(2000, 1, 1), dt.date(cohort - 23, 8, 31)
        else:
            first, last = (
                max(dt.date(cohort - 23, 9, 1), dt.date(2000, 1, 1)),
                dt.date(cohort - 21, 8, 31),
            )
        while True:
            born = first + dt.timedelta(days=self.rng.randint(0, (last - first).days))
            sex_digit = self.rng.choice("13579" if gender == "male" else "02468")
            first17 = (
                self.rng.choice(HOME_REGIONS[home])
                + born.strftime("%Y%m%d")
                + f"{self.rng.randint(0, 99):02d}"
                + sex_digit
            )
            number = first17 + ric.calc_check_digit(first17 + "0")
            if (cohort, number) not in self.id_numbers:
                self.id_numbers.add((cohort, number))
                return number

    def _phone(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _groups(self) -> list[str]:
        first = self._weighted(GROUP_WEIGHTS)
        if self.rng.randrange(100) < SECOND_GROUP_PERCENT:
            return [first, self.rng.choice(SECOND_GROUPS[first])]
        return [first]

    def _staff_of(self, university: University) -> _Staff:
        """Mentors (王老师…), career-centre staff and a counsellor, of distinct family names;
        the same for both cohorts."""
        if university.code not in self.staff:
            size = max(
                ASSISTED_GRADUATES[cohort].get(university.code, 0) for cohort in ASSISTED_GRADUATES
            )
            names = [
                f"{family}老师"
                for family in self.rng.sample(FAMILY_NAMES[:60], max(2, size // 10) + 3)
            ]
            self.staff[university.code] = _Staff(
                mentors=names[3:],
                career_centre=[f"就业指导中心{name}" for name in names[:2]],
                counsellor=f"心理健康教育中心{names[2]}",
            )
        return self.staff[university.code]

    # --- The services ---

    def _plan_services(
        self,
        plan: _Plan,
        mentor: str,
        staff: _Staff,
        groups: list[str],
        entered: dt.date,
        changes: list[tuple[EmploymentStatus, dt.date]],
    ) -> None:
        cohort, university = plan.cohort, plan.university
        left = dt.date(cohort, 8, 31)  # the campaign's end: those not placed by then 离校未就业
        placed_on = next((on for status, on in changes if status in PLACED), None)
        left_unplaced = placed_on is None or placed_on > left
        paused = bool(changes) and changes[0][0] is EmploymentStatus.NOT_SEEKING
        # Served until a little before the first change of status, or into the autumn; and
        # followed up after leaving (不断线) until placed.
        until = changes[0][1] - 2 * DAY if changes else dt.date(cohort, 10, 31)
        follow_up_until = dt.date(cohort, 9, 20)
        if placed_on is not None:
            follow_up_until = min(follow_up_until, placed_on - 2 * DAY)
        centre = f"{university.name}就业指导中心"

        def by_staff() -> str:
            return mentor if self.rng.random() < 0.8 else self.rng.choice(staff.career_centre)

        # 一次单独咨询: soon after entering the ledger; a second for some; one after leaving.
        first_talk = entered + self.rng.randint(1, 21) * DAY
        if plan.shortfall != "consultation":
            self._add(plan, "consultation", first_talk, by_staff(), self._note("consultation"))
            if self.rng.randrange(100) < SECOND_CONSULTATION_PERCENT:
                last = min(until, dt.date(cohort, 6, 30))
                for day in self._days(dt.date(cohort, 5, 1), last, 1):
                    self._add(plan, "consultation", day, by_staff(), self._note("consultation"))
            if left_unplaced:
                for day in self._days(dt.date(cohort, 9, 1), follow_up_until, 1):
                    self._add(plan, "consultation", day, by_staff(), self._note("follow_up"))

        # 两次简历修改, in the spring.
        resumes = 2 + (self.rng.randrange(100) < THIRD_RESUME_PERCENT)
        if plan.shortfall == "resume":
            resumes = 1
        last = min(until, dt.date(cohort, 5, 31))
        for day in self._days(first_talk + 2 * DAY, last, resumes):
            self._add(plan, "resume", day, by_staff(), self._note("resume"))

        # 三次就业推荐 or more, from April; some after leaving for those still looking.
        if plan.shortfall == "referral":
            referrals = self.rng.choice([1, 2])
        else:
            referrals = int(self._weighted(REFERRALS_WEIGHTS))
        early, late = referrals, 0
        if until > left:  # still looking after leaving: referred on (不断线)
            early, late = (referrals - 1, 1) if plan.shortfall == "referral" else (referrals, 2)
        days = self._days(dt.date(cohort, 4, 10), min(until, left), early)
        for day in days + self._days(dt.date(cohort, 9, 1), until, late):
            self._referral(plan, day, by_staff())

        if plan.trained:
            sessions = [
                day for day in HONGZHI_SESSIONS[cohort] if entered + 7 * DAY <= day <= until
            ]
            note = self.rng.choice(HONGZHI_NOTES)
            self._add(
                plan,
                "training",
                self.rng.choice(sessions),
                centre,
                note,
                programme=HONGZHI_PROGRAMME,
                hours=HONGZHI_HOURS,
            )
        camp = FOLLOW_UP_CAMPS.get(university.code)
        camp_day = dt.date(cohort, 9, 5)
        if camp and left_unplaced and not paused and camp_day <= follow_up_until:
            programme, hours, note = camp
            self._add(plan, "training", camp_day, centre, note, programme=programme, hours=hours)

        if SUBSIDY_GROUPS.intersection(groups):
            day = dt.date(cohort, 4, self.rng.randint(1, 30))
            provider = f"{university.name}学生资助管理中心"
            self._add(plan, "subsidy", day, provider, "一次性求职创业补贴", amount=SUBSIDY_AMOUNT)

        if not changes:
            first, last = dt.date(cohort, 10, 8), dt.date(cohort, 10, 31)
        elif self.rng.randrange(100) < COUNSELLING_PERCENT:
            first, last = dt.date(cohort, 4, 1), until
        else:
            return
        for day in self._days(first, last, 1):
            self._add(plan, "counselling", day, staff.counsellor, self._note("counselling"))

    def _referral(self, plan: _Plan, day: dt.date, provider: str) -> None:
        nearby = self.vacancies.for_graduate(day, plan.university.province, plan.major)
        if nearby and self.rng.randrange(100) < REFERRAL_TO_VACANCY_PERCENT:
            vacancy = self.rng.choice(nearby)
            note = f"推荐至{vacancy.name}（{vacancy.title}）"
            self._add(plan, "referral", day, provider, note, vacancy_id=vacancy.id)
        else:
            note = self._note("late_referral" if day > dt.date(day.year, 8, 31) else "referral")
            self._add(plan, "referral", day, provider, note)

    def _add(
        self, plan: _Plan, kind: str, day: dt.date, provider: str, note: str, **fields
    ) -> None:
        plan.services.append(
            {"kind": kind, "service_date": day, "provider": provider, "note": note, **fields}
        )

    def _note(self, kind: str) -> str:
        return self.rng.choice(SERVICE_NOTES[kind])

    # --- Draws ---

    def _days(self, first: dt.date, last: dt.date, count: int) -> list[dt.date]:
        """`count` distinct days from `first` to `last`, in order (fewer when there are not as
        many)."""
        span = (last - first).days + 1
        if span <= 0 or count <= 0:
            return []
        return [
            first + offset * DAY
            for offset in sorted(self.rng.sample(range(span), min(count, span)))
        ]

    def _day_in(self, window: str, cohort: int) -> dt.date:
        (start_month, start_day), (end_month, end_day) = STATUS_WINDOWS[window]
        first, last = dt.date(cohort, start_month, start_day), dt.date(cohort, end_month, end_day)
        span = (last - first).days
        if window == "summer":
            # Most contracts are signed around graduation, at the end of June.
            offset = int(self.rng.triangular(0, span, span * 0.4))
        else:
            offset = self.rng.randint(0, span)
        return first + offset * DAY

    def _weighted(self, weights: dict) -> object:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]
