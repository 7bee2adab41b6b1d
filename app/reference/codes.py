"""Parsing and validation of the ecosystem's reference codes (SPEC.md, "Reference codes").

Each `normalise_*` function answers the canonical form or raises ValueError with a message fit
for an API client; the Annotated types apply them to pydantic fields and query parameters.
"""

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator
from stdnum.cn import uscc as stdnum_uscc

from app.reference.data import INDUSTRIES, PROVINCE_SHORT_NAMES, PROVINCES

_PROVINCE_BY_NAME = {name: code for code, name in PROVINCES.items()} | {
    name: code for code, name in PROVINCE_SHORT_NAMES.items()
}
_INDUSTRY_BY_NAME = {name: code for code, name in INDUSTRIES.items()}
_UNIVERSITY_CODE = re.compile(r"4\d{9}")
# GB 32100-2015: registration authority and entity type (letters too: A1 military, N2 village
# collectives, Y1 other), 6-digit region, 9-character organisation code, check character; the
# alphabet leaves out I, O, Z, S and V.
_USCC_CHAR = "[0-9A-HJ-NP-RTUWXY]"
_USCC = re.compile(rf"{_USCC_CHAR}{{2}}\d{{6}}{_USCC_CHAR}{{10}}")


def fold(value: str) -> str:
    """Full-width forms to ASCII (ＡＢ１ -> AB1), surrounding blanks removed."""
    return unicodedata.normalize("NFKC", value).strip()


def normalise_uscc(value: str) -> str:
    code = fold(value).upper().replace(" ", "").replace("-", "")
    if len(code) != 18:
        raise ValueError(f"统一社会信用代码 must be 18 characters, got {len(code)}")
    # python-stdnum's validate() wants digits in the first two places, refusing valid codes such
    # as N2…; only its check-digit computation is used.
    if not _USCC.fullmatch(code):
        raise ValueError(f"统一社会信用代码 {code} is not well-formed (GB 32100-2015)")
    if code[-1] != stdnum_uscc.calc_check_digit(code[:-1]):
        raise ValueError(f"统一社会信用代码 {code} has a wrong check digit (GB 32100-2015)")
    return code


def normalise_university_code(value: str) -> str:
    code = fold(value)
    if not _UNIVERSITY_CODE.fullmatch(code):
        raise ValueError("学校标识码 must be 10 digits starting with 4, e.g. 4111010001")
    return code


def normalise_province(value: str) -> str:
    text = fold(value)
    if text in _PROVINCE_BY_NAME:
        return _PROVINCE_BY_NAME[text]
    if text.isdigit() and len(text) in (2, 6):
        prefix = text[:2]
        if prefix in PROVINCES:
            return prefix
    raise ValueError(
        f"unknown province {text!r}: expected a GB/T 2260 code (2 or 6 digits, e.g. 11 or 110000) "
        "or a province name"
    )


def normalise_industry(value: str) -> str:
    text = fold(value)
    letter = text.upper()
    if len(letter) == 1 and letter in INDUSTRIES:
        return letter
    if text in _INDUSTRY_BY_NAME:
        return _INDUSTRY_BY_NAME[text]
    raise ValueError(
        f"unknown industry {text!r}: expected a GB/T 4754-2017 section letter A–T or its name"
    )


def as_text(value: object) -> object:
    # Codes are text, but a client may send 11 as a number.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Uscc = Annotated[str, BeforeValidator(as_text), AfterValidator(normalise_uscc)]
UniversityCode = Annotated[str, BeforeValidator(as_text), AfterValidator(normalise_university_code)]
ProvinceCode = Annotated[str, BeforeValidator(as_text), AfterValidator(normalise_province)]
IndustryCode = Annotated[str, BeforeValidator(as_text), AfterValidator(normalise_industry)]
