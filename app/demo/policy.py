"""The policy positions (政策性岗位) of the demo and of the generated national campaign (quotas
are a few hundred rows at any scale): every programme's quotas in the provinces it recruits
for, in 2022 and 2023, and the recruitment's progress through 2023's campaign.
Tianjin's add up to the report's "1.68万个政策性岗位，较去年增长10.3%" (16,800 against 15,231);
Fujian has its own programme (城乡基层就业岗位募集)."""

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demo.data import POLICY_PROGRAMS
from app.policy.models import PolicyQuota
from app.policy.schemas import ProgramCreate, ProgressCreate, QuotaCreate
from app.policy.service import add_progress, create_program, create_quota

SEED = 20230517
TIANJIN = {
    2023: {"special_post_teacher": 4200, "three_supports": 5100, "western_volunteer": 2300,
           "community": 3800, "rural_doctor": 1400},
    2022: {"special_post_teacher": 3900, "three_supports": 4731, "western_volunteer": 2100,
           "community": 3500, "rural_doctor": 1000},
}  # fmt: skip
FUJIAN_OWN = ProgramCreate(
    code="fj_grassroots",
    name="福建省城乡基层就业岗位募集",
    ministry="福建省人力资源和社会保障厅、福建省教育厅",
    province="35",
)
# 2023's recruitment, in stages: the day counted, and the share of the positions reached.
STAGES_2023 = [
    ("announced", dt.date(2023, 5, 15), 1.0),
    ("applied", dt.date(2023, 6, 20), 3.6),
    ("admitted", dt.date(2023, 7, 31), 0.83),
    ("admitted", dt.date(2023, 8, 31), 0.94),
    ("on_duty", dt.date(2023, 8, 31), 0.71),
]


def _quotas(rng: random.Random) -> list[tuple[str, str, int, int]]:
    """(programme, province, year, positions): Tianjin's as the report says, the others'
    plausible, in hundreds, a little more in 2023 than in 2022."""
    quotas = []
    for year, programs in TIANJIN.items():
        quotas += [(program, "12", year, positions) for program, positions in programs.items()]
    for program, spec in POLICY_PROGRAMS.items():
        for province in spec["provinces"]:
            if province == "12":
                continue
            before = rng.randint(8, 60) * 100
            quotas.append((program, province, 2022, before))
            quotas.append((program, province, 2023, before + rng.randint(0, 12) * 100))
    quotas += [(FUJIAN_OWN.code, "35", 2022, 2600), (FUJIAN_OWN.code, "35", 2023, 3000)]
    return quotas


def load_policy_positions(session: Session) -> int:
    """Create the programmes, quotas and progress; answer how many quotas. Nothing where some
    quota is recorded already (the demo's, in a database that is generated into too)."""
    if session.scalar(select(PolicyQuota.id).limit(1)) is not None:
        return 0
    rng = random.Random(SEED)
    create_program(session, FUJIAN_OWN, None)
    quotas = _quotas(rng)
    for program, province, year, positions in quotas:
        data = QuotaCreate(program=program, province=province, year=year, positions=positions)
        quota = create_quota(session, data, None)
        if year != 2023:
            continue
        for stage, day, share in STAGES_2023:
            people = int(positions * share * rng.uniform(0.9, 1.0))
            add_progress(
                session, quota.id, ProgressCreate(stage=stage, as_of=day, people=people), None
            )
    return len(quotas)
