"""A synthetic national campaign calibrated to the Ministry's 2023 report, at any scale.

At scale 1.0 the 2023 campaign has exactly the figures behind the bulletin sentence
(2600多所高校, 23.6万余家企业, 290万余个岗位, 6.4万场, 79万余家企业, 1230万余条, 1074万余人次); at
scale s every target is round(target * s). A smaller 2022 campaign is its `previous`. One seed,
no clock: the same scale always gives the same records. Everything is written through the bulk
write path (app.imports.bulk), as ledger imports are.
"""

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn.uscc import calc_check_digit

from app.assistance.models import AssistanceService, AssistedGraduate, GraduateGroup, StatusChange
from app.assistance.national import generate_ledger
from app.campaigns.models import Campaign
from app.demo.campus_matchmaking import generate_campus_sessions
from app.demo.data import (
    CITIES,
    EMPLOYER_PROVINCE_WEIGHTS,
    EVENT_KIND_WEIGHTS,
    INDUSTRY_SUFFIXES,
    INDUSTRY_WEIGHTS,
    JOB_TITLES,
    USCC_ALPHABET,
    WESTERN_PROVINCES,
    WORD_STEMS,
)
from app.demo.matchmaking import SESSIONS as MATCHMAKING_SESSIONS
from app.demo.matchmaking import load_matchmaking
from app.demo.policy import load_policy_positions
from app.demo.publicity import load_policy_publicity
from app.employers.models import Employer
from app.events.models import Event, EventParticipant
from app.imports.bulk import indexes_built_afterwards, insert_rows, reserve_ids
from app.stats.upkeep import rebuild
from app.universities.models import University
from app.vacancies.models import Vacancy
from app.visits.models import Visit

SEED = 2023
SLUG = "national-2023"
PREVIOUS_SLUG = "national-2022"

# The 2023 report's figures, and the registries they are drawn from.
TARGETS_2023 = {
    "universities": 2_700,
    "universities_visiting": 2_612,
    "employers": 960_000,
    "enterprises_visited": 236_412,
    "visits": 318_000,
    "positions_opened": 2_903_117,
    "events": 64_000,
    "employers_at_events": 790_318,
    "attendances": 10_745_000,
    "postings": 12_304_517,
}
# The tables of millions of rows: into a fresh database, their indexes and foreign keys are
# built once they are loaded, as pg_restore does.
BULK_TABLES = [
    table.__table__
    for table in (
        EventParticipant,
        Vacancy,
        AssistedGraduate,
        GraduateGroup,
        StatusChange,
        AssistanceService,
    )
]
PREVIOUS_SHARE = 0.85  # the 2022 campaign, relative to 2023
# Participations per employer at events: 1 + a geometric number more (mean about 2.4).
EXTRA_PARTICIPATION = 0.58
# Vacancies by source; event and visit ones are counted where their event or visit is.
SOURCE_WEIGHTS = {"event": 45, "visit": 15, "platform": 30, "direct": 10}
POLICY_SHARE = 0.02
POLICY_PROGRAMS = (
    "special_post_teacher",
    "three_supports",
    "western_volunteer",
    "community",
    "rural_doctor",
)
# Universities per province, roughly as the country has them.
UNIVERSITY_PROVINCE_WEIGHTS = {
    "32": 168, "44": 160, "41": 156, "37": 153, "42": 130, "43": 128, "51": 134, "13": 123,
    "34": 120, "36": 106, "21": 114, "33": 109, "61": 97, "35": 89, "11": 92, "45": 85, "53": 82,
    "14": 82, "23": 78, "52": 75, "50": 70, "31": 64, "12": 56, "22": 66, "62": 49, "15": 54,
    "65": 56, "46": 21, "64": 20, "63": 12, "54": 7,
}  # fmt: skip


def scaled(value: int, scale: float) -> int:
    return max(1, round(value * scale))


def split_exactly(rng: random.Random, total: int, parts: int, skew: float = 1.0) -> list[int]:
    """`parts` non-negative integers summing to exactly `total`, unevenly (heavier tail for a
    larger `skew`)."""
    weights = [rng.paretovariate(1.0 + 1.0 / skew) for _ in range(parts)]
    whole = sum(weights)
    shares = [int(w * total / whole) for w in weights]
    for position in rng.sample(range(parts), total - sum(shares)):
        shares[position] += 1
    return shares


@dataclass
class Registry:
    """Universities and employers, shared by both campaigns."""

    university_codes: list[str] = field(default_factory=list)
    university_provinces: list[str] = field(default_factory=list)
    usccs: list[str] = field(default_factory=list)
    employer_provinces: list[str] = field(default_factory=list)
    employer_industries: list[str] = field(default_factory=list)


@dataclass
class CampaignRecords:
    """What vacancies point at: each visit's (id, university, its province, employer, day) and each event's
    (id, province, university, day)."""

    visits: list[tuple[int, str, str, int, dt.date]] = field(default_factory=list)
    events: list[tuple[int, str, str | None, dt.date]] = field(default_factory=list)


def generated(session: Session) -> bool:
    return session.scalar(select(Campaign.id).where(Campaign.slug == SLUG)) is not None


class NationalCampaign:
    def __init__(self, session: Session, scale: float, progress: Callable[[str], None] = print):
        self.session = session
        self.scale = scale
        self.progress = progress
        self.rng = random.Random(SEED)
        self.registry = Registry()

    def generate(self) -> dict[str, int]:
        self._universities()
        self._employers()
        with indexes_built_afterwards(self.session, BULK_TABLES) as deferred:
            written = self._records()
            began = time.perf_counter()
        if deferred:
            built = time.perf_counter() - began
            self.progress(f"indexes of {', '.join(deferred)} built in {built:.0f} s")
        # Into an empty database, counting everything once beats keeping count row by row.
        rebuild(self.session, self.progress)
        return written

    def _records(self) -> dict[str, int]:
        written: dict[str, int] = {}
        previous = self._campaign(PREVIOUS_SLUG, 2022, None)
        self._load_campaign(2022, self.scale * PREVIOUS_SHARE, written)
        self._campaign(SLUG, 2023, previous)
        self._load_campaign(2023, self.scale, written)
        registry = self.registry
        universities = list(
            zip(registry.university_codes, registry.university_provinces, strict=True)
        )
        written |= generate_ledger(self.session, universities, self.scale, self.progress)
        written["policy_quotas"] = load_policy_positions(self.session)
        written |= load_policy_publicity(self.session)
        written |= self._matchmaking(universities)
        return written

    def _matchmaking(self, universities: list[tuple[str, str]]) -> dict[str, int]:
        """The Ministry's meeting and the others the demo has, then universities' own."""
        named = load_matchmaking(self.session)
        employers = list(zip(self.registry.usccs, self.registry.employer_provinces, strict=True))
        sessions, intents = generate_campus_sessions(
            self.session, self.rng, universities, employers, self.scale
        )
        self.progress(f"{sessions} matchmaking sessions of universities, {intents} intents")
        held = len(MATCHMAKING_SESSIONS) if named else 0
        return {"matchmaking_sessions": held + sessions, "cooperation_intents": named + intents}

    # --- registries -----------------------------------------------------------------------

    def _universities(self) -> None:
        count = scaled(TARGETS_2023["universities"], self.scale)
        provinces = self._weighted(UNIVERSITY_PROVINCE_WEIGHTS, count)
        rows = []
        for number, province in enumerate(provinces):
            code = f"41{province}{number:06d}"
            city = self.rng.choice(CITIES[province])[1]
            rows.append((code, f"{city}{self.rng.choice(WORD_STEMS)}大学{number}", province))
            self.registry.university_codes.append(code)
            self.registry.university_provinces.append(province)
        insert_rows(self.session, University.__table__, ("code", "name", "province"), rows)
        self.progress(f"{count} universities")

    def _employers(self) -> None:
        count = scaled(TARGETS_2023["employers"], self.scale)
        industries = self._weighted(INDUSTRY_WEIGHTS, count)
        provinces = self._weighted(EMPLOYER_PROVINCE_WEIGHTS, count)
        self.registry.employer_industries = industries
        self.registry.employer_provinces = provinces
        self.registry.usccs = [self._uscc(n, provinces[n]) for n in range(count)]
        insert_rows(
            self.session,
            Employer.__table__,
            ("uscc", "name", "industry", "province"),
            self._employer_rows(count),
        )
        self.progress(f"{count} employers")

    def _employer_rows(self, count: int) -> Iterator[tuple]:
        registry = self.registry
        for n in range(count):
            industry, province = registry.employer_industries[n], registry.employer_provinces[n]
            city = CITIES[province][n % len(CITIES[province])][1]
            stem = WORD_STEMS[n % len(WORD_STEMS)]
            suffix = INDUSTRY_SUFFIXES[industry][n % len(INDUSTRY_SUFFIXES[industry])]
            yield registry.usccs[n], f"{city}{stem}{suffix}{n}", industry, province

    def _uscc(self, number: int, province: str) -> str:
        # The organisation code spells out the employer's number, so every code is distinct.
        digits = []
        for _ in range(9):
            number, digit = divmod(number, len(USCC_ALPHABET))
            digits.append(USCC_ALPHABET[digit])
        first17 = f"91{province}0100" + "".join(reversed(digits))
        return first17 + calc_check_digit(first17)

    def _weighted(self, weights: dict[str, int], count: int) -> list[str]:
        return self.rng.choices(list(weights), weights=list(weights.values()), k=count)

    # --- one campaign ---------------------------------------------------------------------

    def _campaign(self, slug: str, year: int, previous: int | None) -> int:
        [campaign_id] = reserve_ids(self.session, Campaign.__table__, 1)
        name = f"{year}届高校毕业生就业“百日冲刺”行动（全国模拟数据）"
        row = (campaign_id, slug, name, dt.date(year, 5, 1), dt.date(year, 8, 31), previous)
        columns = ("id", "slug", "name", "start_date", "end_date", "previous_id")
        insert_rows(self.session, Campaign.__table__, columns, [row])
        return campaign_id

    def _load_campaign(self, year: int, scale: float, written: dict[str, int]) -> None:
        days = [dt.date(year, 5, 1) + dt.timedelta(days=d) for d in range(123)]
        records = CampaignRecords()
        loads = {
            "visits": lambda: self._visits(scale, days, records),
            "events": lambda: self._events(scale, days, records),
            "event_participants": lambda: self._participants(scale, records),
            "vacancies": lambda: self._vacancies(scale, days, records),
        }
        for kind, load in loads.items():
            count = load()
            written[kind] = written.get(kind, 0) + count
            self.progress(f"{year}: {count} {kind}")

    def _day(self, days: list[dt.date]) -> dt.date:
        # Busier in May and June, as the sprint winds down towards August.
        return days[min(int(self.rng.triangular(0, 123, 20)), 122)]

    def _visits(self, scale: float, days: list[dt.date], records: CampaignRecords) -> int:
        rng, registry = self.rng, self.registry
        count = scaled(TARGETS_2023["visits"], scale)
        visited = rng.sample(
            range(len(registry.usccs)), scaled(TARGETS_2023["enterprises_visited"], scale)
        )
        visiting = rng.sample(
            range(len(registry.university_codes)),
            min(
                scaled(TARGETS_2023["universities_visiting"], scale), len(registry.university_codes)
            ),
        )
        employers = visited + [rng.choice(visited) for _ in range(count - len(visited))]
        universities = visiting + [rng.choice(visiting) for _ in range(count - len(visiting))]
        rng.shuffle(universities)
        positions = split_exactly(rng, scaled(TARGETS_2023["positions_opened"], scale), count)
        ids = reserve_ids(self.session, Visit.__table__, count)
        rows = []
        for n in range(count):
            university = registry.university_codes[universities[n]]
            province = registry.university_provinces[universities[n]]
            day = self._day(days)
            records.visits.append((ids[n], university, province, employers[n], day))
            rows.append((ids[n], university, registry.usccs[employers[n]], day, positions[n], "[]"))
        columns = (
            "id",
            "university_code",
            "employer_uscc",
            "visit_date",
            "positions_opened",
            "majors",
        )
        return insert_rows(self.session, Visit.__table__, columns, rows)

    def _events(self, scale: float, days: list[dt.date], records: CampaignRecords) -> int:
        rng, registry = self.rng, self.registry
        count = scaled(TARGETS_2023["events"], scale)
        attendance = split_exactly(rng, scaled(TARGETS_2023["attendances"], scale), count)
        kinds = self._weighted(EVENT_KIND_WEIGHTS, count)
        ids = reserve_ids(self.session, Event.__table__, count)
        rows = []
        for n in range(count):
            home = rng.randrange(len(registry.university_codes))
            province = registry.university_provinces[home]
            university = registry.university_codes[home] if rng.random() < 0.85 else None
            industry = rng.choice("CIMEJQP") if rng.random() < 0.4 else None
            day = self._day(days)
            mode = "online" if kinds[n] in ("online_fair", "livestream") else "onsite"
            title = f"{university or province + '省级'}{day:%m%d}{kinds[n]}{n}"
            records.events.append((ids[n], province, university, day))
            rows.append(
                (
                    ids[n],
                    title,
                    kinds[n],
                    mode,
                    day,
                    day,
                    province,
                    university,
                    industry,
                    attendance[n],
                )
            )
        columns = (
            "id", "title", "kind", "mode", "start_date", "end_date", "province", "university_code",
            "industry", "attendance",
        )  # fmt: skip
        return insert_rows(self.session, Event.__table__, columns, rows)

    def _participants(self, scale: float, records: CampaignRecords) -> int:
        rng, usccs = self.rng, self.registry.usccs
        attending = rng.sample(
            range(len(usccs)), scaled(TARGETS_2023["employers_at_events"], scale)
        )
        event_ids = [event[0] for event in records.events]

        def rows() -> Iterator[tuple[int, str]]:
            for employer in attending:
                extra = 0
                while rng.random() < EXTRA_PARTICIPATION and extra < 20:
                    extra += 1
                for event_id in rng.sample(event_ids, min(1 + extra, len(event_ids))):
                    yield event_id, usccs[employer]

        columns = ("event_id", "employer_uscc")
        return insert_rows(self.session, EventParticipant.__table__, columns, rows())

    def _vacancies(self, scale: float, days: list[dt.date], records: CampaignRecords) -> int:
        count = scaled(TARGETS_2023["postings"], scale)
        columns = (
            "employer_uscc", "title", "headcount", "posted_date", "source", "event_id", "visit_id",
            "province", "university_code", "education", "majors", "policy_program",
        )  # fmt: skip
        rows = _VacancyRows(self, days, records).rows(count)
        return insert_rows(self.session, Vacancy.__table__, columns, rows)


class _VacancyRows:
    """Vacancies with a few employers posting very many (a Zipf-like tail)."""

    def __init__(self, campaign: NationalCampaign, days: list[dt.date], records: CampaignRecords):
        self.rng = campaign.rng
        self.registry = campaign.registry
        self.days = days
        self.records = records
        self.poster_cumulative = list(
            accumulate(1.0 / (rank + 10) for rank in range(len(self.registry.usccs)))
        )
        self.sources = list(SOURCE_WEIGHTS)
        self.source_cumulative = list(accumulate(SOURCE_WEIGHTS.values()))

    def rows(self, count: int, batch: int = 10_000) -> Iterator[tuple]:
        rng = self.rng
        posters = range(len(self.registry.usccs))
        while count > 0:
            size = min(batch, count)
            employers = rng.choices(posters, cum_weights=self.poster_cumulative, k=size)
            sources = rng.choices(self.sources, cum_weights=self.source_cumulative, k=size)
            for employer, source in zip(employers, sources, strict=True):
                yield self._row(employer, source)
            count -= size

    def _row(self, employer: int, source: str) -> tuple:
        rng, registry = self.rng, self.registry
        event_id = visit_id = university = policy = None
        if rng.random() < POLICY_SHARE:
            source, policy = "platform", rng.choice(POLICY_PROGRAMS)
            province, day = rng.choice(WESTERN_PROVINCES), rng.choice(self.days)
        elif source == "event":
            event_id, province, university, day = rng.choice(self.records.events)
        elif source == "visit":
            # A vacancy from a visit is the visited employer's.
            visit_id, university, province, employer, day = rng.choice(self.records.visits)
        else:
            province, day = registry.employer_provinces[employer], rng.choice(self.days)
        industry = registry.employer_industries[employer]
        title = rng.choice(JOB_TITLES.get(industry) or JOB_TITLES["C"])
        headcount = 1 + int(rng.expovariate(0.6))
        return (
            registry.usccs[employer], title, headcount, day, source, event_id, visit_id,
            province, university, "any", "[]", policy,
        )  # fmt: skip
