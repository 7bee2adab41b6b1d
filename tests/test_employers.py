import pytest
from sqlalchemy import func, select
from stdnum.cn import uscc as stdnum_uscc

from app.core.errors import AlreadyExists, NotFound, StillReferenced, UnknownReference
from app.core.pagination import PageParams
from app.employers import service
from app.employers.models import Employer, EmployerSize, Ownership
from app.employers.schemas import EmployerCreate, EmployerUpdate
from tests import factories as f

API = "/api/v1/employers"
# Fixed codes far above the factories' running sequence, so they never collide with it.
USCC = f.make_uscc(900000001)  # 91110108900000001G
OTHER = f.make_uscc(900000002, province="44")  # 91440300900000002T
REAL = "91110000600037341L"  # a published code (python-stdnum's documentation)


def with_check_digit(first17: str) -> str:
    return first17 + stdnum_uscc.calc_check_digit(first17)


def errors_of(problem: dict) -> dict[str, str]:
    return {error["field"]: error["message"] for error in problem["errors"]}


# --- create, read, update, delete ---------------------------------------------------------


def test_create_read_update_delete(client):
    body = f.created(client.post(API, json=f.employer(USCC, ownership="private", size="medium")))
    assert body == {
        "uscc": USCC,
        "name": "北京示例科技有限公司",
        "industry": "I",
        "province": "11",
        "ownership": "private",
        "size": "medium",
    }
    assert client.get(f"{API}/{USCC}").json() == body

    updated = client.patch(f"{API}/{USCC}", json={"name": "北京示例集团", "size": "large"})
    assert updated.status_code == 200, updated.text
    assert updated.json() == {**body, "name": "北京示例集团", "size": "large"}
    assert client.get(f"{API}/{USCC}").json() == updated.json()

    assert client.delete(f"{API}/{USCC}").status_code == 204
    f.assert_problem(client.get(f"{API}/{USCC}"), 404)
    assert f.total(client, API) == 0


def test_optional_fields_default_to_null(client):
    body = f.created(client.post(API, json=f.employer(USCC)))
    assert body["ownership"] is None
    assert body["size"] is None


def test_name_is_trimmed(client):
    body = f.created(client.post(API, json=f.employer(USCC, name="  华为技术有限公司 ")))
    assert body["name"] == "华为技术有限公司"


def test_a_published_code_is_accepted(client):
    assert f.created(client.post(API, json=f.employer(REAL)))["uscc"] == REAL


@pytest.mark.parametrize(
    "first17",
    [
        "N2330106MF0617307",  # N 农业, 2 村级集体经济组织
        "A1110000MB0123456",  # A 中央军委改革和编制办公室, 1 军队事业单位
        "Y1110000MC1234567",  # Y 其他
        "12100000400000001",  # 1 机构编制, 2 事业单位
    ],
)
def test_codes_of_every_registration_authority_are_accepted(client, first17):
    code = with_check_digit(first17)
    assert f.created(client.post(API, json=f.employer(code)))["uscc"] == code


# --- 统一社会信用代码: validation and normalisation -------------------------------------------


@pytest.mark.parametrize(
    ("variant", "why"),
    [
        (USCC.lower(), "lower case"),
        (f.full_width(USCC), "full width"),
        (f.full_width(USCC.lower()), "full-width lower case"),
        (f" {USCC[:2]} {USCC[2:8]}-{USCC[8:]} ", "blanks and dashes"),
        (USCC[:8] + "\u3000" + USCC[8:], "ideographic space"),
    ],
)
def test_variant_forms_are_stored_upper_case(client, variant, why):
    assert f.created(client.post(API, json=f.employer(variant)))["uscc"] == USCC, why
    assert client.get(f"{API}/{USCC}").status_code == 200


@pytest.mark.parametrize(
    "variant",
    [USCC.lower(), f.full_width(USCC), f.full_width(USCC.lower()), f"{USCC[:8]}-{USCC[8:]}"],
)
def test_same_employer_can_never_be_created_twice(client, variant):
    f.created(client.post(API, json=f.employer(USCC)))
    problem = f.assert_problem(
        client.post(API, json=f.employer(variant, name="另一个名字")), 409, "uscc"
    )
    assert problem["type"] == "urn:jobfair:problem:already-exists"
    assert problem["existing"] == f"{API}/{USCC}"
    assert f.total(client, API) == 1
    assert client.get(f"{API}/{USCC}").json()["name"] == "北京示例科技有限公司"


def test_upper_case_duplicate_of_a_lower_case_creation_is_refused(client):
    f.created(client.post(API, json=f.employer(USCC.lower())))
    problem = f.assert_problem(client.post(API, json=f.employer(USCC)), 409, "uscc")
    assert problem["existing"] == f"{API}/{USCC}"
    assert f.total(client, API) == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (f.with_wrong_check_digit(USCC), "wrong check digit"),
        (f.with_wrong_check_digit(REAL), "wrong check digit"),
        (USCC[:17] + "I", "not well-formed"),  # a forbidden letter as check character
        (USCC[:-1], "must be 18 characters, got 17"),
        (USCC + "0", "must be 18 characters, got 19"),
        ("", "must be 18 characters, got 0"),
        ("911101081234", "must be 18 characters, got 12"),
        (USCC[:9] + "I" + USCC[10:], "not well-formed"),
        (USCC[:9] + "O" + USCC[10:], "not well-formed"),
        (USCC[:9] + "Z" + USCC[10:], "not well-formed"),
        (USCC[:9] + "S" + USCC[10:], "not well-formed"),
        (USCC[:9] + "V" + USCC[10:], "not well-formed"),
        (USCC[:9] + "v" + USCC[10:], "not well-formed"),
        ("91A10108900000001G", "not well-formed"),  # letters in the region code
        ("9I110108900000001G", "not well-formed"),  # forbidden letter as entity type
        ("91110108９0000000#G", "not well-formed"),
        ("北京示例科技有限公司北京示例科技有限", "not well-formed"),
    ],
)
def test_bad_uscc_is_422_naming_uscc_and_writes_nothing(client, code, message):
    problem = f.assert_problem(
        client.post(API, json=f.employer(USCC) | {"uscc": code}), 422, "uscc"
    )
    assert message in errors_of(problem)["uscc"]
    assert f.total(client, API) == 0


@pytest.mark.parametrize("code", [None, 911101089000000010, ["91110108900000001G"], True])
def test_uscc_of_the_wrong_type_is_422(client, code):
    f.assert_problem(client.post(API, json=f.employer(USCC) | {"uscc": code}), 422, "uscc")
    assert f.total(client, API) == 0


# --- province and industry ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("province", "stored"),
    [
        ("11", "11"),
        ("110108", "11"),
        ("北京市", "11"),
        ("北京", "11"),
        ("广西壮族自治区", "45"),
        ("新疆", "65"),
        ("８２００００", "82"),
        (44, "44"),
        (440300, "44"),
    ],
)
def test_province_accepted_as_code_six_digit_code_or_name(client, province, stored):
    body = f.created(client.post(API, json=f.employer(USCC) | {"province": province}))
    assert body["province"] == stored


@pytest.mark.parametrize(
    ("industry", "stored"),
    [
        ("I", "I"),
        ("i", "I"),
        ("ｉ", "I"),
        (" t ", "T"),
        ("信息传输、软件和信息技术服务业", "I"),
        ("教育", "P"),
        ("农、林、牧、渔业", "A"),
    ],
)
def test_industry_accepted_as_letter_in_either_case_or_section_name(client, industry, stored):
    body = f.created(client.post(API, json=f.employer(USCC, industry=industry)))
    assert body["industry"] == stored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("province", "99"),
        ("province", "990000"),
        ("province", "00"),
        ("province", "1101"),
        ("province", "火星"),
        ("province", "北京省"),
        ("province", ""),
        ("province", None),
        ("industry", "U"),
        ("industry", "Z"),
        ("industry", "II"),
        ("industry", "信息技术"),
        ("industry", ""),
        ("industry", 1),
        ("industry", None),
    ],
)
def test_unknown_province_or_industry_is_422_naming_the_field(client, field, value):
    problem = f.assert_problem(client.post(API, json=f.employer(USCC) | {field: value}), 422, field)
    assert list(errors_of(problem)) == [field]
    assert f.total(client, API) == 0


# --- ownership and size -------------------------------------------------------------------


@pytest.mark.parametrize("ownership", [member.value for member in Ownership])
def test_every_ownership_is_accepted(client, ownership):
    body = f.created(client.post(API, json=f.employer(USCC, ownership=ownership)))
    assert body["ownership"] == ownership


@pytest.mark.parametrize("size", [member.value for member in EmployerSize])
def test_every_size_is_accepted(client, size):
    assert f.created(client.post(API, json=f.employer(USCC, size=size)))["size"] == size


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ownership", "国有企业"),  # the ledger label, not the API code
        ("ownership", "State"),
        ("ownership", "soe"),
        ("ownership", ""),
        ("ownership", 1),
        ("size", "huge"),
        ("size", "大型"),
        ("size", "LARGE"),
        ("size", 0),
    ],
)
def test_bad_ownership_or_size_is_422(client, field, value):
    f.assert_problem(client.post(API, json=f.employer(USCC, **{field: value})), 422, field)
    assert f.total(client, API) == 0


# --- other bad input ----------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["uscc", "name", "industry", "province"])
def test_missing_required_field_is_422_naming_it(client, missing):
    payload = f.employer(USCC)
    del payload[missing]
    f.assert_problem(client.post(API, json=payload), 422, missing)
    assert f.total(client, API) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "   "),
        ("name", "名" * 201),
        ("name", "北京\x00科技"),  # PostgreSQL cannot store NUL: refused on both databases
        ("name", None),
        ("name", 42),
        ("legal_person", "张三"),  # unknown field
    ],
)
def test_bad_field_is_422_naming_it(client, field, value):
    f.assert_problem(client.post(API, json=f.employer(USCC) | {field: value}), 422, field)
    assert f.total(client, API) == 0


def test_name_of_200_characters_is_kept_whole(client):
    body = f.created(client.post(API, json=f.employer(USCC, name="名" * 200)))
    assert body["name"] == "名" * 200


# --- PATCH --------------------------------------------------------------------------------


def test_patch_clears_ownership_and_size_with_null(client):
    f.created(client.post(API, json=f.employer(USCC, ownership="state", size="large")))
    body = client.patch(f"{API}/{USCC}", json={"ownership": None, "size": None}).json()
    assert body["ownership"] is None
    assert body["size"] is None
    assert client.get(f"{API}/{USCC}").json()["ownership"] is None


def test_patch_leaves_omitted_fields_alone(client):
    created = f.created(client.post(API, json=f.employer(USCC, ownership="state")))
    body = client.patch(f"{API}/{USCC}", json={"size": "small"}).json()
    assert body == {**created, "size": "small"}


def test_patch_normalises_province_and_industry(client):
    f.created(client.post(API, json=f.employer(USCC)))
    body = client.patch(f"{API}/{USCC}", json={"province": "440300", "industry": "制造业"}).json()
    assert (body["province"], body["industry"]) == ("44", "C")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": None}, "name"),
        ({"industry": None}, "industry"),
        ({"province": None}, "province"),
        ({"name": "  "}, "name"),
        ({"province": "99"}, "province"),
        ({"industry": "Z"}, "industry"),
        ({"ownership": "国有企业"}, "ownership"),
        ({"size": "huge"}, "size"),
        ({"uscc": OTHER}, "uscc"),  # the code is the identity and cannot change
        ({"name": "新名字", "province": "99"}, "province"),  # nothing applied, not even name
    ],
)
def test_bad_patch_is_422_naming_the_field_and_changes_nothing(client, payload, field):
    created = f.created(client.post(API, json=f.employer(USCC, ownership="state")))
    f.assert_problem(client.patch(f"{API}/{USCC}", json=payload), 422, field)
    assert client.get(f"{API}/{USCC}").json() == created


@pytest.mark.parametrize(
    "path_form", [USCC.lower(), f.full_width(USCC), f.full_width(USCC.lower())]
)
def test_get_patch_delete_by_lower_case_or_full_width_path(client, path_form):
    f.created(client.post(API, json=f.employer(USCC)))
    assert client.get(f"{API}/{path_form}").json()["uscc"] == USCC
    patched = client.patch(f"{API}/{path_form}", json={"name": "改名公司"})
    assert patched.status_code == 200, patched.text
    assert client.get(f"{API}/{USCC}").json()["name"] == "改名公司"
    assert client.delete(f"{API}/{path_form}").status_code == 204
    assert f.total(client, API) == 0


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unregistered_employer_is_404(client, method):
    f.created(client.post(API, json=f.employer(OTHER)))
    kwargs = {"json": {"name": "x"}} if method == "PATCH" else {}
    problem = f.assert_problem(client.request(method, f"{API}/{USCC}", **kwargs), 404)
    assert USCC in problem["detail"]
    assert f.total(client, API) == 1


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("bad", [f.with_wrong_check_digit(USCC), USCC[:-1], "not-a-code"])
def test_malformed_uscc_in_path_is_422_naming_uscc(client, method, bad):
    kwargs = {"json": {"name": "x"}} if method == "PATCH" else {}
    problem = f.assert_problem(client.request(method, f"{API}/{bad}", **kwargs), 422, "uscc")
    assert problem["errors"][0]["in"] == "path"


# --- list ---------------------------------------------------------------------------------

_SEED = [
    # (n, province, industry, ownership, name)
    (900000011, "11", "I", "private", "北京字节示例科技有限公司"),
    (900000012, "11", "C", "state", "北京示例制造集团"),
    (900000013, "44", "I", "foreign", "深圳示例软件有限公司"),
    (900000014, "44", "C", "private", "广州示例汽车有限公司"),
    (900000015, "31", "J", None, "上海示例银行"),
]


def _seed(client) -> list[str]:
    codes = []
    for n, province, industry, ownership, name in _SEED:
        payload = f.employer(f.make_uscc(n, province=province), province, industry, name=name)
        if ownership:
            payload["ownership"] = ownership
        codes.append(f.created(client.post(API, json=payload))["uscc"])
    return codes


def _codes(client, **params) -> tuple[int, list[str]]:
    page = client.get(API, params=params).json()
    return page["total"], [employer["uscc"] for employer in page["items"]]


def test_list_is_ordered_by_uscc_with_its_paging(client):
    codes = _seed(client)
    page = client.get(API).json()
    assert page["total"] == 5
    assert [e["uscc"] for e in page["items"]] == sorted(codes)
    assert (page["limit"], page["offset"]) == (50, 0)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"province": "11"}, [0, 1]),
        ({"province": "440000"}, [2, 3]),
        ({"province": "广东"}, [2, 3]),
        ({"province": "65"}, []),
        ({"industry": "I"}, [0, 2]),
        ({"industry": "c"}, [1, 3]),
        ({"industry": "金融业"}, [4]),
        ({"ownership": "private"}, [0, 3]),
        ({"ownership": "state"}, [1]),
        ({"ownership": "other"}, []),
        ({"name": "示例"}, [0, 1, 2, 3, 4]),
        ({"name": "有限公司"}, [0, 2, 3]),
        ({"name": "银行"}, [4]),
        ({"name": "深圳示例软件有限公司"}, [2]),
        ({"name": "不存在"}, []),
        ({"province": "44", "industry": "I"}, [2]),
        ({"province": "11", "ownership": "private", "name": "字节"}, [0]),
        ({"province": "11", "ownership": "foreign"}, []),
    ],
)
def test_list_filters_give_exact_totals(client, params, expected):
    codes = _seed(client)
    assert _codes(client, **params) == (len(expected), sorted(codes[i] for i in expected))


def test_list_pages_through_a_filtered_list(client):
    codes = _seed(client)
    in_beijing = sorted(codes[:2])
    assert _codes(client, province="11", limit=1) == (2, in_beijing[:1])
    assert _codes(client, province="11", limit=1, offset=1) == (2, in_beijing[1:])
    assert _codes(client, province="11", limit=1, offset=2) == (2, [])
    assert _codes(client, limit=1000, offset=3) == (5, sorted(codes)[3:])


def test_name_filter_ignores_case_and_treats_wildcards_literally(client):
    for n, name in [
        (900000021, "100%科技"),
        (900000022, "1000科技"),
        (900000023, "ABC Software"),
        (900000024, "abc_def 咨询"),
    ]:
        f.created(client.post(API, json=f.employer(f.make_uscc(n), name=name)))
    assert _codes(client, name="100%")[0] == 1
    assert _codes(client, name="%")[0] == 1
    assert _codes(client, name="_")[0] == 1
    assert _codes(client, name="abc")[0] == 2
    assert _codes(client, name="SOFTWARE")[0] == 1
    assert _codes(client, name="科技")[0] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"province": "00"}, "province"),
        ({"province": "火星"}, "province"),
        ({"industry": "Z"}, "industry"),
        ({"ownership": "STATE"}, "ownership"),
        ({"ownership": "国有企业"}, "ownership"),
        ({"name": "名" * 201}, "name"),
        ({"name": "a\x00b"}, "name"),
    ],
)
def test_bad_list_filter_is_422_naming_it(client, params, field):
    problem = f.assert_problem(client.get(API, params=params), 422, field)
    assert problem["errors"][0]["in"] == "query"


# --- delete while referenced --------------------------------------------------------------


def _visit(client, uscc: str) -> str:
    f.created(client.post("/api/v1/universities", json=f.university()))
    visit = f.created(client.post("/api/v1/visits", json=f.visit("4111010001", uscc)))
    return f"/api/v1/visits/{visit['id']}"


def _participation(client, uscc: str) -> str:
    event = f.created(client.post("/api/v1/events", json=f.event(participants=[uscc])))
    return f"/api/v1/events/{event['id']}"


def _vacancy(client, uscc: str) -> str:
    vacancy = f.created(client.post("/api/v1/vacancies", json=f.vacancy(uscc)))
    return f"/api/v1/vacancies/{vacancy['id']}"


@pytest.mark.parametrize(
    ("make_reference", "label"),
    [(_visit, "visits"), (_participation, "event participations"), (_vacancy, "vacancies")],
)
def test_delete_refused_while_referenced_and_allowed_once_gone(client, make_reference, label):
    f.created(client.post(API, json=f.employer(USCC)))
    referencing = make_reference(client, USCC)

    problem = f.assert_problem(client.delete(f"{API}/{USCC}"), 409)
    assert problem["type"] == "urn:jobfair:problem:still-referenced"
    assert problem["referenced_by"] == {label: 1}
    assert client.get(f"{API}/{USCC}").status_code == 200
    assert f.total(client, API) == 1

    assert client.delete(referencing).status_code == 204
    assert client.delete(f"{API}/{USCC}").status_code == 204
    f.assert_problem(client.get(f"{API}/{USCC}"), 404)


def test_delete_refusal_counts_every_kind_of_reference(client):
    f.created(client.post(API, json=f.employer(USCC)))
    _visit(client, USCC)
    _participation(client, USCC)
    _participation(client, USCC)
    _vacancy(client, USCC)
    problem = f.assert_problem(client.delete(f"{API}/{USCC}"), 409)
    assert problem["referenced_by"] == {
        "visits": 1,
        "event participations": 2,
        "vacancies": 1,
    }


def test_delete_allowed_once_removed_from_the_events_participants(client):
    f.created(client.post(API, json=f.employer(USCC)))
    event_path = _participation(client, USCC)
    f.assert_problem(client.delete(f"{API}/{USCC}"), 409)
    patched = client.patch(event_path, json={"participants": []})
    assert patched.status_code == 200, patched.text
    assert client.delete(f"{API}/{USCC}").status_code == 204


def test_references_to_another_employer_do_not_block_delete(client):
    f.created(client.post(API, json=f.employer(USCC)))
    f.created(client.post(API, json=f.employer(OTHER, province="44")))
    _vacancy(client, OTHER)
    assert client.delete(f"{API}/{USCC}").status_code == 204
    assert _codes(client) == (1, [OTHER])


# --- service functions --------------------------------------------------------------------


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Employer))


def test_service_create_normalises_and_refuses_duplicates(session):
    employer = service.create_employer(
        session, EmployerCreate(**f.employer(f.full_width(USCC.lower()), province="北京"))
    )
    assert (employer.uscc, employer.province) == (USCC, "11")
    with pytest.raises(AlreadyExists) as raised:
        service.create_employer(session, EmployerCreate(**f.employer(USCC.lower())))
    assert raised.value.extra == {"existing": f"{API}/{USCC}"}
    assert _count(session) == 1


def test_service_update_get_and_delete(session):
    service.create_employer(session, EmployerCreate(**f.employer(USCC, ownership="state")))
    service.update_employer(session, USCC, EmployerUpdate(ownership=None, industry="j"))
    employer = service.get_employer(session, USCC)
    assert (employer.ownership, employer.industry) == (None, "J")
    service.delete_employer(session, USCC)
    assert _count(session) == 0
    with pytest.raises(NotFound):
        service.get_employer(session, USCC)


def test_service_list_filters_and_pages(session):
    for n, province, industry, ownership, name in _SEED:
        service.create_employer(
            session,
            EmployerCreate(
                uscc=f.make_uscc(n, province=province),
                name=name,
                industry=industry,
                province=province,
                ownership=ownership,
            ),
        )
    page = service.list_employers(
        session, PageParams(limit=1, offset=1), industry="I", ownership=None
    )
    assert page["total"] == 2
    assert [e.uscc for e in page["items"]] == [f.make_uscc(900000013, province="44")]
    private = service.list_employers(
        session, PageParams(limit=10, offset=0), ownership=Ownership.PRIVATE, name="汽车"
    )
    assert [e.name for e in private["items"]] == ["广州示例汽车有限公司"]


def test_service_require_employer_names_the_field(session):
    with pytest.raises(UnknownReference) as raised:
        service.require_employer(session, USCC, field="participants[0]")
    assert raised.value.errors[0]["field"] == "participants[0]"


def test_service_refuses_delete_of_referenced_employer(session, client):
    f.created(client.post(API, json=f.employer(USCC)))
    _vacancy(client, USCC)
    with pytest.raises(StillReferenced) as raised:
        service.delete_employer(session, USCC)
    assert raised.value.extra == {"referenced_by": {"vacancies": 1}}
    assert _count(session) == 1
