import datetime as dt

from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.matchmaking import bulletin as matchmaking
from app.matchmaking.figures import matchmaking_scope
from app.policy import bulletin as policy
from app.publicity import bulletin as publicity
from app.reference.data import PROVINCES
from app.reports.numbers import bulletin_number as n
from app.stats.scope import Scope
from app.stats.service import count
from app.universities.models import University

# The figures the sentence uses, in the order it uses them.
BULLETIN_FIGURES = (
    "universities_visiting",
    "enterprises_visited",
    "positions_opened",
    "events",
    "employers_at_events",
    "postings",
    "attendances",
)


def _subject(session: Session, scope: Scope) -> str:
    if scope.university:
        return session.get(University, scope.university).name
    if scope.province:
        return PROVINCES[scope.province]
    return "全国"


def bulletin_text(subject: str, figures: dict[str, int]) -> str:
    f = {name: n(figures[name]) for name in BULLETIN_FIGURES}
    return (
        f"{subject}共有{f['universities_visiting']}所高校走访{f['enterprises_visited']}家企业，"
        f"新开拓岗位{f['positions_opened']}个；累计举办各类校园招聘活动{f['events']}场，"
        f"{f['employers_at_events']}家企业提供岗位信息{f['postings']}条，"
        f"{f['attendances']}人次毕业生现场参加。"
    )


def bulletin(session: Session, scope: Scope, campaign: Campaign | None = None) -> dict:
    figures = count(session, scope)[None]
    return {
        "text": bulletin_text(_subject(session, scope), figures),
        "from": scope.start,
        "to": scope.end,
        "filters": _filters(scope, campaign),
        "figures": figures,
        "written": {name: n(value) for name, value in figures.items()},
    }


def _filters(scope: Scope, campaign: Campaign | None) -> dict:
    return {"campaign": campaign.slug if campaign else None, **scope.filters()}


def sectioned_bulletin(
    session: Session, scope: Scope, campaign: Campaign | None, section: str
) -> dict:
    """The sentences of `section` ("supply", "policy", "matchmaking" or "all") that the
    records support.
    Policy positions are a province's or the nation's: a university's bulletin has none."""
    sentences = []
    if section in ("supply", "all"):
        figures = count(session, scope)[None]
        sentences.append(
            {
                "text": bulletin_text(_subject(session, scope), figures),
                "figures": {name: figures[name] for name in BULLETIN_FIGURES},
            }
        )
    if section in ("policy", "all") and scope.university is None:
        as_of = scope.end or dt.date.today()
        sentences += policy.sentences(session, scope.province, as_of)
        sentences += publicity.sentences(session, scope.province, scope.start, scope.end)
    if section in ("matchmaking", "all"):
        sentences += matchmaking.sentences(
            session, matchmaking_scope(scope), _subject(session, scope)
        )
    return {
        "section": section,
        "text": "".join(sentence["text"] for sentence in sentences),
        "from": scope.start,
        "to": scope.end,
        "filters": _filters(scope, campaign),
        "sentences": sentences,
    }
