"""Policy publicity in the words of the Ministry's report: "部署全国普通高校毕业生就业创业指导委员会
和19个行业就指委进园区、进企业、进高校、进社区，共计宣讲政策400余次。" and "汇集发布各省及100余个地市级
单位高校毕业生就业创业政策措施1866条。"; for a province, "湖北省……实现省级和17个市(州)政策全收录".
Sessions and cities follow SPEC's number rules (400余, 100余); measures are counted exactly, as
the report does (1866条). The measures are the provinces' and their cities' (the nation's own
are not among the report's 1866)."""

import datetime as dt

from sqlalchemy.orm import Session

from app.publicity import figures
from app.publicity.cities import cities_of
from app.publicity.models import HolderKind
from app.reference.data import PROVINCE_SHORT_NAMES, PROVINCES
from app.reports.numbers import bulletin_number as n

# The provinces of the mainland, which "各省" names when every one has issued measures.
MAINLAND = {code for code in PROVINCES if code not in ("71", "81", "82")}
MEASURES = "高校毕业生就业创业政策措施"
# The figure of the sessions' sentence that counts each kind of holder.
HOLDERS_FIGURE = {
    HolderKind.NATIONAL_COMMITTEE: "national_committees",
    HolderKind.INDUSTRY_COMMITTEE: "industry_committees",
    HolderKind.DEPARTMENT: "departments",
    HolderKind.UNIVERSITY: "universities",
}


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "、".join(parts[:-1]) + "和" + parts[-1]


def _holder_phrase(kind: HolderKind, names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    counter = "所" if kind == HolderKind.UNIVERSITY else "个"
    short = {HolderKind.DEPARTMENT: "教育部门", HolderKind.UNIVERSITY: "高校"}
    return f"{n(len(names))}{counter}{short.get(kind, kind.label)}"


def _sessions(session: Session, scope: figures.PublicityScope, counted: dict) -> dict:
    held = figures.holders(session, scope)
    who = _joined([_holder_phrase(kind, names) for kind, names in held.items()])
    went = "、".join(place.label for place in figures.places(session, scope))
    lead = "部署" if scope.province is None else PROVINCES[scope.province]
    if scope.province is not None and who.startswith(PROVINCE_SHORT_NAMES[scope.province]):
        lead = ""  # 湖北省教育厅, not 湖北省湖北省教育厅
    return {
        "text": f"{lead}{who}{went}，共计宣讲政策{n(counted['sessions'])}次。",
        "figures": {
            "sessions": counted["sessions"],
            **{HOLDERS_FIGURE[kind]: len(names) for kind, names in held.items()},
        },
    }


def _national_measures(session: Session, scope: figures.PublicityScope, counted: dict) -> dict:
    issuers = []
    if counted["provinces"]:
        everywhere = MAINLAND.issubset(figures.issuing_provinces(session, scope))
        issuers.append("各省" if everywhere else f"{n(counted['provinces'])}个省份")
    if counted["cities"]:
        issuers.append(f"{n(counted['cities'])}个地市级单位")
    local = counted["province_measures"] + counted["city_measures"]
    return {
        "text": f"汇集发布{'及'.join(issuers)}{MEASURES}{local}条。",
        "figures": {
            "province_measures": counted["province_measures"],
            "city_measures": counted["city_measures"],
            "provinces": counted["provinces"],
            "cities": counted["cities"],
        },
    }


def _own_level(name: str) -> str:
    """How a province calls its own level: 省级, 市级 (北京市), 自治区级."""
    return next((f"{kind}级" for kind in ("市", "自治区") if name.endswith(kind)), "省级")


def _province_measures(scope: figures.PublicityScope, counted: dict) -> dict:
    name, cities = PROVINCES[scope.province], cities_of(scope.province)
    unit = "市(州)" if any(city.endswith("自治州") for city in cities.values()) else "市"
    whose = [_own_level(name)] if counted["province_measures"] else []
    if counted["cities"]:
        whose.append(f"{n(counted['cities'])}个{unit}")
    local = counted["province_measures"] + counted["city_measures"]
    complete = bool(counted["province_measures"]) and counted["cities"] == len(cities)
    held = f"实现{'和'.join(whose)}政策全收录，共收录" if complete else f"收录{'和'.join(whose)}"
    return {
        "text": f"{name}{held}{MEASURES}{local}条。",
        "figures": {
            "province_measures": counted["province_measures"],
            "city_measures": counted["city_measures"],
            "cities": counted["cities"],
            "cities_in_province": len(cities),
        },
    }


def sentences(
    session: Session, province: str | None, start: dt.date | None, end: dt.date | None
) -> list[dict]:
    """The paragraph's sentences for `province` (None: the nation) over the range, each with
    the figures it used: the sessions held, then the measures of provinces and cities in
    force; none of either where there is none."""
    scope = figures.PublicityScope(start, end, province)
    counted = figures.publicity_figures(session, scope)["figures"]
    written = []
    if counted["sessions"]:
        written.append(_sessions(session, scope, counted))
    if counted["province_measures"] + counted["city_measures"]:
        if province is None:
            written.append(_national_measures(session, scope, counted))
        else:
            written.append(_province_measures(scope, counted))
    return written
