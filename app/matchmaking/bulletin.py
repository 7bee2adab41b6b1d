"""Matchmaking in the words of the Ministry's report: the sessions of the range in all, then
the one where most intents were reached, as "教育部举办重点领域人才校企供需对接会，来自能源动力、
装备制造等15个重点领域行业的35家企业，与北京大学、清华大学等25所高校现场对接，现场达成近百个合作意向。"."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.matchmaking.figures import MatchScope, held, match_figures
from app.matchmaking.models import CooperationIntent, KeyField, MatchmakingSession
from app.reference.data import PROVINCES
from app.reports.numbers import bulletin_number as n
from app.reports.numbers import nearly_number
from app.universities.models import University

# How many of a session's key fields and universities the sentence names before "等".
NAMED = 2


def _summary(subject: str, kept: dict, university: bool) -> str:
    if university:
        text = (
            f"{subject}参加校企供需对接活动{n(kept['sessions'])}场，与企业达成合作意向"
            f"{n(kept['intents'])}个"
        )
    else:
        text = (
            f"{subject}共举办校企供需对接活动{n(kept['sessions'])}场，"
            f"{n(kept['universities'])}所高校与{n(kept['employers'])}家企业参加，"
            f"达成合作意向{n(kept['intents'])}个"
        )
    signed = kept["signed"] + kept["landed"]
    if signed:
        text += f"，其中已签约{n(signed)}个"
        if kept["landed"]:
            text += f"、已落地{n(kept['landed'])}个"
    return text + "。"


def _named(names: list[str], count: int, measure: str) -> str:
    """ "北京大学、清华大学等25所", or the names alone when they are all."""
    shown = "、".join(names[:NAMED])
    return f"{shown}等{count}{measure}" if count > NAMED else shown


def _busiest(session: Session, scope: MatchScope) -> tuple[MatchmakingSession, int] | None:
    """The session of the scope where most intents were reached (the earlier on a tie)."""
    reached = func.count(CooperationIntent.id)
    query = (
        select(MatchmakingSession, reached)
        .join(CooperationIntent, CooperationIntent.session_id == MatchmakingSession.id)
        .group_by(MatchmakingSession.id)
        .order_by(reached.desc(), MatchmakingSession.held_on, MatchmakingSession.id)
        .limit(1)
    )
    return session.execute(held(query, scope)).first()


def _session_sentence(session: Session, meeting: MatchmakingSession, intents: int) -> dict:
    codes = [taking_part.university_code for taking_part in meeting.universities]
    universities = session.scalars(
        select(University.name).where(University.code.in_(codes)).order_by(University.code)
    ).all()
    field_codes = {e.field_code for e in meeting.employers if e.field_code}
    fields = session.scalars(
        select(KeyField.name).where(KeyField.code.in_(field_codes)).order_by(KeyField.position)
    ).all()
    employers = len(meeting.employers)
    source = ""
    if len(fields) > NAMED:
        source = f"来自{_named(list(fields), len(fields), '个重点领域行业')}的"
    elif fields:
        source = f"来自{'、'.join(fields)}领域的"
    text = (
        f"{meeting.organiser}举办{meeting.title}，{source}{n(employers)}家企业，"
        f"与{_named(list(universities), len(universities), '所高校')}现场对接，"
        f"现场达成{nearly_number(intents)}个合作意向。"
    )
    figures = {
        "session_id": meeting.id,
        "fields": len(fields),
        "employers": employers,
        "universities": len(universities),
        "intents": intents,
    }
    return {"text": text, "figures": figures}


def sentences(session: Session, scope: MatchScope, subject: str | None = None) -> list[dict]:
    """The paragraph's sentences for the scope, each with the figures it used; none where no
    session was held."""
    kept = match_figures(session, scope)["figures"]
    if not kept["sessions"]:
        return []
    if subject is None:
        subject = PROVINCES[scope.province] if scope.province else "全国"
    written = [
        {
            "text": _summary(subject, kept, scope.university is not None),
            "figures": {
                name: kept[name]
                for name in ("sessions", "universities", "employers", "intents", "signed", "landed")
            },
        }
    ]
    busiest = _busiest(session, scope)
    if busiest is not None and scope.university is None:
        written.append(_session_sentence(session, *busiest))
    return written
