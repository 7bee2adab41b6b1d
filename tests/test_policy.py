"""Policy positions (政策性岗位): programmes, quotas, the recruitment's progress, their figures
and the report's sentence ("天津市……面向毕业生提供1.68万个政策性岗位，较去年增长10.3%")."""

import datetime as dt

import pytest
from sqlalchemy import select

from app.auth.principal import Reach
from app.policy import figures, service
from app.policy.models import RecruitmentProgress
from app.policy.schemas import ProgressCreate, QuotaCreate
from app.reports.numbers import planned_number
from tests import factories as f

PROGRAMS = "/api/v1/policy-programs"
QUOTAS = "/api/v1/policy-quotas"
FIGURES = "/api/v1/stats/policy-positions"
BULLETIN = "/api/v1/reports/bulletin"
TIANJIN_2023 = {"special_post_teacher": 4200, "three_supports": 5100, "western_volunteer": 2300,
                "community": 3800, "rural_doctor": 1400}  # fmt: skip
TIANJIN_2022 = {"special_post_teacher": 3900, "three_supports": 4731, "western_volunteer": 2100,
                "community": 3500, "rural_doctor": 1000}  # fmt: skip


def quota(program: str = "three_supports", province: str | None = "12", year: int = 2023,
          positions: int = 100) -> dict:  # fmt: skip
    body = {"program": program, "year": year, "positions": positions}
    return body if province is None else {**body, "province": province}


def progress(stage: str, as_of: str, people: int) -> dict:
    return {"stage": stage, "as_of": as_of, "people": people}


def tianjin(client) -> dict[str, int]:
    """Tianjin's quotas of 2022 (15,231) and 2023 (16,800); {program: id} of 2023's."""
    ids = {}
    for year, quotas in ((2022, TIANJIN_2022), (2023, TIANJIN_2023)):
        for program, positions in quotas.items():
            made = f.created(client.post(QUOTAS, json=quota(program, "12", year, positions)))
            ids[program] = made["id"]
    return ids


# --- programmes ---------------------------------------------------------------------------


def test_the_national_programmes_ship_with_their_ministries(client):
    programs = client.get(PROGRAMS).json()
    assert [(p["code"], p["name"], p["province"]) for p in programs] == [
        ("special_post_teacher", "特岗计划", None),
        ("three_supports", "三支一扶", None),
        ("western_volunteer", "西部计划", None),
        ("community", "城乡社区专项计划", None),
        ("rural_doctor", "大学生乡村医生专项计划", None),
    ]
    assert programs[1]["ministry"] == "人力资源社会保障部"


def test_a_province_adds_its_own_programme_seen_by_it_and_the_ministry(anonymous, bearer, client):
    fujian, tianjin_department = (
        bearer("province", province="35"),
        bearer("province", province="12"),
    )
    body = {"code": "fj_grassroots", "name": "城乡基层就业岗位募集", "ministry": "福建省人社厅"}
    made = f.created(anonymous.post(PROGRAMS, json=body, headers=fujian))
    assert made == {**body, "province": "35"}
    f.assert_problem(anonymous.post(PROGRAMS, json=body, headers=fujian), 409, "code")
    other = {**body, "province": "12"}
    f.assert_problem(anonymous.post(PROGRAMS, json=other, headers=fujian), 403, "province")
    assert "fj_grassroots" in [p["code"] for p in anonymous.get(PROGRAMS, headers=fujian).json()]
    seen_by_tianjin = anonymous.get(PROGRAMS, headers=tianjin_department).json()
    assert "fj_grassroots" not in [p["code"] for p in seen_by_tianjin]
    assert [p["code"] for p in client.get(PROGRAMS).json()][-1] == "fj_grassroots"
    reader = bearer("reader")
    assert anonymous.post(PROGRAMS, json=body, headers=reader).status_code == 403


# --- quotas and who writes them ---------------------------------------------------------


def test_a_quota_is_created_read_changed_and_deleted(client):
    made = f.created(client.post(QUOTAS, json=quota(positions=5100)))
    assert made == {
        "id": made["id"],
        "program": "three_supports",
        "program_name": "三支一扶",
        "province": "12",
        "year": 2023,
        "positions": 5100,
        "progress": [],
    }
    read = client.get(f"{QUOTAS}/{made['id']}")
    assert read.json() == made
    tag = read.headers["ETag"]
    changed = client.patch(
        f"{QUOTAS}/{made['id']}", json={"positions": 5200}, headers={"If-Match": tag}
    )
    assert changed.status_code == 200 and changed.json()["positions"] == 5200
    stale = client.patch(f"{QUOTAS}/{made['id']}", json={"positions": 1}, headers={"If-Match": tag})
    f.assert_problem(stale, 412)
    f.assert_problem(client.patch(f"{QUOTAS}/{made['id']}", json={"year": 2024}), 422, "year")
    assert client.delete(f"{QUOTAS}/{made['id']}").status_code == 204
    f.assert_problem(client.get(f"{QUOTAS}/{made['id']}"), 404)


def test_one_quota_per_programme_province_and_year(client):
    made = f.created(client.post(QUOTAS, json=quota()))
    again = f.assert_problem(client.post(QUOTAS, json=quota(positions=7)), 409, "program")
    assert again["existing"] == f"{QUOTAS}/{made['id']}"
    f.created(client.post(QUOTAS, json=quota(year=2022)))
    f.created(client.post(QUOTAS, json=quota(province="11")))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (quota(program="no_such"), "program"),
        (quota(province=None), "province"),
        (quota(province="99"), "province"),
        (quota(year=1999), "year"),
        (quota(positions=-1), "positions"),
        ({**quota(), "headcount": 3}, "headcount"),
    ],
)
def test_a_bad_quota_is_refused_naming_the_field(client, body, field):
    f.assert_problem(client.post(QUOTAS, json=body), 422, field)


def test_the_ministry_writes_national_quotas_and_a_province_its_own(anonymous, bearer, client):
    fujian = bearer("province", province="35")
    refused = anonymous.post(QUOTAS, json=quota(province=None), headers=fujian)
    f.assert_problem(refused, 403, "program")
    own = {"code": "fj_grassroots", "name": "城乡基层就业岗位募集", "ministry": "福建省人社厅"}
    f.created(anonymous.post(PROGRAMS, json=own, headers=fujian))
    made = f.created(
        anonymous.post(QUOTAS, json=quota("fj_grassroots", None, positions=3000), headers=fujian)
    )
    assert made["province"] == "35"
    elsewhere = quota("fj_grassroots", "12")
    f.assert_problem(client.post(QUOTAS, json=elsewhere), 422, "program")
    f.assert_problem(anonymous.post(QUOTAS, json=elsewhere, headers=fujian), 403, "province")
    reader = bearer("reader")
    assert anonymous.post(QUOTAS, json=quota(), headers=reader).status_code == 403


def test_quotas_are_read_within_reach_and_filtered(anonymous, bearer, client):
    tianjin(client)
    f.created(client.post(QUOTAS, json=quota(province="44", positions=9000)))
    assert f.total(client, QUOTAS) == 11
    assert f.total(client, QUOTAS, year=2023) == 6
    assert f.total(client, QUOTAS, province="天津", year=2022) == 5
    assert f.total(client, QUOTAS, program="three_supports") == 3
    guangdong = bearer("province", province="44")
    listed = anonymous.get(QUOTAS, headers=guangdong).json()
    assert [q["province"] for q in listed["items"]] == ["44"]
    tianjin_quota = client.get(QUOTAS, params={"province": "12"}).json()["items"][0]["id"]
    f.assert_problem(anonymous.get(f"{QUOTAS}/{tianjin_quota}", headers=guangdong), 404)


# --- progress -------------------------------------------------------------------------------


def test_a_province_records_the_progress_of_every_quota_in_it(anonymous, bearer, client):
    made = f.created(client.post(QUOTAS, json=quota(positions=5100)))
    url = f"{QUOTAS}/{made['id']}/progress"
    tianjin_department = bearer("province", province="12")
    first = f.created(
        anonymous.post(
            url, json=progress("applied", "2023-06-01", 20400), headers=tianjin_department
        )
    )
    assert first == {"id": first["id"], "stage": "applied", "as_of": "2023-06-01", "people": 20400}
    twice = anonymous.post(
        url, json=progress("applied", "2023-06-01", 1), headers=tianjin_department
    )
    f.assert_problem(twice, 409, "as_of")
    f.assert_problem(client.post(url, json=progress("hired", "2023-06-01", 1)), 422, "stage")
    guangdong = bearer("province", province="44")
    elsewhere = anonymous.post(url, json=progress("applied", "2023-06-02", 1), headers=guangdong)
    f.assert_problem(elsewhere, 404)
    f.created(client.post(url, json=progress("admitted", "2023-07-01", 4800)))
    shown = client.get(f"{QUOTAS}/{made['id']}").json()["progress"]
    assert [(p["stage"], p["people"]) for p in shown] == [("applied", 20400), ("admitted", 4800)]
    gone = client.delete(f"{url}/{first['id']}")
    assert gone.status_code == 204
    f.assert_problem(client.delete(f"{url}/{first['id']}"), 404)
    assert len(client.get(f"{QUOTAS}/{made['id']}").json()["progress"]) == 1


def test_deleting_a_quota_deletes_its_progress(client, session):
    made = f.created(client.post(QUOTAS, json=quota()))
    f.created(
        client.post(
            f"{QUOTAS}/{made['id']}/progress", json=progress("announced", "2023-05-01", 100)
        )
    )
    assert client.delete(f"{QUOTAS}/{made['id']}").status_code == 204
    assert session.scalars(select(RecruitmentProgress)).all() == []


# --- figures ----------------------------------------------------------------------------------


def test_the_figures_take_each_quotas_latest_count_by_the_day(client):
    ids = tianjin(client)
    for program, stage, day, people in [
        ("three_supports", "admitted", "2023-06-30", 3000),
        ("three_supports", "admitted", "2023-07-31", 4500),
        ("three_supports", "admitted", "2023-09-01", 5100),
        ("community", "admitted", "2023-07-15", 2000),
        ("community", "on_duty", "2023-08-01", 1500),
    ]:
        url = f"{QUOTAS}/{ids[program]}/progress"
        f.created(client.post(url, json=progress(stage, day, people)))
    answer = client.get(FIGURES, params={"year": 2023, "as_of": "2023-08-31", "province": "12"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["figures"] == {
        "offered": 16800,
        "offered_last_year": 15231,
        "change_percent": 10.3,
        "announced": 0,
        "applied": 0,
        "filled": 6500,
        "on_duty": 1500,
        "fill_rate": 38.7,
    }
    by_program = client.get(FIGURES, params={"year": 2023, "as_of": "2023-08-31", "by": "program"})
    rows = {row["key"]: row for row in by_program.json()["rows"]}
    assert list(rows) == list(TIANJIN_2023)
    assert rows["three_supports"]["label"] == "三支一扶"
    assert (rows["three_supports"]["filled"], rows["three_supports"]["fill_rate"]) == (4500, 88.2)
    assert rows["rural_doctor"]["change_percent"] == 40.0
    early = client.get(FIGURES, params={"year": 2023, "as_of": "2023-06-30"}).json()["figures"]
    assert early["filled"] == 3000


def test_a_provinces_token_gets_its_own_figures_whatever_it_asks(anonymous, bearer, client):
    tianjin(client)
    f.created(client.post(QUOTAS, json=quota(province="44", positions=9000)))
    guangdong = bearer("province", province="44")
    asked = anonymous.get(FIGURES, params={"year": 2023, "province": "12"}, headers=guangdong)
    assert asked.json()["filters"]["province"] == "44"
    assert asked.json()["figures"]["offered"] == 9000
    by_province = client.get(FIGURES, params={"year": 2023, "by": "province"}).json()["rows"]
    assert [(r["key"], r["label"], r["offered"]) for r in by_province] == [
        ("12", "天津市", 16800),
        ("44", "广东省", 9000),
    ]


def test_a_year_to_come_is_counted_from_its_first_day(client):
    next_year = dt.date.today().year + 1
    f.created(client.post(QUOTAS, json=quota(year=next_year, positions=700)))
    body = client.get(FIGURES, params={"year": next_year}).json()
    assert (body["as_of"], body["figures"]["offered"]) == (f"{next_year}-01-01", 700)


def test_the_figures_refuse_a_day_of_another_year(client):
    asked = client.get(FIGURES, params={"year": 2023, "as_of": "2024-01-01"})
    f.assert_problem(asked, 422, "as_of")
    f.assert_problem(client.get(FIGURES), 422, "year")


def test_the_service_counts_without_http(session):
    made = service.create_quota(
        session, QuotaCreate(program="community", province="12", year=2023, positions=800), None
    )
    service.add_progress(
        session,
        made.id,
        ProgressCreate(stage="admitted", as_of=dt.date(2023, 7, 1), people=200),
        None,
    )
    scope = figures.scope_for(Reach(), 2023, dt.date(2023, 12, 31))
    kept = figures.position_figures(session, scope)["figures"]
    assert (kept["offered"], kept["filled"], kept["fill_rate"], kept["change_percent"]) == (
        800,
        200,
        25.0,
        None,
    )


# --- the report's sentence ----------------------------------------------------------------------


def test_planned_figures_are_written_exactly_when_whole_hundreds():
    assert planned_number(16_800) == "1.68万"
    assert planned_number(64_000) == "6.4万"
    assert planned_number(16_850) == "1.6万余"
    assert planned_number(2_600) == "2600"
    assert planned_number(2_612) == "2600多"
    assert planned_number(2_903_117) == "290万余"


def test_tianjins_policy_positions_word_for_word(client):
    tianjin(client)
    asked = {"from": "2023-05-01", "to": "2023-08-31", "province": "12", "section": "policy"}
    body = client.get(BULLETIN, params=asked).json()
    assert body["section"] == "policy"
    first = body["sentences"][0]
    assert first["text"] == "天津市面向毕业生提供1.68万个政策性岗位，较去年增长10.3%。"
    assert first["figures"] == {
        "offered": 16800,
        "offered_last_year": 15231,
        "change_percent": 10.3,
    }
    assert body["sentences"][1]["text"] == (
        "其中，特岗计划4200个，三支一扶5100个，西部计划2300个，城乡社区专项计划3800个，"
        "大学生乡村医生专项计划1400个。"
    )
    assert body["text"] == "".join(sentence["text"] for sentence in body["sentences"])


def test_the_fill_is_written_once_someone_is_admitted(client):
    ids = tianjin(client)
    url = f"{QUOTAS}/{ids['three_supports']}/progress"
    f.created(client.post(url, json=progress("admitted", "2023-08-20", 4321)))
    asked = {"to": "2023-08-31", "province": "12", "section": "policy"}
    last = client.get(BULLETIN, params=asked).json()["sentences"][-1]
    assert last == {
        "text": "截至8月31日，已录用4300多人，招录完成率25.7%。",
        "figures": {"filled": 4321, "fill_rate": 25.7},
    }


def test_all_sections_put_the_campaigns_sentence_first(client):
    tianjin(client)
    asked = {"from": "2023-05-01", "to": "2023-08-31", "section": "all"}
    sentences = client.get(BULLETIN, params=asked).json()["sentences"]
    assert sentences[0]["text"].startswith("全国共有0所高校走访0家企业")
    assert sentences[1]["text"] == "全国面向毕业生提供1.68万个政策性岗位，较去年增长10.3%。"
    plain = client.get(BULLETIN, params={"from": "2023-05-01", "to": "2023-08-31"}).json()
    assert "sentences" not in plain and plain["text"] == sentences[0]["text"]


def test_no_quota_no_policy_sentence_and_none_for_a_university(anonymous, bearer, client):
    asked = {"to": "2023-08-31", "section": "policy"}
    assert client.get(BULLETIN, params=asked).json()["sentences"] == []
    tianjin(client)
    f.created(
        client.post("/api/v1/universities", json=f.university("4112010056", "天津大学", "12"))
    )
    tju = bearer("university", university_code="4112010056")
    assert anonymous.get(BULLETIN, params=asked, headers=tju).json()["sentences"] == []


def test_a_kept_bulletin_changes_with_the_next_quota(client):
    ids = tianjin(client)
    asked = {"to": "2023-08-31", "province": "12", "section": "policy"}
    before = client.get(BULLETIN, params=asked).json()["sentences"][0]["text"]
    client.patch(f"{QUOTAS}/{ids['community']}", json={"positions": 4600})
    after = client.get(BULLETIN, params=asked).json()["sentences"][0]["text"]
    assert (before, after) == (
        "天津市面向毕业生提供1.68万个政策性岗位，较去年增长10.3%。",
        "天津市面向毕业生提供1.76万个政策性岗位，较去年增长15.6%。",
    )
