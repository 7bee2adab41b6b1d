import pytest

from app.reference.codes import (
    normalise_industry,
    normalise_province,
    normalise_university_code,
    normalise_uscc,
)
from app.reference.data import INDUSTRIES, PROVINCE_SHORT_NAMES, PROVINCES

API = "/api/v1/reference"

# GB/T 2260 province-level prefixes, in the standard's order.
PROVINCE_CODES = [
    "11", "12", "13", "14", "15",
    "21", "22", "23",
    "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46",
    "50", "51", "52", "53", "54",
    "61", "62", "63", "64", "65",
    "71", "81", "82",
]  # fmt: skip


# --- the tables over HTTP -----------------------------------------------------------------


def test_provinces_are_the_34_divisions_in_gb_t_2260_order(client):
    response = client.get(f"{API}/provinces")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    rows = response.json()
    assert len(rows) == 34
    assert [row["code"] for row in rows] == PROVINCE_CODES
    assert rows[0] == {"code": "11", "name": "北京市", "short_name": "北京"}
    assert rows[-1] == {"code": "82", "name": "澳门特别行政区", "short_name": "澳门"}


@pytest.mark.parametrize(
    "row",
    [
        {"code": "15", "name": "内蒙古自治区", "short_name": "内蒙古"},
        {"code": "23", "name": "黑龙江省", "short_name": "黑龙江"},
        {"code": "44", "name": "广东省", "short_name": "广东"},
        {"code": "45", "name": "广西壮族自治区", "short_name": "广西"},
        {"code": "54", "name": "西藏自治区", "short_name": "西藏"},
        {"code": "65", "name": "新疆维吾尔自治区", "short_name": "新疆"},
        {"code": "71", "name": "台湾省", "short_name": "台湾"},
        {"code": "81", "name": "香港特别行政区", "short_name": "香港"},
    ],
)
def test_province_rows_carry_name_and_short_name(client, row):
    assert row in client.get(f"{API}/provinces").json()


def test_industries_are_the_20_sections_a_to_t(client):
    response = client.get(f"{API}/industries")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 20
    assert [row["code"] for row in rows] == list("ABCDEFGHIJKLMNOPQRST")
    assert rows[0] == {"code": "A", "name": "农、林、牧、渔业"}
    assert rows[-1] == {"code": "T", "name": "国际组织"}


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("C", "制造业"),
        ("F", "批发和零售业"),
        ("I", "信息传输、软件和信息技术服务业"),
        ("J", "金融业"),
        ("M", "科学研究和技术服务业"),
        ("P", "教育"),
        ("S", "公共管理、社会保障和社会组织"),
    ],
)
def test_industry_rows_carry_the_section_name(client, code, name):
    assert {"code": code, "name": name} in client.get(f"{API}/industries").json()


# --- normalise_province -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("11", "11"),
        ("65", "65"),
        ("82", "82"),
        ("110000", "11"),
        ("110108", "11"),  # a district of Beijing: reduced to its province
        ("440300", "44"),
        ("710000", "71"),
        ("820000", "82"),
        ("北京市", "11"),
        ("北京", "11"),
        ("内蒙古自治区", "15"),
        ("内蒙古", "15"),
        ("宁夏", "64"),
        ("澳门特别行政区", "82"),
        ("  上海 ", "31"),
        ("４４", "44"),  # full-width digits
        ("４４０３００", "44"),
    ],
)
def test_normalise_province(value, code):
    assert normalise_province(value) == code


@pytest.mark.parametrize(("code", "name"), PROVINCES.items())
def test_every_province_by_name_short_name_and_six_digit_code(code, name):
    assert normalise_province(name) == code
    assert normalise_province(PROVINCE_SHORT_NAMES[code]) == code
    assert normalise_province(f"{code}0000") == code


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "1",
        "00",
        "10",
        "16",
        "66",
        "72",
        "80",
        "83",
        "99",
        "110",
        "1101",
        "11010",
        "1100000",
        "990000",
        "11a",
        "北京省",
        "Beijing",
        "北",
    ],
)
def test_normalise_province_refuses_unknown(value):
    with pytest.raises(ValueError, match="unknown province"):
        normalise_province(value)


# --- normalise_industry -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("I", "I"),
        ("i", "I"),
        ("ｉ", "I"),  # full-width
        ("Ｉ", "I"),
        (" T ", "T"),
        ("a", "A"),
        ("信息传输、软件和信息技术服务业", "I"),
        ("农、林、牧、渔业", "A"),
        ("国际组织", "T"),
    ],
)
def test_normalise_industry(value, code):
    assert normalise_industry(value) == code


@pytest.mark.parametrize(("code", "name"), INDUSTRIES.items())
def test_every_industry_by_letter_in_either_case_and_name(code, name):
    assert normalise_industry(code) == code
    assert normalise_industry(code.lower()) == code
    assert normalise_industry(name) == code


@pytest.mark.parametrize(
    "value", ["", "U", "Z", "AB", "1", "I.", "信息技术", "制造", "信息传输,软件和信息技术服务业"]
)
def test_normalise_industry_refuses_unknown(value):
    with pytest.raises(ValueError, match="unknown industry"):
        normalise_industry(value)


# --- normalise_uscc -----------------------------------------------------------------------

USCC = "91110000600037341L"


@pytest.mark.parametrize(
    "value",
    [
        USCC,
        USCC.lower(),
        "９１１１００００６０００３７３４１Ｌ",
        "９１１１００００６０００３７３４１ｌ",
        "91 110000 600037341L",
        "91-110000-600037341L",
        f"  {USCC}\n",
    ],
)
def test_normalise_uscc_folds_to_upper_case_ascii(value):
    assert normalise_uscc(value) == USCC


@pytest.mark.parametrize("code", ["N2330106MF0617307D", "A1110000MB0123456Q", "Y1110000MC1234567P"])
def test_normalise_uscc_accepts_letters_for_authority_and_type(code):
    assert normalise_uscc(code) == code


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("91110000600037341A", "wrong check digit"),
        ("N2330106MF0617307E", "wrong check digit"),
        ("91110000600037341", "must be 18 characters, got 17"),
        ("", "must be 18 characters, got 0"),
        ("91110000600037341LL", "must be 18 characters, got 19"),
        ("91110000600O37341L", "not well-formed"),
        ("91110000600037341I", "not well-formed"),
        ("9111000060003734ZL", "not well-formed"),
        ("91S10000600037341L", "not well-formed"),
        ("9V110000600037341L", "not well-formed"),
        ("91110000_60003734L", "not well-formed"),
    ],
)
def test_normalise_uscc_refuses(value, message):
    with pytest.raises(ValueError, match=message):
        normalise_uscc(value)


# --- normalise_university_code ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("4111010001", "4111010001"),
        ("４１３１０１０２６４", "4131010264"),
        (" 4144010558 ", "4144010558"),
    ],
)
def test_normalise_university_code(value, code):
    assert normalise_university_code(value) == code


@pytest.mark.parametrize(
    "value", ["", "5111010001", "411101000", "41110100011", "411101000A", "4111 010001"]
)
def test_normalise_university_code_refuses(value):
    with pytest.raises(ValueError, match="10 digits starting with 4"):
        normalise_university_code(value)
