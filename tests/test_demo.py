import datetime as dt
import os
import re
import subprocess
import sys

from sqlalchemy import func, select
from stdnum.cn import ric

from app.assistance import figures
from app.assistance.models import AssistanceService, AssistedGraduate, StatusChange
from app.demo.loader import demo_loaded, load_demo
from app.employers.models import Employer
from app.events.models import Event
from app.matchmaking.bulletin import sentences as matchmaking_sentences
from app.matchmaking.figures import matchmaking_scope
from app.policy.bulletin import sentences as policy_sentences
from app.privacy.cipher import get_cipher
from app.stats.scope import Scope
from app.vacancies.models import Vacancy
from app.visits.models import Visit
from tests import leaks

SPRINT_2023 = (dt.date(2023, 5, 1), dt.date(2023, 8, 31))
EXPECTED_COUNTS = {
    # 14 in the campaigns, and the matchmaking meeting's others.
    "universities": 31,
    "employers": 301,
    "campaigns": 2,
    "visits": 1080,
    "events": 108,
    "event_participants": 2409,
    "vacancies": 2700,
    "assisted_graduates": 400,
    "assistance_services": 3138,
    "policy_quotas": 126,
    "policy_measures": 1870,
    "publicity_sessions": 402,
    "cooperation_intents": 118,
}


def _count(session, model, *conditions) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_demo_loads_a_whole_campaign_through_the_services(session):
    assert not demo_loaded(session)
    assert load_demo(session) == EXPECTED_COUNTS
    assert demo_loaded(session)
    assert _count(session, Employer) == EXPECTED_COUNTS["employers"]
    assert _count(session, Visit, Visit.visit_date.between(*SPRINT_2023)) == 600
    assert _count(session, Event, Event.start_date.between(*SPRINT_2023)) == 60
    assert session.scalar(select(func.count(func.distinct(Employer.industry)))) == 20
    # The ledger of graduates in difficulty is checked here rather than in a test of its own,
    # so that the demo is loaded once for both.
    _check_the_ledger(session)


def _check_the_ledger(session) -> None:
    """The ledger of graduates in difficulty: as many as app/demo/data.py says, their numbers
    valid, kept encrypted and shown masked; Hunan's figures what the data intends."""
    per_cohort = session.execute(
        select(AssistedGraduate.cohort, func.count()).group_by(AssistedGraduate.cohort)
    ).all()
    assert dict(per_cohort) == {2022: 100, 2023: 300}
    services = session.execute(
        select(AssistedGraduate.cohort, func.count())
        .join(AssistanceService, AssistanceService.graduate_id == AssistedGraduate.id)
        .group_by(AssistedGraduate.cohort)
    ).all()
    assert dict(services) == {2022: 756, 2023: 2382}
    assert sum(dict(services).values()) == EXPECTED_COUNTS["assistance_services"]

    # Committed into the test's transaction, so that the scan for numbers in the clear after
    # the test (tests/leaks.py) sees the rows.
    session.commit()
    cipher = get_cipher()
    seen = set()
    for graduate in session.scalars(select(AssistedGraduate)):
        assert re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", graduate.id_number_masked)
        assert re.fullmatch(r"1[3-9]\d\*{4}\d{4}", graduate.phone_masked)
        # The full numbers are stored only encrypted: registered, the scan after the test fails
        # it if either is anywhere in the clear (a note, another column).
        id_number = leaks.register(cipher.decrypt(graduate.id_number_cipher))
        leaks.register(cipher.decrypt(graduate.phone_cipher))
        assert ric.is_valid(id_number)
        assert dt.date(2000, 1, 1) <= ric.get_birth_date(id_number) <= dt.date(2002, 12, 31)
        assert graduate.id_number_masked == id_number[:6] + "********" + id_number[-4:]
        assert (graduate.cohort, id_number) not in seen
        seen.add((graduate.cohort, id_number))

    # Entered as 未就业 in March; placed (or not) between May and October.
    first = (
        select(StatusChange.graduate_id, func.min(StatusChange.on).label("on"))
        .group_by(StatusChange.graduate_id)
        .subquery()
    )
    entered = session.execute(
        select(AssistedGraduate.cohort, StatusChange.status, first.c.on)
        .join(first, first.c.graduate_id == AssistedGraduate.id)
        .join(
            StatusChange,
            (StatusChange.graduate_id == first.c.graduate_id) & (StatusChange.on == first.c.on),
        )
    ).all()
    assert len(entered) == 400
    assert all(
        status == "unemployed" and (on.year, on.month) == (cohort, 3)
        for cohort, status, on in entered
    )
    changed = session.execute(
        select(AssistedGraduate.cohort, StatusChange.on)
        .join(StatusChange, StatusChange.graduate_id == AssistedGraduate.id)
        .where(StatusChange.status != "unemployed")
    ).all()
    assert all(dt.date(cohort, 5, 1) <= on <= dt.date(cohort, 10, 31) for cohort, on in changed)

    # Hunan's 2023 ledger: 湖南大学's 96 graduates (a 32% run of the cohort's outcomes), 4 of
    # them still 未就业 and 1 暂不就业; 4% short of the 1-2-3 standard; 35% trained by the 宏志助航
    # 计划, 24 学时 each.
    hunan = figures.Ledger(2023, province="43")
    assert figures.summary(session, hunan) == {
        "graduates": 96,
        "placed": 91,
        "placement_rate": 94.8,
        "served_to_standard": 92,
        "served_to_standard_share": 95.8,
        "below_standard": 4,
        "trained": 34,
        "training_hours": 816,
        "unemployed": 4,
    }
    leaving = dt.date(2023, 8, 31)
    assert figures.placed_as_of(session, hunan, leaving)["placed"] == 86
    follow_up = figures.left_unplaced(session, hunan, leaving)
    assert (follow_up["unplaced_on_leaving"], follow_up["placed_since"]) == (10, 5)
    assert follow_up["served_since"] == 10  # 不断线: everyone not placed is followed up
    # The cohorts whole: 90% placed on leaving in 2023 (84% in 2022), 95% (92%) by October.
    for cohort, on_leaving, by_october in ((2023, 270, 285), (2022, 84, 92)):
        ledger = figures.Ledger(cohort)
        assert figures.placed_as_of(session, ledger, dt.date(cohort, 8, 31))["placed"] == on_leaving
        assert figures.summary(session, ledger)["placed"] == by_october


def test_demo_is_visible_through_the_api(session, client):
    load_demo(session)
    session.commit()
    campaign = client.get("/api/v1/campaigns/2023-sprint").json()
    assert campaign["previous"] == "2022-sprint"
    visits = client.get("/api/v1/visits", params={"from": "2023-05-01", "to": "2023-08-31"})
    assert visits.json()["total"] == 600
    assert _count(session, Vacancy) == EXPECTED_COUNTS["vacancies"]


def test_cli_demo_loads_once_into_a_fresh_sqlite_file(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    command = [sys.executable, "-c", "from app.cli import main; main()", "demo"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "2700 vacancies" in first.stdout.replace("\n", " ")
    second = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "loaded already" in second.stdout


def test_demo_figures_are_counted_once_loaded(session):
    from app.stats import cells, queries

    load_demo(session)
    session.flush()
    for scope in (Scope(*SPRINT_2023), Scope(*SPRINT_2023, province="11", industry="C")):
        assert cells.count_figures(session, scope) == queries.count_figures(session, scope)


def test_the_demo_gives_the_reports_tianjin_and_matchmaking_meeting_word_for_word(session):
    load_demo(session)
    sentences = policy_sentences(session, "12", dt.date(2023, 8, 31))
    assert sentences[0]["text"] == "天津市面向毕业生提供1.68万个政策性岗位，较去年增长10.3%。"
    assert sentences[-1]["text"].startswith("截至8月31日，已录用")
    fujian = policy_sentences(session, "35", dt.date(2023, 8, 31))[1]["text"]
    assert "福建省城乡基层就业岗位募集3000个" in fujian
    # In the same load, the report's matchmaking meeting.
    meeting = matchmaking_sentences(session, matchmaking_scope(Scope(*SPRINT_2023)))[1]
    assert meeting["text"] == (
        "教育部举办重点领域人才校企供需对接会，来自能源动力、装备制造等15个重点领域行业的35家企业，"
        "与北京大学、清华大学等25所高校现场对接，现场达成近百个合作意向。"
    )
    assert meeting["figures"]["intents"] == 98
