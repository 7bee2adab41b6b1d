"""The synthetic national campaign: at scale s, the 2023 figures are the report's, times s."""

import datetime as dt

import pytest
from sqlalchemy import text

from app.assistance import kept
from app.assistance.bulletin import bulletin_text as ledger_bulletin_text
from app.assistance.figures import Ledger
from app.assistance.figures import summary as summary_of_ledger
from app.assistance.national import generate_ledger
from app.demo.national import (
    BULK_TABLES,
    PREVIOUS_SLUG,
    SLUG,
    TARGETS_2023,
    NationalCampaign,
    scaled,
)
from app.matchmaking.bulletin import sentences as matchmaking_sentences
from app.matchmaking.figures import matchmaking_scope
from app.policy.bulletin import sentences as policy_sentences
from app.publicity.bulletin import sentences as publicity_sentences
from app.reports.service import bulletin, bulletin_text
from app.stats.scope import Scope
from app.stats.service import summary
from app.universities.models import University

SCALE = 0.001
SPRINT_2023 = Scope(dt.date(2023, 5, 1), dt.date(2023, 8, 31))
BULLETIN_FIGURES = {
    "universities_visiting": 2_612,
    "enterprises_visited": 236_412,
    "positions_opened": 2_903_117,
    "events": 64_000,
    "employers_at_events": 790_318,
    "postings": 12_304_517,
    "attendances": 10_745_000,
}


@pytest.fixture
def national(session):
    return NationalCampaign(session, SCALE, progress=lambda _: None).generate()


def test_the_2023_figures_are_the_reports_scaled(session, national):
    figures = summary(session, SPRINT_2023)["figures"]
    for name, full_scale in BULLETIN_FIGURES.items():
        assert figures[name] == scaled(full_scale, SCALE), name
    assert figures["visits"] == scaled(TARGETS_2023["visits"], SCALE)


def test_the_bulletin_reads_the_scaled_figures(session, national):
    expected = {name: scaled(value, SCALE) for name, value in BULLETIN_FIGURES.items()}
    assert bulletin(session, SPRINT_2023)["text"] == bulletin_text("全国", expected)


def test_at_full_scale_those_figures_make_the_reports_sentence():
    assert bulletin_text("全国", BULLETIN_FIGURES) == (
        "全国共有2600多所高校走访23.6万余家企业，新开拓岗位290万余个；累计举办各类校园招聘活动6.4万场，"
        "79万余家企业提供岗位信息1230万余条，1074万余人次毕业生现场参加。"
    )


def test_2022_is_the_previous_campaign_and_smaller(session, client, national):
    campaign = client.get(f"/api/v1/campaigns/{SLUG}").json()
    assert campaign["previous"] == PREVIOUS_SLUG
    answer = client.get("/api/v1/stats/summary", params={"campaign": SLUG, "compare": "previous"})
    figures, before = answer.json()["figures"], answer.json()["previous"]["figures"]
    assert before["events"] == scaled(TARGETS_2023["events"], SCALE * 0.85)
    assert before["postings"] < figures["postings"]


def test_the_same_scale_gives_the_same_records(session, national):
    assert national == {
        "visits": 588,
        "events": 118,
        "event_participants": 3603,
        "vacancies": 22764,
        "assisted_graduates": 1140,
        "assistance_services": 8678,
        "policy_quotas": 126,
        "policy_measures": 1870,
        "publicity_sessions": 402,
        "matchmaking_sessions": 8,
        "cooperation_intents": 146,
    }


def _structure(session) -> set[tuple]:
    """The bulk-loaded tables' indexes and constraints, as PostgreSQL defines them."""
    names = {"tables": [table.name for table in BULK_TABLES]}
    indexes = session.execute(
        text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:tables)"), names
    )
    constraints = session.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid::regclass::text = ANY(:tables)"
        ),
        names,
    )
    return {tuple(row) for row in (*indexes, *constraints)}


def test_into_a_fresh_database_the_big_tables_are_indexed_once_loaded_as_migrated(session):
    """On PostgreSQL, their indexes and foreign keys are built after the load, as pg_restore
    does; afterwards the tables are as the migrations made them."""
    if session.connection().dialect.name != "postgresql":
        pytest.skip("SQLite keeps its indexes row by row")
    structure, told = _structure(session), []
    NationalCampaign(session, SCALE, progress=told.append).generate()
    [built] = [line for line in told if line.startswith("indexes of")]
    assert all(table.name in built for table in BULK_TABLES), built
    assert _structure(session) == structure
    assert len(structure) > 2 * len(BULK_TABLES)  # keys and indexes, not an empty comparison


def test_the_ledger_of_graduates_in_difficulty_is_the_reports_scaled(session, national):
    """600 of the 2023 cohort (and 540 of 2022) at this scale; 94 of them trained, as the
    report's 9.4万 (and Hunan's 4.4万 where the scale gives Hunan universities:
    test_hunans_ledger_is_the_reports)."""
    cohort = summary_of_ledger(session, Ledger(2023))
    assert (cohort["graduates"], cohort["trained"]) == (600, 94)
    assert summary_of_ledger(session, Ledger(2022))["graduates"] == 540
    kept_before = summary_of_ledger(session, Ledger(2023))
    kept.recount(session)
    assert summary_of_ledger(session, Ledger(2023)) == kept_before


def test_hunans_ledger_is_the_reports(session):
    universities = [("4143000001", "43"), ("4143000002", "43"), ("4111000001", "11")]
    for code, province in universities:
        session.add(University(code=code, name=f"大学{code}", province=province))
    session.flush()
    generate_ledger(session, universities, 0.01, progress=lambda _: None)
    hunan = summary_of_ledger(session, Ledger(2023, "43"))
    assert hunan["graduates"] == 440
    assert summary_of_ledger(session, Ledger(2023))["trained"] == 940
    written = ledger_bulletin_text("湖南省", 2023, "“一次单独咨询、两次简历修改、三次就业推荐”服务", {
        **hunan, "graduates": 44_000, "trained": 94_000})  # fmt: skip
    assert written.startswith("湖南省全面掌握2023届4.4万名困难毕业生就业需求")
    assert written.endswith("面向9.4万名2023届困难毕业生开展就业培训。")


def test_the_generated_campaign_has_tianjins_policy_positions(session, national):
    first = policy_sentences(session, "12", dt.date(2023, 8, 31))[0]["text"]
    assert first == "天津市面向毕业生提供1.68万个政策性岗位，较去年增长10.3%。"


def test_the_generated_campaign_has_the_reports_policy_publicity_at_any_scale(session, national):
    written = publicity_sentences(session, None, SPRINT_2023.start, SPRINT_2023.end)
    assert [sentence["text"] for sentence in written] == [
        "部署全国普通高校毕业生就业创业指导委员会和19个行业就指委进园区、进企业、进高校、进社区，"
        "共计宣讲政策400余次。",
        "汇集发布各省及100余个地市级单位高校毕业生就业创业政策措施1866条。",
    ]


def test_the_generated_campaign_has_the_reports_matchmaking_meeting(session, national):
    written = matchmaking_sentences(session, matchmaking_scope(SPRINT_2023))
    assert written[1]["text"] == (
        "教育部举办重点领域人才校企供需对接会，来自能源动力、装备制造等15个重点领域行业的35家企业，"
        "与北京大学、清华大学等25所高校现场对接，现场达成近百个合作意向。"
    )
    # Universities' own sessions besides, two for each visiting university at scale 1.0.
    assert written[0]["figures"]["sessions"] == 3 + scaled(5_200, SCALE)
