import datetime as dt
import os
import subprocess
import sys

from sqlalchemy import func, select

from app.demo.loader import demo_loaded, load_demo
from app.employers.models import Employer
from app.events.models import Event
from app.vacancies.models import Vacancy
from app.visits.models import Visit

SPRINT_2023 = (dt.date(2023, 5, 1), dt.date(2023, 8, 31))
EXPECTED_COUNTS = {
    "universities": 14,
    "employers": 301,
    "campaigns": 2,
    "visits": 1080,
    "events": 108,
    "event_participants": 2409,
    "vacancies": 2700,
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
    from app.stats.scope import Scope

    load_demo(session)
    session.flush()
    for scope in (Scope(*SPRINT_2023), Scope(*SPRINT_2023, province="11", industry="C")):
        assert cells.count_figures(session, scope) == queries.count_figures(session, scope)
