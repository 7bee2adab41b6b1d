"""The policy publicity (政策宣传) of the demo and of the generated national campaign (the same
few thousand rows at any scale), as the report tells it: 1,866 measures of every province and
104 cities ("汇集发布各省及100余个地市级单位……政策措施1866条"), among them Hubei's own and all 17 of
its cities' ("实现省级和17个市(州)政策全收录"), Hubei's 创业担保贷款 of up to 500万元 and Shaanxi's
创业孵化补贴 of 3000元 a person; four national measures besides; and 402 sessions of the national
committee and the 19 industry committees, 进园区、进企业、进高校、进社区 ("宣讲政策400余次")."""

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.publicity.cities import CITIES, cities_of
from app.publicity.models import (
    HolderKind,
    MeasureCategory,
    PolicyMeasure,
    PublicityPlace,
    PublicitySession,
)
from app.publicity.schemas import MeasureCreate
from app.publicity.service import new_measure
from app.reference.data import PROVINCES

SEED = 20230901
LOCAL_MEASURES, CITIES_ISSUING, SESSIONS = 1866, 104, 402
HUBEI, SHAANXI = "42", "61"
FIRST_DAY, LAST_DAY = dt.date(2022, 9, 1), dt.date(2023, 8, 31)
SPRINT = (dt.date(2023, 5, 1), dt.date(2023, 8, 31))
NAMED = [
    MeasureCreate(
        title="湖北省关于发挥小微企业吸纳就业作用加大创业担保贷款支持力度的通知",
        issuer="湖北省人力资源和社会保障厅",
        level="province",
        province=HUBEI,
        category="startup_loan",
        amount=5_000_000,
        amount_unit="每户",
        published_on=dt.date(2023, 5, 18),
        summary="小微企业一年内新招用符合创业担保贷款申请条件的人员（含高校毕业生）总数达到一定"
        "比例的，可申请最高额度不超过500万元的创业担保贷款。",
    ),
    MeasureCreate(
        title="陕西省创业孵化基地创业孵化项目补贴实施办法",
        issuer="陕西省人力资源和社会保障厅",
        level="province",
        province=SHAANXI,
        category="incubation",
        amount=3000,
        amount_unit="每人",
        published_on=dt.date(2023, 6, 2),
        summary="对认定达到标准的创业孵化基地，按每带动1个人就业不超过3000元的标准核算，给予"
        "创业孵化项目补贴。",
    ),
]
NATIONAL = [
    ("关于延续实施一次性扩岗补助政策有关工作的通知", "人力资源社会保障部办公厅、财政部办公厅", "job_expansion", 1500, dt.date(2023, 5, 12)),
    ("关于优化调整稳就业政策措施全力促发展惠民生的通知", "国务院办公厅", "hiring", None, dt.date(2023, 4, 26)),
    ("关于做好2023届全国普通高校毕业生就业创业工作的通知", "教育部", "other", None, dt.date(2022, 11, 18)),
    ("关于做好2023年高校毕业生等青年就业创业工作的通知", "人力资源社会保障部", "social_insurance", None, dt.date(2023, 4, 12)),
]  # fmt: skip
# Each category's subjects, what a measure of it gives (yuan; None: no sum) and per what.
TOPICS = {
    "job_expansion": (["一次性扩岗补助", "扩岗补助申领"], 1500, "每人"),
    "social_insurance": (["社会保险补贴", "企业吸纳高校毕业生社保补贴"], None, None),
    "hiring": (["吸纳就业补贴", "小微企业吸纳高校毕业生就业补贴"], 2000, "每人"),
    "training": (["职业培训补贴", "以工代训补贴"], 1200, "每人"),
    "startup_loan": (["创业担保贷款", "创业担保贷款贴息"], 300_000, "每人"),
    "incubation": (["创业孵化补贴", "创业孵化基地奖补"], 3000, "每人"),
    "job_seeking": (["求职创业补贴", "困难毕业生求职补贴"], 1000, "每人"),
    "traineeship": (["就业见习补贴", "就业见习基地建设"], None, None),
    "other": (["高校毕业生就业创业", "基层就业服务"], None, None),
}
VERBS = [
    "进一步做好",
    "做好2023年",
    "加快落实",
    "优化调整",
    "延续实施",
    "全面落实",
    "扎实推进",
    "规范",
]
PROVINCE_ISSUERS = ["人力资源和社会保障厅", "教育厅", "财政厅", "人民政府办公厅"]
CITY_ISSUERS = ["人力资源和社会保障局", "教育局", "财政局", "人民政府办公室"]
INDUSTRY_COMMITTEES = [
    "交通运输", "邮政快递", "能源电力", "石油化工", "装备制造", "电子信息", "建筑", "水利", "农业农村",
    "林业草原", "卫生健康", "文化旅游", "金融", "钢铁冶金", "纺织服装", "轻工", "医药", "地质矿产",
    "新闻出版",
]  # fmt: skip


class _Measures:
    """The measures of each issuing province and city, with titles unique to their issuer."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.titles: set[tuple[str, str]] = {(m.issuer, m.title) for m in NAMED}
        self.made: list[PolicyMeasure] = [new_measure(data, None) for data in NAMED]

    def add(self, place: str, issuers: list[str], count: int, **region) -> None:
        for _ in range(count):
            category = self.rng.choice(list(TOPICS))
            subjects, amount, unit = TOPICS[category]
            issuer = place + self.rng.choice(issuers)
            base = f"{place}关于{self.rng.choice(VERBS)}{self.rng.choice(subjects)}工作的"
            title, supplements = f"{base}通知", 0
            while (issuer, title) in self.titles:
                supplements += 1
                title = f"{base}补充通知（{supplements}）"
            self.titles.add((issuer, title))
            published = FIRST_DAY + dt.timedelta(self.rng.randrange((LAST_DAY - FIRST_DAY).days))
            data = MeasureCreate(
                title=title,
                issuer=issuer,
                category=category,
                amount=amount,
                amount_unit=unit,
                published_on=published,
                summary=f"{place}{subjects[0]}政策：符合条件的高校毕业生和吸纳其就业的用人单位"
                f"可按规定申领{MeasureCategory(category).label}。",
                **region,
            )
            self.made.append(new_measure(data, None))


def _issuing_cities(rng: random.Random) -> list[str]:
    """All of Hubei's 17 cities, and others of the provinces that have cities."""
    others = [code for code in CITIES if code[:2] != HUBEI]
    return [*cities_of(HUBEI), *sorted(rng.sample(others, CITIES_ISSUING - len(cities_of(HUBEI))))]


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`parts` counts, each at least 1, adding up to `total`."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [end - start for start, end in zip([0, *cuts], [*cuts, total], strict=True)]


def measures(rng: random.Random) -> list[PolicyMeasure]:
    made = _Measures(rng)
    cities = _issuing_cities(rng)
    per_city = [rng.randint(2, 10) for _ in cities]
    provinces = [code for code in PROVINCES if code not in ("71", "81", "82")]
    per_province = _split(rng, LOCAL_MEASURES - sum(per_city) - len(NAMED), len(provinces))
    for province, count in zip(provinces, per_province, strict=True):
        made.add(PROVINCES[province], PROVINCE_ISSUERS, count, level="province", province=province)
    for city, count in zip(cities, per_city, strict=True):
        made.add(CITIES[city], CITY_ISSUERS, count, level="city", city=city)
    for title, issuer, category, amount, published in NATIONAL:
        data = MeasureCreate(
            title=title,
            issuer=issuer,
            level="national",
            category=category,
            amount=amount,
            amount_unit="每人" if amount else None,
            published_on=published,
        )
        made.made.append(new_measure(data, None))
    return made.made


def sessions(rng: random.Random) -> list[PublicitySession]:
    """The national committee's 22 sessions and the industry committees' 380, in the sprint."""
    committees = [(HolderKind.NATIONAL_COMMITTEE, HolderKind.NATIONAL_COMMITTEE.label, 22)]
    counts = _split(rng, SESSIONS - 22, len(INDUSTRY_COMMITTEES))
    for industry, count in zip(INDUSTRY_COMMITTEES, counts, strict=True):
        name = f"{industry}行业高校毕业生就业创业指导委员会"
        committees.append((HolderKind.INDUSTRY_COMMITTEE, name, count))
    days = (SPRINT[1] - SPRINT[0]).days + 1
    made = []
    for kind, holder, count in committees:
        for number in range(count):
            place = list(PublicityPlace)[number % len(PublicityPlace)]
            made.append(
                PublicitySession(
                    held_on=SPRINT[0] + dt.timedelta(rng.randrange(days)),
                    title=f"{holder}高校毕业生就业创业政策宣讲（{place.label}）",
                    holder_kind=kind,
                    holder=holder,
                    place=place,
                    audience=rng.randint(80, 600),
                )
            )
    return made


def load_policy_publicity(session: Session) -> dict[str, int]:
    """Create the measures and sessions; answer how many of each. Nothing where some measure
    is recorded already (the demo's, in a database that is generated into too)."""
    if session.scalar(select(PolicyMeasure.id).limit(1)) is not None:
        return {"policy_measures": 0, "publicity_sessions": 0}
    rng = random.Random(SEED)
    made = (measures(rng), sessions(rng))
    for records in made:
        session.add_all(records)
    session.flush()
    return {"policy_measures": len(made[0]), "publicity_sessions": len(made[1])}
