"""The matchmaking of a national campaign beyond the Ministry's meeting: universities' own
sessions (two for each visiting university at scale 1.0), each with a few of its province's
universities and employers, and the intents reached there, with their follow-up. Written
through the bulk path: at scale 1.0 some 5,000 sessions and 30,000 intents, so that the
figures are timed on a national campaign's volume."""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.imports.bulk import insert_rows, reserve_ids
from app.matchmaking.models import (
    CooperationIntent,
    IntentStatus,
    IntentStep,
    IntentType,
    MatchmakingSession,
    SessionEmployer,
    SessionFormat,
    SessionUniversity,
)

SESSIONS_AT_FULL_SCALE = 5_200
FIRST_DAY, LAST_DAY = dt.date(2023, 5, 1), dt.date(2023, 8, 31)
FIELDS = [
    "energy_power", "equipment_manufacturing", "electronic_information", "integrated_circuits",
    "artificial_intelligence", "new_materials", "biomedicine", "aerospace", "marine_engineering",
    "new_energy_vehicles", "modern_agriculture", "transport_logistics", "ecology_environment",
    "civil_engineering", "health_care",
]  # fmt: skip
TYPES = list(IntentType)
TYPE_WEIGHTS = [30, 28, 22, 18, 2]


class CampusSessions:
    """Sessions, who took part and the intents, as rows for the bulk path."""

    def __init__(self, rng: random.Random, universities: list[tuple[str, str]], employers):
        self.rng = rng
        self.universities = universities
        self.universities_in: dict[str, list[str]] = defaultdict(list)
        for code, province in universities:
            self.universities_in[province].append(code)
        self.employers_in: dict[str, list[str]] = defaultdict(list)
        for uscc, province in employers:
            self.employers_in[province].append(uscc)
        self.sessions: list[tuple] = []
        self.taking_part: list[tuple] = []
        self.taking_part_employers: list[tuple] = []
        self.intents: list[tuple] = []

    def session(self, session_id: int) -> None:
        rng = self.rng
        host, province = rng.choice(self.universities)
        day = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
        format = SessionFormat.SUPPLY_DEMAND if rng.random() < 0.8 else SessionFormat.OTHER
        title = f"{rng.choice(FIELDS_NAMED)}行业校企供需对接会"
        self.sessions.append((session_id, title, format, day, "高校就业指导中心", province, host))
        partners = [c for c in self.universities_in[province] if c != host]
        guests = [host, *rng.sample(partners, min(len(partners), rng.randint(0, 2)))]
        held = (day, province)
        self.taking_part += [(session_id, code, *held) for code in guests]
        nearby = self.employers_in[province]
        employers = rng.sample(nearby, min(len(nearby), rng.randint(6, 20)))
        fields = {uscc: rng.choice(FIELDS) for uscc in employers}
        self.taking_part_employers += [
            (session_id, uscc, fields[uscc], *held) for uscc in employers
        ]
        for _ in range(rng.randint(0, 12) if employers else 0):
            uscc = rng.choice(employers)
            kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
            intent = (session_id, rng.choice(guests), uscc, kind, fields[uscc], *held)
            self.intents.append((*intent, *self._follow_up(day)))

    def _follow_up(self, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """Three intents in ten signed within weeks, and four in ten of those landed."""
        if self.rng.random() >= 0.3:
            return None, None
        signed = min(day + dt.timedelta(days=self.rng.randint(7, 50)), LAST_DAY)
        landed = min(signed + dt.timedelta(days=14), LAST_DAY)
        return signed, landed if self.rng.random() < 0.4 else None

    def steps(self, intent_ids) -> Iterator[tuple]:
        """Each intent's steps, as the intents keep their days."""
        statuses = (IntentStatus.INTENDED, IntentStatus.SIGNED, IntentStatus.LANDED)
        for intent_id, intent in zip(intent_ids, self.intents, strict=True):
            days = (intent[5], *intent[7:])
            for status, day in zip(statuses, days, strict=True):
                if day is not None:
                    yield intent_id, status, day


FIELDS_NAMED = ["能源动力", "装备制造", "电子信息", "集成电路", "人工智能", "新材料", "生物医药"]


def generate_campus_sessions(
    session: Session, rng: random.Random, universities, employers, scale: float
) -> tuple[int, int]:
    """`universities`: (code, province); `employers`: (uscc, province). Answers how many
    sessions and intents were written."""
    count = max(1, round(SESSIONS_AT_FULL_SCALE * scale))
    made = CampusSessions(rng, universities, employers)
    session_ids = reserve_ids(session, MatchmakingSession.__table__, count)
    for session_id in session_ids:
        made.session(session_id)
    columns = ("id", "title", "format", "held_on", "organiser", "province", "university_code")
    insert_rows(session, MatchmakingSession.__table__, columns, made.sessions)
    held = ("held_on", "province")
    columns = ("session_id", "university_code", *held)
    insert_rows(session, SessionUniversity.__table__, columns, made.taking_part)
    columns = ("session_id", "employer_uscc", "field_code", *held)
    insert_rows(session, SessionEmployer.__table__, columns, made.taking_part_employers)
    intent_ids = reserve_ids(session, CooperationIntent.__table__, len(made.intents))
    columns = ("id", "session_id", "university_code", "employer_uscc", "type", "field_code")
    columns += (*held, "signed_on", "landed_on")
    rows = ((n, *intent) for n, intent in zip(intent_ids, made.intents, strict=True))
    insert_rows(session, CooperationIntent.__table__, columns, rows)
    steps = list(made.steps(intent_ids))
    step_ids = reserve_ids(session, IntentStep.__table__, len(steps))
    rows = ((n, *step) for n, step in zip(step_ids, steps, strict=True))
    insert_rows(session, IntentStep.__table__, ("id", "intent_id", "status", "as_of"), rows)
    if session.get_bind().dialect.name == "postgresql":
        # Planned on what was loaded, not on an empty table's guesses.
        for model in (SessionUniversity, SessionEmployer, CooperationIntent, IntentStep):
            session.execute(text(f"ANALYZE {model.__tablename__}"))
    return count, len(made.intents)
