"""City-level divisions (地市级单位) by their 6-digit GB/T 2260 code: prefecture-level cities,
地区, 自治州 and 盟 (codes XXYY00), and the county-level units a province administers directly
(XX90ZZ), which provinces count among their cities as Hubei does (仙桃, 潜江, 天门 and 神农架林区
among its 17 市(州)).

Read from the table of GB/T 2260 codes that python-stdnum ships (stdnum/cn/loc.dat, pinned in
pyproject.toml), which keeps each code's history ("[1994-1995]荆沙市,[2010-]荆州市"): a code is
current when its last name has no closing year. Two of its Hubei entries are stale without
saying so, and are left out."""

import re
from importlib import resources

# Current names in the table that no longer are: 422900 林区 (神农架, 429021 since 1986) and
# 429001 随州市 (a prefecture-level city, 421300, since 2000).
_STALE = {"422900", "429001"}
# Grouping entries (市辖区, 县, 省直辖县级行政单位…), not divisions.
_GROUPS = re.compile(r"市辖区|县|.*直辖县级行政(单位|区划)")
_NAMED = re.compile(r'\s+(\d{4}) county="(.*)"')
_YEARS = re.compile(r"\[(\d*)-(\d*)\](.*)")


def _current_name(names: str) -> str | None:
    last = names.split(",")[-1]
    years = _YEARS.fullmatch(last)
    if years is None:
        return last
    return None if years.group(2) else years.group(3)


def _city_level(rest: str) -> bool:
    return (rest.endswith("00") and rest not in ("0000", "9000")) or (
        rest.startswith("90") and rest != "9000"
    )


def _read() -> dict[str, str]:
    cities: dict[str, str] = {}
    province = ""
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line[:2].isdigit():
            province = line[:2]
            continue
        named = _NAMED.match(line)
        if named is None or not _city_level(named.group(1)):
            continue
        code, name = province + named.group(1), _current_name(named.group(2))
        if name and code not in _STALE and not _GROUPS.fullmatch(name):
            cities[code] = name
    return cities


# {code: name}, in code order.
CITIES: dict[str, str] = _read()


def cities_of(province: str) -> dict[str, str]:
    return {code: name for code, name in CITIES.items() if code[:2] == province}


def normalise_city(value: str) -> str:
    code = str(value).strip()
    if code not in CITIES:
        raise ValueError(
            f"unknown city {code!r}: expected the 6-digit GB/T 2260 code of a city-level "
            "division (地级市, 地区, 自治州, 盟, or a county-level unit its province administers "
            "directly), e.g. 420100 for 武汉市"
        )
    return code
