"""School–enterprise matchmaking (校企供需对接): sessions and who took part, cooperation intents
and their follow-up, the figures, and the report's sentence ("……35家企业，与北京大学、清华大学等
25所高校现场对接，现场达成近百个合作意向")."""

import datetime as dt

import pytest
from sqlalchemy import or_, select

from app.audit.models import AuditEntry
from app.auth.principal import Reach
from app.core.filters import DateRange
from app.matchmaking import figures
from app.reports.numbers import nearly_number
from tests import factories as f

FIELDS = "/api/v1/matchmaking-fields"
SESSIONS = "/api/v1/matchmaking-sessions"
INTENTS = "/api/v1/cooperation-intents"
FIGURES = "/api/v1/stats/matchmaking"
BULLETIN = "/api/v1/reports/bulletin"
THU, TJU, SDU = "4111010003", "4112010056", "4137010422"  # 清华大学, 天津大学, 山东大学
SUMMER = {"from": "2023-05-01", "to": "2023-08-31"}


@pytest.fixture
def registered(client) -> dict[str, str]:
    """北京大学, 清华大学 (Beijing), 天津大学 (Tianjin), 山东大学 (Shandong) and four employers:
    {name: uscc}."""
    for code, name, province in [
        (f.PKU, "北京大学", "11"),
        (THU, "清华大学", "11"),
        (TJU, "天津大学", "12"),
        (SDU, "山东大学", "37"),
    ]:
        f.created(client.post("/api/v1/universities", json=f.university(code, name, province)))
    employers = {}
    for name in ["grid", "rail", "chips", "pharma"]:
        uscc = f.make_uscc(province="11")
        f.created(client.post("/api/v1/employers", json=f.employer(uscc)))
        employers[name] = uscc
    return employers


def meeting(registered: dict[str, str], **extra) -> dict:
    """The Ministry's meeting: PKU and THU, three employers in two fields."""
    return {
        "title": "重点领域人才校企供需对接会",
        "format": "supply_demand",
        "held_on": "2023-06-28",
        "organiser": "教育部",
        "universities": [f.PKU, THU],
        "employers": [
            {"uscc": registered["grid"], "field": "energy_power"},
            {"uscc": registered["rail"], "field": "equipment_manufacturing"},
            {"uscc": registered["chips"], "field": "integrated_circuits"},
        ],
        **extra,
    }


def intent(session_id: int, university: str | None, employer: str, kind: str, **extra) -> dict:
    body = {"session_id": session_id, "employer_uscc": employer, "type": kind, **extra}
    return body if university is None else {**body, "university_code": university}


def step(status: str, as_of: str) -> dict:
    return {"status": status, "as_of": as_of}


# --- key fields and sessions --------------------------------------------------------------


def test_the_fifteen_key_fields_ship(client):
    fields = client.get(FIELDS).json()
    assert len(fields) == 15
    assert [field["name"] for field in fields[:2]] == ["能源动力", "装备制造"]


def test_a_session_is_created_read_changed_and_deleted(client, registered):
    made = f.created(client.post(SESSIONS, json=meeting(registered)))
    assert made == {
        "id": made["id"],
        "title": "重点领域人才校企供需对接会",
        "format": "supply_demand",
        "held_on": "2023-06-28",
        "organiser": "教育部",
        "province": None,
        "university_code": None,
        "universities": [f.PKU, THU],
        "employers": sorted(
            [
                {"uscc": registered["grid"], "field": "energy_power"},
                {"uscc": registered["rail"], "field": "equipment_manufacturing"},
                {"uscc": registered["chips"], "field": "integrated_circuits"},
            ],
            key=lambda employer: employer["uscc"],
        ),
    }
    url = f"{SESSIONS}/{made['id']}"
    read = client.get(url)
    assert read.json() == made
    change = {"universities": [f.PKU, TJU], "employers": [{"uscc": registered["pharma"]}]}
    changed = client.patch(url, json=change, headers={"If-Match": read.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.json()["universities"] == [f.PKU, TJU]
    assert changed.json()["employers"] == [{"uscc": registered["pharma"], "field": None}]
    stale = client.patch(url, json={"title": "x"}, headers={"If-Match": read.headers["ETag"]})
    f.assert_problem(stale, 412)
    assert client.delete(url).status_code == 204
    f.assert_problem(client.get(url), 404)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"universities": [f.UNKNOWN_UNIVERSITY]}, "universities[0]"),
        ({"universities": [f.PKU, f.PKU]}, "universities"),
        ({"employers": [{"uscc": f.make_uscc(province="44")}]}, "employers[0].uscc"),
        ({"employers": [{"uscc": f.with_wrong_check_digit(f.make_uscc())}]}, "employers[0].uscc"),
        ({"format": "banquet"}, "format"),
        ({"held_on": "2023-02-30"}, "held_on"),
        ({"title": ""}, "title"),
    ],
)
def test_a_bad_session_is_refused_naming_the_field(client, registered, change, field):
    f.assert_problem(client.post(SESSIONS, json=meeting(registered) | change), 422, field)


def test_an_unknown_key_field_is_refused_naming_it(client, registered):
    body = meeting(registered, employers=[{"uscc": registered["grid"], "field": "alchemy"}])
    f.assert_problem(client.post(SESSIONS, json=body), 422, "employers[0].field")


def test_who_holds_and_changes_which_sessions(anonymous, bearer, client, registered):
    shandong, tianjin = bearer("province", province="37"), bearer("province", province="12")
    tju = bearer("university", university_code=TJU)
    ministry = f.created(client.post(SESSIONS, json=meeting(registered)))
    four_party = meeting(registered, format="four_party", organiser="山东省教育厅")
    own = f.created(anonymous.post(SESSIONS, json=four_party, headers=shandong))
    assert (own["province"], own["university_code"]) == ("37", None)
    elsewhere = four_party | {"province": "12"}
    f.assert_problem(anonymous.post(SESSIONS, json=elsewhere, headers=shandong), 403, "province")
    tju_own = f.created(anonymous.post(SESSIONS, json=meeting(registered), headers=tju))
    assert (tju_own["province"], tju_own["university_code"]) == ("12", TJU)
    for session_id, token in [(ministry["id"], shandong), (own["id"], tianjin)]:
        refused = anonymous.patch(f"{SESSIONS}/{session_id}", json={"title": "x"}, headers=token)
        assert refused.status_code in (403, 404)
    f.assert_problem(
        anonymous.patch(f"{SESSIONS}/{ministry['id']}", json={"title": "x"}, headers=tju), 403
    )
    renamed = anonymous.patch(
        f"{SESSIONS}/{tju_own['id']}", json={"title": "天大专场"}, headers=tianjin
    )
    assert renamed.status_code == 200 and renamed.json()["title"] == "天大专场"
    assert (
        anonymous.post(SESSIONS, json=meeting(registered), headers=bearer("reader")).status_code
        == 403
    )


def test_sessions_are_read_within_reach(anonymous, bearer, client, registered):
    ministry = f.created(client.post(SESSIONS, json=meeting(registered)))
    shandong_body = meeting(registered, province="37", universities=[SDU], held_on="2023-06-09")
    shandong = f.created(client.post(SESSIONS, json=shandong_body))
    tianjin_body = meeting(registered, province="12", universities=[f.PKU], held_on="2023-05-20")
    tianjin = f.created(client.post(SESSIONS, json=tianjin_body))

    def seen(headers=None, **params) -> list[int]:
        items = anonymous.get(SESSIONS, params=params, headers=headers).json()["items"]
        return [item["id"] for item in items]

    national = {"Authorization": client.headers["Authorization"]}
    assert seen(national) == [ministry["id"], shandong["id"], tianjin["id"]]
    assert seen(bearer("province", province="37")) == [ministry["id"], shandong["id"]]
    # 北京大学 took part in Tianjin's session: it reads it, to record what it reached there.
    assert seen(bearer("university", university_code=f.PKU)) == [ministry["id"], tianjin["id"]]
    assert seen(national, university=f.PKU) == [ministry["id"], tianjin["id"]]
    assert seen(national, **{"from": "2023-06-01", "to": "2023-06-30"}) == [
        ministry["id"],
        shandong["id"],
    ]
    hidden = anonymous.get(f"{SESSIONS}/{tianjin['id']}", headers=bearer("province", province="37"))
    f.assert_problem(hidden, 404)


# --- intents and their steps --------------------------------------------------------------


def test_a_university_records_the_intents_it_reached_and_their_follow_up(
    anonymous, bearer, client, registered
):
    ministry = f.created(client.post(SESSIONS, json=meeting(registered)))
    pku = bearer("university", university_code=f.PKU)
    body = intent(ministry["id"], None, registered["grid"], "directed_training")
    made = f.created(anonymous.post(INTENTS, json=body, headers=pku))
    assert made == {
        "id": made["id"],
        "session_id": ministry["id"],
        "university_code": f.PKU,
        "employer_uscc": registered["grid"],
        "type": "directed_training",
        "field": "energy_power",
        "summary": None,
        "status": "intended",
        "steps": [{"id": made["steps"][0]["id"], "status": "intended", "as_of": "2023-06-28"}],
    }
    steps = f"{INTENTS}/{made['id']}/steps"
    f.assert_problem(
        anonymous.post(steps, json=step("landed", "2023-07-10"), headers=pku), 422, "status"
    )
    f.assert_problem(
        anonymous.post(steps, json=step("signed", "2023-06-27"), headers=pku), 422, "as_of"
    )
    signed = f.created(anonymous.post(steps, json=step("signed", "2023-07-10"), headers=pku))
    f.assert_problem(
        anonymous.post(steps, json=step("signed", "2023-07-11"), headers=pku), 409, "status"
    )
    landed = f.created(anonymous.post(steps, json=step("landed", "2023-08-20"), headers=pku))
    read = anonymous.get(f"{INTENTS}/{made['id']}", headers=pku).json()
    assert read["status"] == "landed"
    assert [s["status"] for s in read["steps"]] == ["intended", "signed", "landed"]
    f.assert_problem(anonymous.delete(f"{steps}/{signed['id']}", headers=pku), 409)
    f.assert_problem(anonymous.delete(f"{steps}/{made['steps'][0]['id']}", headers=pku), 409)
    assert anonymous.delete(f"{steps}/{landed['id']}", headers=pku).status_code == 204
    assert anonymous.get(f"{INTENTS}/{made['id']}", headers=pku).json()["status"] == "signed"


def test_an_intent_is_between_those_who_took_part(anonymous, bearer, client, registered):
    ministry = f.created(client.post(SESSIONS, json=meeting(registered)))
    outsider = intent(ministry["id"], TJU, registered["grid"], "joint_research")
    f.assert_problem(client.post(INTENTS, json=outsider), 422, "university_code")
    absent = intent(ministry["id"], f.PKU, registered["pharma"], "joint_research")
    f.assert_problem(client.post(INTENTS, json=absent), 422, "employer_uscc")
    f.assert_problem(
        client.post(INTENTS, json=intent(ministry["id"], None, registered["grid"], "other")),
        422,
        "university_code",
    )
    missing = intent(999_999, f.PKU, registered["grid"], "other")
    f.assert_problem(client.post(INTENTS, json=missing), 404)
    beijing, tianjin = bearer("province", province="11"), bearer("province", province="12")
    body = intent(ministry["id"], THU, registered["rail"], "internship_base", field="aerospace")
    f.assert_problem(anonymous.post(INTENTS, json=body, headers=tianjin), 403, "university_code")
    made = f.created(anonymous.post(INTENTS, json=body, headers=beijing))
    assert made["field"] == "aerospace"
    hidden = anonymous.get(f"{INTENTS}/{made['id']}", headers=tianjin)
    f.assert_problem(hidden, 404)
    pku = bearer("university", university_code=f.PKU)
    assert anonymous.get(INTENTS, headers=pku).json()["total"] == 0
    assert anonymous.get(INTENTS, headers=beijing).json()["total"] == 1


def test_who_has_intents_stays_on_the_session(client, registered):
    ministry = f.created(client.post(SESSIONS, json=meeting(registered)))
    made = f.created(
        client.post(INTENTS, json=intent(ministry["id"], THU, registered["chips"], "other"))
    )
    url = f"{SESSIONS}/{ministry['id']}"
    f.assert_problem(client.patch(url, json={"universities": [f.PKU]}), 409, "universities")
    kept = [{"uscc": registered["chips"]}]
    f.assert_problem(
        client.patch(url, json={"employers": [{"uscc": registered["grid"]}]}), 409, "employers"
    )
    assert client.patch(url, json={"employers": kept}).status_code == 200
    f.assert_problem(client.delete(url), 409)
    assert client.delete(f"{INTENTS}/{made['id']}").status_code == 204
    assert client.delete(url).status_code == 204


# --- figures ------------------------------------------------------------------------------


def summer_of_matchmaking(client, registered) -> dict[str, int]:
    """The Ministry's meeting (PKU, THU; three employers) with four intents, and Shandong's
    (SDU; one employer) with one; follow-ups in July and August. {name: session id}."""
    ministry = f.created(client.post(SESSIONS, json=meeting(registered)))["id"]
    shandong_body = meeting(
        registered,
        province="37",
        title="就业育人“政行企校”四方协作对接洽谈会",
        format="four_party",
        organiser="山东省人力资源社会保障厅、教育厅、齐鲁工业大学",
        held_on="2023-06-09",
        universities=[SDU],
        employers=[{"uscc": registered["grid"], "field": "energy_power"}],
    )
    shandong = f.created(client.post(SESSIONS, json=shandong_body))["id"]
    made = [
        (ministry, f.PKU, "grid", "directed_training", [("signed", "2023-07-10")]),
        (ministry, f.PKU, "rail", "internship_base", [("signed", "2023-07-01"), ("landed", "2023-08-15")]),
        (ministry, THU, "chips", "joint_research", []),
        (ministry, THU, "grid", "directed_training", []),
        (shandong, SDU, "grid", "employment_education", [("signed", "2023-08-01")]),
    ]  # fmt: skip
    for session_id, university, employer, kind, steps in made:
        body = intent(session_id, university, registered[employer], kind)
        intent_id = f.created(client.post(INTENTS, json=body))["id"]
        for status, day in steps:
            f.created(client.post(f"{INTENTS}/{intent_id}/steps", json=step(status, day)))
    return {"ministry": ministry, "shandong": shandong}


def test_the_figures_count_who_took_part_and_each_intents_furthest_step(client, registered):
    summer_of_matchmaking(client, registered)
    answer = client.get(FIGURES, params=SUMMER).json()
    assert answer["figures"] == {
        "sessions": 2,
        "universities": 3,
        "employers": 3,
        "fields": 3,
        "intents": 5,
        "intended": 2,
        "signed": 2,
        "landed": 1,
    }
    in_july = client.get(FIGURES, params={**SUMMER, "as_of": "2023-07-05"}).json()["figures"]
    assert (in_july["intended"], in_july["signed"], in_july["landed"]) == (4, 1, 0)
    before = client.get(FIGURES, params={**SUMMER, "as_of": "2023-06-20"}).json()["figures"]
    assert (before["intents"], before["intended"]) == (1, 1)
    june_ninth = client.get(FIGURES, params={"from": "2023-06-01", "to": "2023-06-10"}).json()
    assert (june_ninth["figures"]["sessions"], june_ninth["figures"]["intents"]) == (1, 1)


def test_the_figures_by_type_field_and_province(client, registered):
    summer_of_matchmaking(client, registered)

    def rows(by: str) -> list[dict]:
        return client.get(FIGURES, params={**SUMMER, "by": by}).json()["rows"]

    assert rows("type") == [
        {"key": "directed_training", "label": "定向培养", "intents": 2, "intended": 1,
         "signed": 1, "landed": 0, "sessions": None, "universities": None, "employers": None,
         "fields": None},
        {"key": "internship_base", "label": "共建实习基地", "intents": 1, "intended": 0,
         "signed": 0, "landed": 1, "sessions": None, "universities": None, "employers": None,
         "fields": None},
        {"key": "joint_research", "label": "联合研发", "intents": 1, "intended": 1, "signed": 0,
         "landed": 0, "sessions": None, "universities": None, "employers": None, "fields": None},
        {"key": "employment_education", "label": "就业育人项目", "intents": 1, "intended": 0,
         "signed": 1, "landed": 0, "sessions": None, "universities": None, "employers": None,
         "fields": None},
    ]  # fmt: skip
    by_field = {row["key"]: row for row in rows("field")}
    assert list(by_field) == ["energy_power", "equipment_manufacturing", "integrated_circuits"]
    energy = by_field["energy_power"]
    assert (energy["sessions"], energy["employers"], energy["intents"], energy["signed"]) == (
        2,
        1,
        3,
        2,
    )
    by_province = rows("province")
    assert [
        (r["key"], r["label"], r["sessions"], r["universities"], r["intents"]) for r in by_province
    ] == [
        ("", "教育部", 1, 2, 4),
        ("37", "山东省", 1, 1, 1),
    ]


def test_a_province_and_a_university_get_their_own_figures(anonymous, bearer, client, registered):
    summer_of_matchmaking(client, registered)
    shandong = anonymous.get(
        FIGURES, params={**SUMMER, "province": "11"}, headers=bearer("province", province="37")
    ).json()
    assert shandong["filters"] == {"province": "37", "university": None}
    assert (shandong["figures"]["sessions"], shandong["figures"]["intents"]) == (1, 1)
    thu = anonymous.get(
        FIGURES, params=SUMMER, headers=bearer("university", university_code=THU)
    ).json()
    assert thu["filters"] == {"province": None, "university": THU}
    assert (thu["figures"]["sessions"], thu["figures"]["intents"], thu["figures"]["intended"]) == (
        1,
        2,
        2,
    )


def test_the_service_counts_without_http(client, registered, session):
    summer_of_matchmaking(client, registered)
    scope = figures.scope_for(Reach(province="37"), DateRange(), dt.date(2023, 8, 31), "11")
    assert figures.match_figures(session, scope)["figures"]["signed"] == 1


# --- the bulletin -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [(89, "89"), (90, "近百"), (98, "近百"), (99, "近百"), (100, "100"), (118, "100余"),
     (899, "800余"), (900, "近千"), (9_500, "近万"), (10_000, "1万")],
)  # fmt: skip
def test_nearly_a_round_number(value, written):
    assert nearly_number(value) == written


def test_the_matchmaking_paragraph(client, registered):
    summer_of_matchmaking(client, registered)
    answer = client.get(BULLETIN, params={**SUMMER, "section": "matchmaking"}).json()
    assert [sentence["text"] for sentence in answer["sentences"]] == [
        "全国共举办校企供需对接活动2场，3所高校与3家企业参加，达成合作意向5个，其中已签约3个、已落地1个。",
        "教育部举办重点领域人才校企供需对接会，来自能源动力、装备制造等3个重点领域行业的3家企业，"
        "与北京大学、清华大学现场对接，现场达成4个合作意向。",
    ]
    assert answer["sentences"][1]["figures"]["intents"] == 4
    shandong = client.get(BULLETIN, params={**SUMMER, "section": "matchmaking", "province": "37"})
    assert shandong.json()["sentences"][1]["text"] == (
        "山东省人力资源社会保障厅、教育厅、齐鲁工业大学举办就业育人“政行企校”四方协作对接洽谈会，"
        "来自能源动力领域的1家企业，"
        "与山东大学现场对接，现场达成1个合作意向。"
    )


def test_a_universitys_paragraph_and_none_without_sessions(anonymous, bearer, client, registered):
    asked = {**SUMMER, "section": "matchmaking"}
    assert client.get(BULLETIN, params=asked).json()["sentences"] == []
    summer_of_matchmaking(client, registered)
    pku = bearer("university", university_code=f.PKU)
    sentences = anonymous.get(BULLETIN, params=asked, headers=pku).json()["sentences"]
    assert [sentence["text"] for sentence in sentences] == [
        "北京大学参加校企供需对接活动1场，与企业达成合作意向2个，其中已签约2个、已落地1个。"
    ]


def test_all_sections_end_with_matchmaking(client, registered):
    summer_of_matchmaking(client, registered)
    sentences = client.get(BULLETIN, params={**SUMMER, "section": "all"}).json()["sentences"]
    assert sentences[0]["text"].startswith("全国共有0所高校走访0家企业")
    assert sentences[-1]["text"].startswith("教育部举办重点领域人才校企供需对接会")


def test_a_kept_bulletin_changes_with_the_next_step(client, registered):
    summer_of_matchmaking(client, registered)
    asked = {**SUMMER, "section": "matchmaking"}
    first = client.get(BULLETIN, params=asked)
    tag = first.headers["ETag"]
    assert client.get(BULLETIN, params=asked, headers={"If-None-Match": tag}).status_code == 304
    listed = client.get(INTENTS, params={"type": "joint_research"}).json()["items"]
    f.created(client.post(f"{INTENTS}/{listed[0]['id']}/steps", json=step("signed", "2023-08-30")))
    after = client.get(BULLETIN, params=asked, headers={"If-None-Match": tag})
    assert after.status_code == 200
    assert "其中已签约4个、已落地1个" in after.json()["sentences"][0]["text"]


def test_a_university_or_employer_that_took_part_is_not_deleted(client, registered):
    f.created(client.post(SESSIONS, json=meeting(registered)))
    refused = f.assert_problem(client.delete(f"/api/v1/universities/{THU}"), 409)
    assert refused["referenced_by"] == {"matchmaking sessions taken part in": 1}
    refused = f.assert_problem(client.delete(f"/api/v1/employers/{registered['grid']}"), 409)
    assert refused["referenced_by"] == {"matchmaking sessions taken part in": 1}
    assert client.delete(f"/api/v1/employers/{registered['pharma']}").status_code == 204


def test_every_write_is_audited(client, registered, session):
    made = f.created(client.post(SESSIONS, json=meeting(registered)))
    body = intent(made["id"], THU, registered["chips"], "joint_research")
    reached = f.created(client.post(INTENTS, json=body))
    signed = f.created(
        client.post(f"{INTENTS}/{reached['id']}/steps", json=step("signed", "2023-07-01"))
    )
    client.delete(f"{INTENTS}/{reached['id']}/steps/{signed['id']}")
    client.delete(f"{INTENTS}/{reached['id']}")
    client.delete(f"{SESSIONS}/{made['id']}")
    entries = session.scalars(
        select(AuditEntry)
        .where(or_(AuditEntry.path.like(f"{SESSIONS}%"), AuditEntry.path.like(f"{INTENTS}%")))
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.status) for e in entries] == [
        ("create", 201),
        ("create", 201),
        ("create", 201),
        ("delete", 204),
        ("delete", 204),
        ("delete", 204),
    ]


def test_a_sessions_day_corrected_moves_its_intents_first_step(client, registered):
    ids = summer_of_matchmaking(client, registered)
    url = f"{SESSIONS}/{ids['ministry']}"
    f.assert_problem(client.patch(url, json={"held_on": "2023-07-05"}), 422, "held_on")
    assert client.patch(url, json={"held_on": "2023-06-30"}).status_code == 200
    listed = client.get(INTENTS, params={"session_id": ids["ministry"]}).json()["items"]
    assert {item["steps"][0]["as_of"] for item in listed} == {"2023-06-30"}
    before = {**SUMMER, "as_of": "2023-06-29"}
    assert client.get(FIGURES, params=before).json()["figures"]["intents"] == 1  # Shandong's
    june = client.get(FIGURES, params={"from": "2023-06-29", "to": "2023-06-30"}).json()
    assert (june["figures"]["sessions"], june["figures"]["employers"]) == (1, 3)
