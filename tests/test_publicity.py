"""Policy publicity (政策宣传): the register of policy measures, searched in Chinese, the
publicity sessions (宣讲), their figures and the report's sentences ("共计宣讲政策400余次",
"汇集发布各省及100余个地市级单位……政策措施1866条", "湖北省……实现省级和17个市(州)政策全收录")."""

import pytest
from sqlalchemy import select, text

from app.audit.models import AuditEntry
from app.demo.publicity import load_policy_publicity
from app.publicity import search
from app.publicity.cities import CITIES, cities_of
from app.publicity.models import PolicyMeasure
from tests import factories as f

MEASURES = "/api/v1/policy-measures"
SESSIONS = "/api/v1/publicity-sessions"
FIGURES = "/api/v1/stats/policy-publicity"
BULLETIN = "/api/v1/reports/bulletin"
SPRINT = {"from": "2023-05-01", "to": "2023-08-31"}
WHU = "4142010486"  # 武汉大学, Hubei (42)
HUBEI_LOAN = "小微企业一年内新招用符合创业担保贷款申请条件的人员总数达到一定比例的，可申请最高额度不超过500万元的创业担保贷款。"  # fmt: skip


def measure(title: str = "湖北省创业担保贷款实施办法", level: str = "province", **extra) -> dict:
    body = {"title": title, "issuer": "湖北省人力资源和社会保障厅", "level": level,
            "category": "startup_loan", "published_on": "2023-05-18"}  # fmt: skip
    if level == "province":
        body["province"] = "42"
    return body | extra


def city_measure(city: str, title: str = "吸纳就业补贴办法", **extra) -> dict:
    body = measure(f"{CITIES[city]}{title}", "city", city=city, category="hiring")
    return body | {"issuer": f"{CITIES[city]}人力资源和社会保障局"} | extra


def national_measure(title: str = "关于延续实施一次性扩岗补助政策有关工作的通知", **extra) -> dict:
    body = measure(title, "national", issuer="人力资源社会保障部办公厅", category="job_expansion")
    return body | extra


def held(**extra) -> dict:
    body = {"held_on": "2023-06-01", "title": "高校毕业生就业创业政策宣讲",
            "holder_kind": "national_committee", "place": "park", "audience": 300}  # fmt: skip
    return body | extra


def committee(name: str, place: str = "enterprise", audience: int = 100) -> dict:
    return held(holder_kind="industry_committee", holder=name, place=place, audience=audience)


def register_whu(client) -> None:
    f.created(client.post("/api/v1/universities", json=f.university(WHU, "武汉大学", "42")))


# --- the cities -------------------------------------------------------------------------------


def test_hubei_has_its_17_cities_and_a_municipality_none():
    hubei = cities_of("42")
    assert len(hubei) == 17
    assert (hubei["420100"], hubei["422800"], hubei["429021"]) == (
        "武汉市",
        "恩施土家族苗族自治州",
        "神农架林区",
    )
    assert cities_of("11") == {} and len(cities_of("44")) == 21 and len(cities_of("61")) == 10


# --- measures ---------------------------------------------------------------------------------


def test_a_measure_is_created_read_changed_and_deleted(client):
    body = measure(amount=5_000_000, amount_unit="每户", summary=HUBEI_LOAN,
                   link="https://hrss.hubei.gov.cn/zcfg/1.html", effective_to="2025-12-31")  # fmt: skip
    made = f.created(client.post(MEASURES, json=body))
    assert made == {
        **body,
        "id": made["id"],
        "city": None,
        "effective_from": None,
        "level_label": "省级",
        "category_label": "创业担保贷款",
        "city_name": None,
    }
    read = client.get(f"{MEASURES}/{made['id']}")
    assert read.json() == made
    tag = read.headers["ETag"]
    url = f"{MEASURES}/{made['id']}"
    changed = client.patch(url, json={"amount": 3_000_000}, headers={"If-Match": tag})
    assert changed.status_code == 200 and changed.json()["amount"] == 3_000_000
    f.assert_problem(client.patch(url, json={"amount": 1}, headers={"If-Match": tag}), 412)
    moved = client.patch(url, json={"level": "city", "city": "420100"})
    assert (moved.json()["province"], moved.json()["city_name"]) == ("42", "武汉市")
    assert client.delete(url).status_code == 204
    f.assert_problem(client.get(url), 404)


def test_one_title_per_issuer(client):
    made = f.created(client.post(MEASURES, json=measure()))
    again = f.assert_problem(client.post(MEASURES, json=measure()), 409, "title")
    assert again["existing"] == f"{MEASURES}/{made['id']}"
    f.created(client.post(MEASURES, json=measure(issuer="湖北省财政厅")))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (national_measure(province="42"), "province"),
        (measure(province=None), "province"),
        (measure(city="420100"), "city"),
        (measure(level="city"), "city"),
        (city_measure("420100", province="61"), "city"),
        (measure(city="429999", level="city"), "city"),
        (measure(province="99"), "province"),
        (measure(category="lottery"), "category"),
        (measure(amount=-1), "amount"),
        (measure(link="javascript:alert(1)"), "link"),
        (measure(effective_from="2023-06-01", effective_to="2023-05-31"), "effective_to"),
        (measure(title=""), "title"),
        ({**measure(), "views": 400_000}, "views"),
    ],
)
def test_a_bad_measure_is_refused_naming_the_field(client, body, field):
    f.assert_problem(client.post(MEASURES, json=body), 422, field)


def test_the_ministry_writes_any_measure_and_a_province_its_own_and_its_cities(
    anonymous, bearer, client
):
    hubei, shaanxi = bearer("province", province="42"), bearer("province", province="61")
    own = f.created(anonymous.post(MEASURES, json=measure(province=None), headers=hubei))
    assert own["province"] == "42"
    f.created(anonymous.post(MEASURES, json=city_measure("420500"), headers=hubei))
    refused = [
        (national_measure(), "level"),
        (measure("陕西省办法", province="61"), "province"),
        (city_measure("610100"), "city"),
    ]
    for body, field in refused:
        f.assert_problem(anonymous.post(MEASURES, json=body, headers=hubei), 403, field)
    national = f.created(client.post(MEASURES, json=national_measure()))
    for url in (f"{MEASURES}/{own['id']}", f"{MEASURES}/{national['id']}"):
        f.assert_problem(anonymous.patch(url, json={"amount": 1}, headers=shaanxi), 403)
        f.assert_problem(anonymous.delete(url, headers=shaanxi), 403)
    moved = {"level": "city", "city": "610100"}
    f.assert_problem(anonymous.patch(f"{MEASURES}/{own['id']}", json=moved, headers=hubei), 403)
    # Published policies: every token reads every measure.
    reader = bearer("reader", province="61")
    listed = anonymous.get(MEASURES, headers=reader).json()
    assert listed["total"] == 3
    assert anonymous.post(MEASURES, json=measure("另一办法"), headers=reader).status_code == 403


def test_every_write_of_a_measure_is_audited(client, session):
    made = f.created(client.post(MEASURES, json=measure()))
    client.patch(f"{MEASURES}/{made['id']}", json={"amount": 10})
    client.delete(f"{MEASURES}/{made['id']}")
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.path.like(f"{MEASURES}%")).order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.status, e.resource_id) for e in entries] == [
        ("create", 201, str(made["id"])),
        ("update", 200, str(made["id"])),
        ("delete", 204, str(made["id"])),
    ]


# --- search -----------------------------------------------------------------------------------


def searched(client, q: str, **params) -> list[str]:
    answer = client.get(MEASURES, params={"q": q, **params})
    assert answer.status_code == 200, answer.text
    return [item["title"] for item in answer.json()["items"]]


@pytest.fixture
def register(client) -> None:
    for body in (
        measure("湖北省小微企业创业担保贷款政策", summary=HUBEI_LOAN),
        measure(
            "陕西省创业孵化项目补贴办法",
            province="61",
            issuer="陕西省人社厅",
            category="incubation",
            summary="按每带动1个人就业不超过3000元的标准核算。",
        ),
        national_measure(summary="发挥失业保险助企扩岗作用，鼓励企业吸纳大学生等青年就业。"),
        city_measure("420100", "关于GDP与100%_就业的说明"),
    ):
        f.created(client.post(MEASURES, json=body))


def test_any_two_characters_or_more_of_the_text_are_found(client, register):
    assert searched(client, "创业担保") == ["湖北省小微企业创业担保贷款政策"]
    assert searched(client, "担保贷款申请") == ["湖北省小微企业创业担保贷款政策"]
    assert searched(client, "创业") == [
        "陕西省创业孵化项目补贴办法",
        "湖北省小微企业创业担保贷款政策",
    ]
    assert searched(client, "孵化") == ["陕西省创业孵化项目补贴办法"]
    assert searched(client, "人力资源社会保障部") == [
        "关于延续实施一次性扩岗补助政策有关工作的通知"
    ]
    assert searched(client, "失业保险助企") == ["关于延续实施一次性扩岗补助政策有关工作的通知"]
    assert searched(client, "创业", province="61") == ["陕西省创业孵化项目补贴办法"]
    assert searched(client, "贷款担保") == []


def test_search_folds_case_and_full_width_and_takes_wildcards_literally(client, register):
    title = "武汉市关于GDP与100%_就业的说明"
    assert searched(client, "gdp") == searched(client, "ＧＤＰ与") == [title]
    assert searched(client, "0%_") == [title]
    assert searched(client, "1%0") == searched(client, "说明武汉") == []
    f.assert_problem(client.get(MEASURES, params={"q": "创"}), 422, "q")


def test_a_search_spans_no_two_fields(client, register):
    # The title ends 政策, the issuer begins 湖北: one field never runs into the next.
    assert searched(client, "政策湖北") == []


def test_postgresql_finds_the_bigrams_in_the_index(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's; SQLite reads its rows")
    load_policy_publicity(session)
    session.flush()
    query = select(PolicyMeasure.id).where(search.matches("创业担保", "postgresql"))
    compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(session.scalars(text(f"EXPLAIN {compiled}")))
    assert "ix_policy_measures_search_bigrams" in plan, plan
    found = set(session.scalars(query))
    every = session.execute(select(PolicyMeasure.id, PolicyMeasure.search_text)).all()
    assert found == {id_ for id_, searched_text in every if "创业担保" in searched_text}
    assert len(found) == 212


# --- publicity sessions ---------------------------------------------------------------------


def test_a_session_is_created_read_changed_and_deleted(client):
    made = f.created(client.post(SESSIONS, json=held()))
    assert made == {
        **held(),
        "id": made["id"],
        "holder": "全国普通高校毕业生就业创业指导委员会",
        "province": None,
        "university_code": None,
        "place_label": "进园区",
    }
    url = f"{SESSIONS}/{made['id']}"
    read = client.get(url)
    assert read.json() == made
    tag = read.headers["ETag"]
    changed = client.patch(url, json={"audience": 450}, headers={"If-Match": tag})
    assert changed.status_code == 200 and changed.json()["audience"] == 450
    f.assert_problem(client.delete(url, headers={"If-Match": tag}), 412)
    assert client.delete(url, headers={"If-Match": changed.headers["ETag"]}).status_code == 204
    f.assert_problem(client.get(url), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (held(holder_kind="university"), "university_code"),
        (held(university_code=WHU), "holder_kind"),
        (held(holder_kind="university", university_code=f.UNKNOWN_UNIVERSITY), "university_code"),
        (held(holder_kind="university", university_code=WHU, province="61"), "province"),
        (held(province="42"), "province"),
        (held(holder_kind="department"), "holder"),
        (held(place="online"), "place"),
        (held(audience=-1), "audience"),
        (held(held_on="2023-02-30"), "held_on"),
    ],
)
def test_a_bad_session_is_refused_naming_the_field(client, body, field):
    register_whu(client)
    f.assert_problem(client.post(SESSIONS, json=body), 422, field)


def test_a_university_records_its_own_sessions_and_a_province_its_departments(
    anonymous, bearer, client
):
    register_whu(client)
    f.created(client.post("/api/v1/universities", json=f.university(f.PKU)))
    whu, hubei = bearer("university", university_code=WHU), bearer("province", province="42")
    own = f.created(
        anonymous.post(SESSIONS, json=held(holder_kind="university", place="campus"), headers=whu)
    )
    assert (own["university_code"], own["province"], own["holder"]) == (WHU, "42", "武汉大学")
    elsewhere = held(holder_kind="university", university_code=f.PKU)
    f.assert_problem(anonymous.post(SESSIONS, json=elsewhere, headers=whu), 403, "university_code")
    department = held(holder_kind="department", holder="湖北省教育厅", place="community")
    made = f.created(anonymous.post(SESSIONS, json=department, headers=hubei))
    assert made["province"] == "42"
    f.assert_problem(
        anonymous.post(SESSIONS, json=elsewhere, headers=hubei), 403, "university_code"
    )
    f.assert_problem(anonymous.patch(f"{SESSIONS}/{own['id']}", json={"audience": 1}, headers=hubei), 403)  # fmt: skip
    f.assert_problem(anonymous.delete(f"{SESSIONS}/{made['id']}", headers=whu), 403)
    national = f.created(client.post(SESSIONS, json=held()))
    shaanxi = bearer("province", province="61")
    f.assert_problem(anonymous.get(f"{SESSIONS}/{own['id']}", headers=shaanxi), 404)
    f.assert_problem(anonymous.get(f"{SESSIONS}/{national['id']}", headers=hubei), 404)
    assert [s["id"] for s in anonymous.get(SESSIONS, headers=hubei).json()["items"]] == [
        own["id"],
        made["id"],
    ]
    assert f.total(client, SESSIONS) == 3
    assert f.total(client, SESSIONS, holder_kind="university", place="campus") == 1
    reader = bearer("reader")
    assert anonymous.post(SESSIONS, json=held(), headers=reader).status_code == 403


# --- figures ----------------------------------------------------------------------------------


@pytest.fixture
def hubei_and_more(client) -> None:
    """National 1; Hubei's own 2 and 3 of 2 cities; Shaanxi's 1; one expired before the
    sprint and one published after it. Sessions: 3 of the committees, 2 of 武汉大学."""
    register_whu(client)
    bodies = [
        national_measure(),
        measure(),
        measure("湖北省就业见习补贴办法", category="traineeship"),
        city_measure("420100"),
        city_measure("420100", "创业孵化补贴办法", category="incubation"),
        city_measure("422800"),
        measure(
            "陕西省创业孵化项目补贴办法",
            province="61",
            issuer="陕西省人社厅",
            category="incubation",
        ),
        measure("湖北省2022年创业补贴", effective_to="2023-04-30"),
        measure("湖北省2023年秋季补贴", published_on="2023-09-01"),
    ]
    for body in bodies:
        f.created(client.post(MEASURES, json=body))
    sessions = [
        held(),
        committee("交通运输行业高校毕业生就业创业指导委员会"),
        committee("金融行业高校毕业生就业创业指导委员会", place="community"),
        held(holder_kind="university", university_code=WHU, place="campus", audience=1200),
        held(holder_kind="university", university_code=WHU, held_on="2023-07-01", audience=800),
        held(held_on="2023-09-10"),
    ]
    for body in sessions:
        f.created(client.post(SESSIONS, json=body))


def test_the_figures_count_measures_in_force_and_sessions_held_exactly(client, hubei_and_more):
    answer = client.get(FIGURES, params=SPRINT)
    assert answer.status_code == 200, answer.text
    assert answer.json()["figures"] == {
        "measures": 7,
        "national_measures": 1,
        "province_measures": 3,
        "city_measures": 3,
        "provinces": 2,
        "cities": 2,
        "sessions": 5,
        "audience": 2500,
    }
    everything = client.get(FIGURES).json()["figures"]
    assert (everything["measures"], everything["sessions"]) == (9, 6)
    by_level = client.get(FIGURES, params={**SPRINT, "by": "level"}).json()["rows"]
    assert [(r["key"], r["label"], r["measures"], r["provinces"], r["cities"], r["sessions"])
            for r in by_level] == [("national", "国家", 1, 0, 0, None),
                                   ("province", "省级", 3, 2, 0, None),
                                   ("city", "市级", 3, 0, 2, None)]  # fmt: skip
    by_category = client.get(FIGURES, params={**SPRINT, "by": "category"}).json()["rows"]
    assert {r["label"]: r["measures"] for r in by_category if r["measures"]} == {
        "扩岗补助": 1,
        "吸纳就业补贴": 2,
        "创业担保贷款": 1,
        "创业孵化补贴": 2,
        "就业见习补贴": 1,
    }
    assert len(by_category) == 9


def test_by_province_every_province_and_the_nation_last(anonymous, bearer, client, hubei_and_more):
    rows = client.get(FIGURES, params={**SPRINT, "by": "province"}).json()["rows"]
    assert len(rows) == 35 and rows[-1]["key"] is None
    kept = [(r["key"], r["label"], r["measures"], r["provinces"], r["cities"], r["sessions"],
             r["audience"]) for r in rows if r["measures"] or r["sessions"]]  # fmt: skip
    assert kept == [
        ("42", "湖北省", 5, 1, 2, 2, 2000),
        ("61", "陕西省", 1, 1, 0, 0, 0),
        (None, "全国", 1, 0, 0, 3, 500),
    ]
    whu = bearer("university", university_code=WHU)
    asked = anonymous.get(FIGURES, params={**SPRINT, "province": "61"}, headers=whu).json()
    assert asked["filters"] == {"province": "42"}
    assert (asked["figures"]["measures"], asked["figures"]["sessions"]) == (5, 2)
    f.assert_problem(client.get(FIGURES, params={"by": "issuer"}), 422, "by")
    f.assert_problem(client.get(FIGURES, params={"from": "2023-09-01", "to": "2023-05-01"}), 422)


# --- the report's sentences -------------------------------------------------------------------


def test_the_nations_and_a_provinces_sentences_word_for_word(client, hubei_and_more):
    body = client.get(BULLETIN, params={**SPRINT, "section": "policy"}).json()
    assert body["sentences"] == [
        {
            "text": "部署全国普通高校毕业生就业创业指导委员会、2个行业就指委和武汉大学进园区、进高校、"
            "进社区、进企业，共计宣讲政策5次。".replace(
                "进高校、进社区、进企业", "进企业、进高校、进社区"
            ),
            "figures": {
                "sessions": 5,
                "national_committees": 1,
                "industry_committees": 2,
                "universities": 1,
            },
        },
        {
            "text": "汇集发布2个省份及2个地市级单位高校毕业生就业创业政策措施6条。",
            "figures": {"province_measures": 3, "city_measures": 3, "provinces": 2, "cities": 2},
        },
    ]
    hubei = client.get(BULLETIN, params={**SPRINT, "province": "42", "section": "policy"}).json()
    assert [s["text"] for s in hubei["sentences"]] == [
        "湖北省武汉大学进园区、进高校，共计宣讲政策2次。",
        "湖北省收录省级和2个市(州)高校毕业生就业创业政策措施5条。",
    ]
    assert hubei["sentences"][1]["figures"] == {
        "province_measures": 2,
        "city_measures": 3,
        "cities": 2,
        "cities_in_province": 17,
    }


def test_a_province_with_every_city_is_written_as_complete(client):
    for code in cities_of("42"):
        f.created(client.post(MEASURES, json=city_measure(code)))
    asked = {**SPRINT, "province": "42", "section": "policy"}
    cities_only = client.get(BULLETIN, params=asked).json()["sentences"]
    assert [s["text"] for s in cities_only] == [
        "湖北省收录17个市(州)高校毕业生就业创业政策措施17条。"
    ]
    f.created(client.post(MEASURES, json=measure()))
    complete = client.get(BULLETIN, params=asked).json()["sentences"]
    assert [s["text"] for s in complete] == [
        "湖北省实现省级和17个市(州)政策全收录，共收录高校毕业生就业创业政策措施18条。"
    ]
    beijing = measure("北京市促进高校毕业生就业若干措施", province="11", issuer="北京市人社局")
    f.created(client.post(MEASURES, json=beijing))
    asked["province"] = "11"
    assert client.get(BULLETIN, params=asked).json()["sentences"][0]["text"] == (
        "北京市实现市级政策全收录，共收录高校毕业生就业创业政策措施1条。"
    )


def test_a_kept_bulletin_changes_with_the_next_session_and_none_for_a_university(
    anonymous, bearer, client
):
    asked = {**SPRINT, "section": "policy"}
    assert client.get(BULLETIN, params=asked).json()["sentences"] == []
    f.created(client.post(SESSIONS, json=held()))
    before = client.get(BULLETIN, params=asked).json()["text"]
    f.created(client.post(SESSIONS, json=held(place="community")))
    after = client.get(BULLETIN, params=asked).json()["text"]
    assert (before, after) == (
        "部署全国普通高校毕业生就业创业指导委员会进园区，共计宣讲政策1次。",
        "部署全国普通高校毕业生就业创业指导委员会进园区、进社区，共计宣讲政策2次。",
    )
    register_whu(client)
    whu = bearer("university", university_code=WHU)
    assert anonymous.get(BULLETIN, params=asked, headers=whu).json()["sentences"] == []


def test_the_demos_publicity_gives_the_reports_sentences_word_for_word(client, session):
    assert load_policy_publicity(session) == {"policy_measures": 1870, "publicity_sessions": 402}
    assert load_policy_publicity(session) == {"policy_measures": 0, "publicity_sessions": 0}
    nation = client.get(BULLETIN, params={**SPRINT, "section": "policy"}).json()["sentences"]
    assert nation == [
        {
            "text": "部署全国普通高校毕业生就业创业指导委员会和19个行业就指委进园区、进企业、进高校、"
            "进社区，共计宣讲政策400余次。",
            "figures": {"sessions": 402, "national_committees": 1, "industry_committees": 19},
        },
        {
            "text": "汇集发布各省及100余个地市级单位高校毕业生就业创业政策措施1866条。",
            "figures": {
                "province_measures": nation[1]["figures"]["province_measures"],
                "city_measures": 1866 - nation[1]["figures"]["province_measures"],
                "provinces": 31,
                "cities": 104,
            },
        },
    ]
    hubei = {**SPRINT, "province": "42", "section": "policy"}
    sentence = client.get(BULLETIN, params=hubei).json()["sentences"][0]["text"]
    assert sentence.startswith(
        "湖北省实现省级和17个市(州)政策全收录，共收录高校毕业生就业创业政策措施"
    )
    loan = searched(client, "500万元")
    assert loan == ["湖北省关于发挥小微企业吸纳就业作用加大创业担保贷款支持力度的通知"]
    incubation = client.get(MEASURES, params={"q": "每带动1个人", "province": "61"}).json()
    assert [(m["amount"], m["amount_unit"]) for m in incubation["items"]] == [(3000, "每人")]


def test_a_measure_sent_twice_with_one_key_is_created_once(client):
    key = {"Idempotency-Key": "measure-1"}
    first = f.created(client.post(MEASURES, json=measure(), headers=key))
    again = client.post(MEASURES, json=measure(), headers=key)
    assert (again.status_code, again.json(), again.headers["Idempotent-Replayed"]) == (
        201,
        first,
        "true",
    )
    assert f.total(client, MEASURES) == 1


def test_a_university_that_held_sessions_is_not_deleted(client):
    register_whu(client)
    f.created(client.post(SESSIONS, json=held(holder_kind="university", university_code=WHU)))
    f.assert_problem(client.delete(f"/api/v1/universities/{WHU}"), 409)
    assert client.get(f"/api/v1/universities/{WHU}").status_code == 200
