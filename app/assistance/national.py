"""A synthetic national ledger of graduates in difficulty, calibrated to the 2023 report: at
scale 1.0 Hunan tracks exactly 44,000 graduates of the 2023 cohort ("湖南省全面掌握2023届4.4万名
困难毕业生"), 94,000 of the cohort are trained ("面向9.4万名2023届毕业生开展线下培训"), and the
other provinces' ledgers follow their universities; the 2022 cohort, smaller, is there to
compare with. One seed, no clock. Written through the bulk write path, encrypted as the API
encrypts; the kept figures are counted once at the end."""

import datetime as dt
import random
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session
from stdnum.cn import ric

from app.assistance import kept, standards
from app.assistance.models import (
    AssistanceService,
    AssistedGraduate,
    EmploymentStatus,
    GraduateGroup,
    ServiceKind,
    StatusChange,
)
from app.imports.bulk import insert_rows, reserve_ids
from app.privacy.cipher import get_cipher
from app.privacy.numbers import mask_id_number, mask_phone

SEED = 11643
TARGETS_2023 = {"graduates": 600_000, "hunan": 44_000, "trained": 94_000}
PREVIOUS_SHARE = 0.9
HUNAN = "43"
GROUP_WEIGHTS = {
    "poverty_registered": 34,
    "minimum_living": 22,
    "zero_employment": 8,
    "disabled": 6,
    "long_unemployed": 18,
    "other": 12,
}
# Where the placed go (the rest stay 未就业, or 暂不就业).
DESTINATION_WEIGHTS = {
    EmploymentStatus.SIGNED: 58,
    EmploymentStatus.FLEXIBLE: 16,
    EmploymentStatus.FURTHER_STUDY: 14,
    EmploymentStatus.GRASSROOTS: 8,
    EmploymentStatus.MILITARY: 4,
}
PLACED_SHARE = 0.9
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华鹏宇浩然子涵欣怡思雨梓轩俊杰"
MAJORS = ("会计学", "计算机科学与技术", "汉语言文学", "护理学", "机械设计制造及其自动化", "电子商务",
          "土木工程", "学前教育", "市场营销", "英语", "临床医学", "农学")  # fmt: skip
EDUCATION = ("vocational", "bachelor", "bachelor", "bachelor", "master")
GRADUATE_COLUMNS = (
    "id", "university_code", "cohort", "name", "id_number_cipher", "id_number_hash",
    "id_number_masked", "phone_cipher", "phone_masked", "gender", "major", "education",
    "mentor", "status", "status_date", "consultations", "resume_revisions", "referrals",
    "trainings", "subsidies", "counselling_sessions", "training_hours", "standard_met",
    "created_at",
)  # fmt: skip
SERVICE_COLUMNS = ("graduate_id", "kind", "service_date", "provider", "programme", "hours")


def split(total: int, weights: Sequence[float]) -> list[int]:
    """`total` shared in proportion to `weights`, exactly (largest remainders)."""
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


class NationalLedger:
    def __init__(
        self,
        session: Session,
        universities: Sequence[tuple[str, str]],
        scale: float,
        progress: Callable[[str], None] = print,
    ) -> None:
        self.session = session
        self.universities = list(universities)
        self.scale = scale
        self.progress = progress
        self.rng = random.Random(SEED)
        self.cipher = get_cipher()
        self.sequence = 0

    def generate(self) -> dict[str, int]:
        written = {"assisted_graduates": 0, "assistance_services": 0}
        for cohort, share in ((2022, self.scale * PREVIOUS_SHARE), (2023, self.scale)):
            graduates, services = self._cohort(cohort, share)
            written["assisted_graduates"] += graduates
            written["assistance_services"] += services
            self.progress(f"{cohort}: {graduates} graduates in difficulty, {services} services")
        kept.recount(self.session)
        self.progress("ledger figures counted")
        return written

    def _per_university(self, scale: float) -> list[int]:
        """Graduates per university: Hunan's share exactly its target, the rest by weight."""
        total = max(1, round(TARGETS_2023["graduates"] * scale))
        hunan = min(total, round(TARGETS_2023["hunan"] * scale))
        in_hunan = [i for i, (_, province) in enumerate(self.universities) if province == HUNAN]
        others = [i for i, (_, province) in enumerate(self.universities) if province != HUNAN]
        counts = [0] * len(self.universities)
        if not in_hunan:
            hunan = 0
        for i, count in zip(in_hunan, split(hunan, [1.0] * len(in_hunan)), strict=True):
            counts[i] = count
        weights = [self.rng.uniform(0.5, 1.5) for _ in others]
        for i, count in zip(others, split(total - hunan, weights), strict=True):
            counts[i] = count
        return counts

    def _cohort(self, cohort: int, scale: float) -> tuple[int, int]:
        counts = self._per_university(scale)
        total = sum(counts)
        self.sequence = 0
        trained_total = min(total, round(TARGETS_2023["trained"] * scale))
        trained = set(self.rng.sample(range(total), trained_total))
        ids = reserve_ids(self.session, AssistedGraduate.__table__, total)
        graduates, groups, changes, services = [], [], [], []
        n = 0
        for (university, province), count in zip(self.universities, counts, strict=True):
            for _ in range(count):
                person = self._person(ids[n], university, province, cohort, n in trained)
                graduates.append(person.row)
                groups.extend((ids[n], code) for code in person.groups)
                changes.extend(person.changes)
                services.extend(person.services)
                n += 1
        table = AssistedGraduate.__table__
        insert_rows(self.session, table, GRADUATE_COLUMNS, graduates)
        insert_rows(self.session, GraduateGroup.__table__, ("graduate_id", "group_code"), groups)
        insert_rows(
            self.session,
            StatusChange.__table__,
            ("graduate_id", "status", "effective_on", "recorded_at", "recorded_by"),
            changes,
        )
        insert_rows(self.session, AssistanceService.__table__, SERVICE_COLUMNS, services)
        return total, len(services)

    def _id_number(self, province: str, cohort: int) -> str:
        """Distinct within a cohort: the sequence spells out the birth date and order code."""
        self.sequence += 1
        order, day = divmod(self.sequence, 365)
        year = cohort - 23 + order // 1000 % 3
        born = dt.date(year, 1, 1) + dt.timedelta(days=day)
        first17 = f"{province}0102{born:%Y%m%d}{order % 1000:03d}"
        return first17 + ric.calc_check_digit(first17 + "0")

    def _person(
        self, graduate_id: int, university: str, province: str, cohort: int, trained: bool
    ) -> "_Person":
        return _Person(self, graduate_id, university, province, cohort, trained)


class _Person:
    """One graduate's row, groups, status history and services."""

    def __init__(self, ledger: NationalLedger, graduate_id, university, province, cohort, trained):
        rng, cipher = ledger.rng, ledger.cipher
        id_number = ledger._id_number(province, cohort)
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        # About one graduate in seven is still short of the 1-2-3 standard.
        short = rng.random() < 0.15
        counts = {
            ServiceKind.CONSULTATION: rng.choice((1, 1, 1, 2)),
            ServiceKind.RESUME: rng.choice((2, 2, 3)),
            ServiceKind.REFERRAL: rng.choice((2,) if short else (3, 3, 4, 5)),
            ServiceKind.TRAINING: 1 if trained else 0,
            ServiceKind.SUBSIDY: 1 if rng.random() < 0.3 else 0,
            ServiceKind.COUNSELLING: 1 if rng.random() < 0.1 else 0,
        }
        hours = rng.choice((16, 24, 32, 40)) if trained else 0
        start = dt.date(cohort, 3, 1)
        status, since = self._outcome(rng, cohort)
        self.changes = [(graduate_id, EmploymentStatus.UNEMPLOYED, start, _STAMP, "generate")]
        if status is not EmploymentStatus.UNEMPLOYED:
            self.changes.append((graduate_id, status, since, _STAMP, "generate"))
        minimums = standards.DEFAULT_MINIMUMS
        met = all(counts[kind] >= least for kind, least in minimums.items())
        picked = rng.choices(
            list(GROUP_WEIGHTS), list(GROUP_WEIGHTS.values()), k=rng.choice((1, 2))
        )
        self.groups = sorted(set(picked))
        self.row = (
            graduate_id, university, cohort,
            rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
            cipher.encrypt(id_number), cipher.lookup_hash(id_number), mask_id_number(id_number),
            cipher.encrypt(phone), mask_phone(phone),
            "male" if int(id_number[16]) % 2 else "female",
            rng.choice(MAJORS), rng.choice(EDUCATION), f"{rng.choice(SURNAMES)}老师",
            status, max(start, since), *(counts[kind] for kind in standards.COUNTED_IN),
            hours, met, _STAMP,
        )  # fmt: skip
        self.services = [
            (
                graduate_id,
                kind,
                start + dt.timedelta(days=rng.randrange(150)),
                "辅导员",
                "宏志助航计划" if kind is ServiceKind.TRAINING else None,
                hours if kind is ServiceKind.TRAINING else None,
            )
            for kind, times in counts.items()
            for _ in range(times)
        ]

    @staticmethod
    def _outcome(rng: random.Random, cohort: int) -> tuple[EmploymentStatus, dt.date]:
        if rng.random() >= PLACED_SHARE:
            return (
                EmploymentStatus.NOT_SEEKING if rng.random() < 0.2 else EmploymentStatus.UNEMPLOYED,
                dt.date(cohort, 3, 1),
            )
        destination = rng.choices(list(DESTINATION_WEIGHTS), list(DESTINATION_WEIGHTS.values()))[0]
        # Most are placed by the end of the sprint (31 August); some in the autumn after.
        day = dt.date(cohort, 4, 1) + dt.timedelta(days=int(rng.triangular(0, 270, 110)))
        return destination, day


_STAMP = dt.datetime(2023, 9, 1, tzinfo=dt.UTC)


def generate_ledger(
    session: Session,
    universities: Sequence[tuple[str, str]],
    scale: float,
    progress: Callable[[str], None] = print,
) -> dict[str, int]:
    return NationalLedger(session, universities, scale, progress).generate()
