"""The ledger of graduates in difficulty and the services given them, through the API: what a
university keeps, what a province and a reader see, the service standard, and the figures.

The data: 湖南大学 (HNU) and 中南大学 (CSU) in Hunan (43), 北京大学 (PKU) in Beijing (11)."""

import pytest
from sqlalchemy import delete, select, update
from stdnum.cn import ric

from app.assistance import bulletin, kept, standards
from app.assistance.models import AssistanceCount, AssistanceGroupCount, AssistedGraduate
from tests import factories as f

API = "/api/v1"
HNU, CSU, PKU = f.HNU, f.CSU, f.PKU


@pytest.fixture
def hunan(client):
    f.register_hunan(client)


@pytest.fixture
def hnu(hunan, anonymous, bearer):
    """HNU's career office, as an API token."""
    return _as(anonymous, bearer("university", university_code=HNU))


def _as(anonymous, headers):
    class Client:
        def __getattr__(self, method):
            return lambda url, **kw: getattr(anonymous, method)(
                url, headers={**headers, **kw.pop("headers", {})}, **kw
            )

    return Client()


def add(client, **extra) -> dict:
    return f.created(client.post(f"{API}/assisted-graduates", json=f.graduate(**extra)))


def test_a_university_keeps_its_ledger_and_sees_numbers_only_masked(hnu):
    body = f.graduate(groups=["低保家庭", "disabled"])
    made = f.created(hnu.post(f"{API}/assisted-graduates", json=body))
    assert made["university_code"] == HNU
    assert made["name"] == "张小明"
    assert made["id_number"] == f"{body['id_number'][:6]}********{body['id_number'][-4:]}"
    assert made["phone"] == f"{body['phone'][:3]}****{body['phone'][-4:]}"
    assert made["groups"] == ["disabled", "minimum_living"]
    assert made["gender"] == ("male" if int(body["id_number"][16]) % 2 else "female")
    assert made["status"] == "unemployed"
    assert made["standard_met"] is False
    assert made["missing"] == {"consultation": 1, "resume": 2, "referral": 3}

    changed = hnu.patch(f"{API}/assisted-graduates/{made['id']}", json={"mentor": "王老师"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["mentor"] == "王老师"
    listed = hnu.get(f"{API}/assisted-graduates?cohort=2023").json()
    assert [item["id"] for item in listed["items"]] == [made["id"]]
    assert hnu.delete(f"{API}/assisted-graduates/{made['id']}").status_code == 204
    assert hnu.get(f"{API}/assisted-graduates/{made['id']}").status_code == 404


def test_the_same_person_is_entered_once_a_cohort(hnu, hunan, anonymous, bearer):
    body = f.graduate()
    first = add(hnu, **{k: v for k, v in body.items() if k != "cohort"})
    again = hnu.post(f"{API}/assisted-graduates", json=body)
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "id_number"
    assert again.json()["existing_id"] == first["id"]
    # Another university cannot enter them either, and is not told whose they are.
    csu = _as(anonymous, bearer("university", university_code=CSU))
    elsewhere = csu.post(f"{API}/assisted-graduates", json=body)
    assert elsewhere.status_code == 409
    assert "existing_id" not in elsewhere.json()
    assert HNU not in elsewhere.text
    # The next cohort may have them.
    f.created(hnu.post(f"{API}/assisted-graduates", json={**body, "cohort": 2024}))


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("43010220010315001", "18 characters"),
        ("430102200103150010", "check digit"),
        ("43010220011315001" + ric.calc_check_digit("43010220011315001" + "0"), "birth date"),
    ],
)
def test_a_wrong_id_number_is_a_422_naming_it_without_echoing_it(hnu, id_number, message):
    answer = hnu.post(f"{API}/assisted-graduates", json=f.graduate(id_number=id_number))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "id_number"
    assert message in answer.json()["errors"][0]["message"]
    assert id_number not in answer.text


def test_unknown_key_group_is_named(hnu):
    answer = hnu.post(f"{API}/assisted-graduates", json=f.graduate(groups=["other", "外星人"]))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "groups[1]"


def test_reach_university_province_and_reader(hunan, hnu, anonymous, bearer, client):
    mine = add(hnu)
    pku = add(client, university_code=PKU)
    csu = _as(anonymous, bearer("university", university_code=CSU))
    assert csu.get(f"{API}/assisted-graduates/{mine['id']}").status_code == 404
    assert csu.get(f"{API}/assisted-graduates").json()["total"] == 0

    hunan_office = _as(anonymous, bearer("province", province="43"))
    seen = hunan_office.get(f"{API}/assisted-graduates").json()
    assert [item["id"] for item in seen["items"]] == [mine["id"]]
    assert seen["items"][0]["name"] == "张**"
    assert hunan_office.get(f"{API}/assisted-graduates/{pku['id']}").status_code == 404

    national = client.get(f"{API}/assisted-graduates/{mine['id']}").json()
    assert national["name"] == "张**"
    reader = _as(anonymous, bearer("reader", province="43"))
    assert reader.get(f"{API}/assisted-graduates").status_code == 403
    figures = reader.get(f"{API}/stats/assistance?cohort=2023").json()
    assert figures["figures"]["graduates"] == 1
    assert figures["filters"]["province"] == "43"
    # A province may not write a university's ledger.
    refused = hunan_office.post(f"{API}/assisted-graduates", json=f.graduate(university_code=HNU))
    assert refused.status_code == 403


def test_lookup_by_id_number_is_a_post_within_reach(hnu, client):
    body = f.graduate()
    made = add(hnu, **{k: v for k, v in body.items() if k != "cohort"})
    found = hnu.post(f"{API}/assisted-graduates/lookup", json={"id_number": body["id_number"]})
    assert [item["id"] for item in found.json()] == [made["id"]]
    other = hnu.post(f"{API}/assisted-graduates/lookup", json={"id_number": f.make_id_number()})
    assert other.json() == []


def test_status_history_and_the_latest_status(hnu):
    made = add(hnu, status_date="2023-03-01")
    url = f"{API}/assisted-graduates/{made['id']}/statuses"
    f.created(hnu.post(url, json={"status": "signed", "on": "2023-07-01"}))
    # A change dated before the latest goes into the history only.
    f.created(hnu.post(url, json={"status": "flexible", "on": "2023-05-01"}))
    history = hnu.get(url).json()
    assert [(row["status"], row["on"]) for row in history] == [
        ("unemployed", "2023-03-01"),
        ("flexible", "2023-05-01"),
        ("signed", "2023-07-01"),
    ]
    current = hnu.get(f"{API}/assisted-graduates/{made['id']}").json()
    assert (current["status"], current["status_date"]) == ("signed", "2023-07-01")


def _serve(client, graduate_id: int, kind: str, times: int = 1, **extra) -> list[dict]:
    return [
        f.created(
            client.post(
                f"{API}/assistance-services",
                json={
                    "graduate_id": graduate_id,
                    "kind": kind,
                    "service_date": "2023-06-01",
                    "provider": "李老师",
                    **extra,
                },
            )
        )
        for _ in range(times)
    ]


def test_services_count_towards_the_standard(hnu):
    made = add(hnu)
    _serve(hnu, made["id"], "consultation")
    _serve(hnu, made["id"], "resume", 2)
    referrals = _serve(hnu, made["id"], "referral", 2)
    shown = hnu.get(f"{API}/assisted-graduates/{made['id']}").json()
    assert shown["missing"] == {"referral": 1}
    short = hnu.get(f"{API}/assisted-graduates?standard_met=false").json()
    assert [item["id"] for item in short["items"]] == [made["id"]]

    _serve(hnu, made["id"], "referral")
    shown = hnu.get(f"{API}/assisted-graduates/{made['id']}").json()
    assert shown["standard_met"] is True and shown["missing"] == {}
    assert hnu.get(f"{API}/assisted-graduates?standard_met=false").json()["total"] == 0

    # A referral turned into a consultation, and one deleted: counted again.
    hnu.patch(f"{API}/assistance-services/{referrals[0]['id']}", json={"kind": "consultation"})
    hnu.delete(f"{API}/assistance-services/{referrals[1]['id']}")
    shown = hnu.get(f"{API}/assisted-graduates/{made['id']}").json()
    assert shown["services"]["referral"] == 1
    assert shown["services"]["consultation"] == 2
    assert shown["missing"] == {"referral": 2}


def test_a_province_sets_its_own_standard(hnu, anonymous, bearer):
    made = add(hnu)
    _serve(hnu, made["id"], "consultation")
    _serve(hnu, made["id"], "resume", 2)
    _serve(hnu, made["id"], "referral", 3)
    hunan_office = _as(anonymous, bearer("province", province="43"))
    beijing_office = _as(anonymous, bearer("province", province="11"))
    standard = {"minimums": {"consultation": 1, "training": 1}}
    assert beijing_office.put(f"{API}/assistance-standards/43", json=standard).status_code == 403
    answer = hunan_office.put(f"{API}/assistance-standards/43", json=standard)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "province": "43",
        "minimums": {"consultation": 1, "training": 1},
        "is_default": False,
    }
    shown = hnu.get(f"{API}/assisted-graduates/{made['id']}").json()
    assert shown["missing"] == {"training": 1}
    _serve(hnu, made["id"], "training", programme="宏志助航", hours=16)
    assert hnu.get(f"{API}/assisted-graduates?standard_met=false").json()["total"] == 0
    assert hunan_office.delete(f"{API}/assistance-standards/43").status_code == 204
    assert hnu.get(f"{API}/assistance-standards/43").json()["is_default"] is True


def test_a_service_field_of_another_kind_is_refused(hnu):
    made = add(hnu)
    answer = hnu.post(
        f"{API}/assistance-services",
        json={
            "graduate_id": made["id"],
            "kind": "consultation",
            "service_date": "2023-06-01",
            "provider": "李老师",
            "hours": 3,
        },
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "hours"


def test_a_number_typed_into_a_note_is_masked(hnu):
    made = add(hnu)
    phone = f.make_phone()
    service = _serve(hnu, made["id"], "consultation", note=f"家长电话{phone}，已沟通")[0]
    assert service["note"] == f"家长电话{phone[:3]}****{phone[-4:]}，已沟通"


def test_figures(hunan, client, hnu, anonymous, bearer):
    placed = add(hnu, groups=["poverty_registered", "disabled"], status_date="2023-03-01")
    add(hnu, groups=["minimum_living"], status_date="2023-03-01")
    add(client, university_code=PKU, groups=["other"], status_date="2023-03-01")
    f.created(
        hnu.post(
            f"{API}/assisted-graduates/{placed['id']}/statuses",
            json={"status": "signed", "on": "2023-06-15"},
        )
    )
    _serve(hnu, placed["id"], "training", programme="宏志助航", hours=12)

    hunan = client.get(f"{API}/stats/assistance?cohort=2023&province=43").json()
    assert hunan["figures"] == {
        "graduates": 2,
        "placed": 1,
        "placement_rate": 50.0,
        "served_to_standard": 0,
        "served_to_standard_share": 0.0,
        "below_standard": 2,
        "trained": 1,
        "training_hours": 12,
        "unemployed": 1,
    }
    groups = {row["code"]: row["graduates"] for row in hunan["by_group"]}
    assert groups == {
        "poverty_registered": 1,
        "minimum_living": 1,
        "zero_employment": 0,
        "disabled": 1,
        "long_unemployed": 0,
        "other": 0,
    }
    national = client.get(f"{API}/stats/assistance?cohort=2023").json()
    assert national["figures"]["graduates"] == 3

    by_university = client.get(f"{API}/stats/assistance/breakdown?cohort=2023").json()["rows"]
    assert [(row["key"], row["graduates"], row["placed"]) for row in by_university] == [
        (HNU, 2, 1),
        (PKU, 1, 0),
    ]
    series = client.get(
        f"{API}/stats/assistance/series?cohort=2023&province=43&from=2023-05-01&to=2023-07-31"
    ).json()["periods"]
    assert [(row["to"], row["placed"]) for row in series] == [
        ("2023-05-31", 0),
        ("2023-06-30", 1),
        ("2023-07-31", 1),
    ]
    follow = client.get(
        f"{API}/stats/assistance/follow-up?cohort=2023&province=43&left_on=2023-05-31"
    ).json()
    assert (follow["unplaced_on_leaving"], follow["placed_since"], follow["served_since"]) == (
        2,
        1,
        1,
    )
    # A university's token is answered for its own, whatever it asks.
    own = hnu.get(f"{API}/stats/assistance?cohort=2023&university={PKU}").json()
    assert own["filters"]["university"] == HNU
    assert own["figures"]["graduates"] == 2


def test_difficulty_groups_reference(client):
    groups = client.get(f"{API}/reference/difficulty-groups").json()
    assert [group["name"] for group in groups] == [
        "建档立卡脱贫家庭",
        "低保家庭",
        "零就业家庭",
        "残疾",
        "较长时间未就业",
        "其他",
    ]


def test_the_bulletin_writes_the_figures_as_the_report_does(hunan, hnu, client):
    placed = add(hnu)
    add(hnu)
    f.created(
        hnu.post(
            f"{API}/assisted-graduates/{placed['id']}/statuses",
            json={"status": "signed", "on": "2023-06-15"},
        )
    )
    _serve(hnu, placed["id"], "training", programme="宏志助航", hours=12)
    answer = client.get(f"{API}/stats/assistance/bulletin?cohort=2023&province=43").json()
    assert answer["text"] == (
        "湖南省全面掌握2023届2名困难毕业生就业需求，"
        "0名已获得“一次单独咨询、两次简历修改、三次就业推荐”服务，1名已落实毕业去向；"
        "面向1名2023届困难毕业生开展就业培训。"
    )


def test_the_reports_figures_read_as_the_report():
    kept = {"graduates": 44_012, "served_to_standard": 41_999, "placed": 39_000, "trained": 94_000}
    rule = f"“{bulletin.standard_phrase(standards.DEFAULT_MINIMUMS)}”服务"
    assert bulletin.bulletin_text("湖南省", 2023, rule, kept) == (
        "湖南省全面掌握2023届4.4万余名困难毕业生就业需求，"
        "4.1万余名已获得“一次单独咨询、两次简历修改、三次就业推荐”服务，3.9万名已落实毕业去向；"
        "面向9.4万名2023届困难毕业生开展就业培训。"
    )


def _kept_rows(session) -> set[tuple]:
    rows = set()
    for model in (AssistanceCount, AssistanceGroupCount):
        for row in session.scalars(select(model)):
            if row.graduates:
                columns = [column.key for column in model.__table__.columns]
                rows.add((model.__tablename__, *(getattr(row, key) for key in columns)))
    return rows


def test_the_kept_figures_equal_a_recount_after_every_kind_of_write(hunan, hnu, client, session):
    first, second, third = add(hnu), add(hnu, groups=["other"]), add(client, university_code=CSU)
    _serve(hnu, first["id"], "consultation")
    _serve(hnu, first["id"], "resume", 2)
    referrals = _serve(hnu, first["id"], "referral", 3)
    _serve(hnu, second["id"], "training", programme="宏志助航", hours=8)
    status_url = f"{API}/assisted-graduates/{second['id']}/statuses"
    f.created(hnu.post(status_url, json={"status": "signed", "on": "2023-06-15"}))
    hnu.patch(f"{API}/assisted-graduates/{second['id']}", json={"groups": ["disabled", "other"]})
    hnu.patch(f"{API}/assistance-services/{referrals[0]['id']}", json={"kind": "consultation"})
    client.put(f"{API}/assistance-standards/43", json={"minimums": {"consultation": 2}})
    client.delete(f"{API}/assisted-graduates/{third['id']}")
    client.patch(f"{API}/universities/{HNU}", json={"province": "11"})

    summary_now = client.get(f"{API}/stats/assistance?cohort=2023").json()
    kept_now = _kept_rows(session)
    kept.recount(session)
    assert _kept_rows(session) == kept_now
    assert summary_now["figures"]["graduates"] == 2
    assert summary_now["figures"]["training_hours"] == 8
    # Moved to Beijing, the first graduate is judged by the default standard again: two
    # referrals of three.
    shown = client.get(f"{API}/assisted-graduates/{first['id']}").json()
    assert (shown["standard_met"], shown["missing"]) == (False, {"referral": 1})
    assert summary_now["figures"]["served_to_standard"] == 0


def test_a_university_with_graduates_in_difficulty_is_not_deleted(hunan, hnu, client):
    add(hnu)
    answer = client.delete(f"{API}/universities/{HNU}")
    assert answer.status_code == 409
    assert answer.json()["referenced_by"] == {"graduates in difficulty": 1}


def test_placement_over_time_follows_every_change_back_and_forth(hnu, client):
    made = add(hnu, status_date="2023-03-01")
    url = f"{API}/assisted-graduates/{made['id']}/statuses"
    for status, on in [
        ("signed", "2023-05-10"),
        ("unemployed", "2023-06-20"),  # the contract fell through
        ("flexible", "2023-07-05"),
        ("further_study", "2023-07-05"),  # the same day, recorded after: still placed
    ]:
        f.created(hnu.post(url, json={"status": status, "on": on}))
    series = client.get(
        f"{API}/stats/assistance/series?cohort=2023&from=2023-04-01&to=2023-07-31"
    ).json()["periods"]
    assert [(row["to"], row["placed"], row["graduates"]) for row in series] == [
        ("2023-04-30", 0, 1),
        ("2023-05-31", 1, 1),
        ("2023-06-30", 0, 1),
        ("2023-07-31", 1, 1),
    ]
    follow = client.get(f"{API}/stats/assistance/follow-up?cohort=2023&left_on=2023-06-30").json()
    assert (follow["unplaced_on_leaving"], follow["placed_since"]) == (1, 1)


def test_a_recount_mends_counts_written_around_the_service(hunan, hnu, session):
    made = add(hnu)
    _serve(hnu, made["id"], "consultation")
    _serve(hnu, made["id"], "resume", 2)
    _serve(hnu, made["id"], "referral", 3)
    _serve(hnu, made["id"], "training", programme="宏志助航", hours=8)
    kept_now = _kept_rows(session)
    graduate = session.get(AssistedGraduate, made["id"])
    counts = (graduate.referrals, graduate.training_hours, graduate.standard_met)
    session.execute(
        update(AssistedGraduate).values(referrals=0, training_hours=0, standard_met=False)
    )
    session.execute(delete(AssistanceCount))
    kept.recount_everything(session)
    session.refresh(graduate)
    assert (
        (graduate.referrals, graduate.training_hours, graduate.standard_met)
        == counts
        == (
            3,
            8,
            True,
        )
    )
    assert _kept_rows(session) == kept_now
