"""The ledgers' figures in the words of the Ministry's report: "湖南省全面掌握2023届4.4万名困难
毕业生就业需求，落实每位困难学生'一次单独咨询、两次简历修改、三次就业推荐'服务机制", "面向9.4万名
2023届毕业生开展线下培训", with SPEC's number rules (floored; 余, 多)."""

from sqlalchemy.orm import Session

from app.assistance import figures, standards
from app.assistance.figures import Ledger
from app.reference.data import PROVINCES
from app.reports.numbers import bulletin_number as n
from app.universities.models import University

_TIMES = "一两三四五六七八九十"


def standard_phrase(minimums: standards.Minimums) -> str:
    """{consultation: 1, resume: 2, referral: 3} -> 一次单独咨询、两次简历修改、三次就业推荐."""
    return "、".join(
        f"{_TIMES[least - 1] if least <= 10 else least}次{kind.label}"
        for kind, least in minimums.items()
    )


def _subject(session: Session, ledger: Ledger) -> str:
    if ledger.university:
        university = session.get(University, ledger.university)
        return university.name if university else ledger.university
    return PROVINCES[ledger.province] if ledger.province else "各地各高校"


def bulletin(session: Session, ledger: Ledger) -> dict:
    kept = figures.summary(session, ledger)
    subject = _subject(session, ledger)
    if ledger.province:
        minimums, _ = standards.standard_for(session, ledger.province)
        rule = f"“{standard_phrase(minimums)}”服务"
    else:
        rule = "各省规定的帮扶服务"
    return {
        "cohort": ledger.cohort,
        "filters": {"province": ledger.province, "university": ledger.university},
        "text": bulletin_text(subject, ledger.cohort, rule, kept),
        "figures": kept,
    }


def bulletin_text(subject: str, cohort: int, rule: str, kept: dict) -> str:
    return (
        f"{subject}全面掌握{cohort}届{n(kept['graduates'])}名困难毕业生就业需求，"
        f"{n(kept['served_to_standard'])}名已获得{rule}，"
        f"{n(kept['placed'])}名已落实毕业去向；"
        f"面向{n(kept['trained'])}名{cohort}届困难毕业生开展就业培训。"
    )
