"""Personal data in ledgers (the graduates in difficulty and their services): what a cell of a
居民身份证号 or 手机号码 column may hold, and how it is shown back.

- A masked cell, as exports write them (430102********0016, 139****0002, a name 张**), stands
  for the value the record has: a row that names its record (系统编号, or 台账编号) leaves it
  as it is. It is a `Masked` string, which the writers tell apart from a full value.
- Nothing a ledger's sender gets back (a job's errors, its error sheet) holds a full number:
  the cells of a number column are shown masked, whether they are valid numbers or not, and
  every other cell of these ledgers is scrubbed of any number typed into it.
"""

import re
import unicodedata
from typing import Any

from app.privacy.numbers import scrub

# The kinds of ledger that hold personal data, and their number columns (by field).
PERSONAL_KINDS = ("assisted_graduates", "assistance_services")
NUMBER_FIELDS = frozenset({"id_number", "phone"})
# Columns whose masked form stands for the record's value, per kind.
MASKABLE: dict[str, frozenset[str]] = {
    "assisted_graduates": frozenset({"name", "id_number", "phone"}),
    "assistance_services": frozenset({"id_number"}),
}
_MASKED_SHAPES = {
    "id_number": re.compile(r"\d{6}\*{8}[\dX]{4}"),
    "phone": re.compile(r"1\d{2}\*{4}\d{4}"),
    "name": re.compile(r"\S\*+"),
}


class Masked(str):
    """A masked cell (430102********0016): the record's value, left as it is."""


class NotMasked(ValueError):
    """A cell with '*' in it that is not a masked form of its column."""


def masked_cell(field: str, text: str) -> Masked | None:
    """The cell as a masked value, if it holds '*' (None: it does not, read it as a value);
    NotMasked if it holds one but not in the masked form of `field`."""
    if "*" not in text:
        return None
    folded = unicodedata.normalize("NFKC", text).strip().upper()
    if field != "name":
        folded = folded.replace(" ", "").replace("-", "")
    if not _MASKED_SHAPES[field].fullmatch(folded):
        raise NotMasked(field)
    return Masked(folded)


def hidden(field: str, cell: Any) -> str | None:
    """A cell of a number column as it may be shown back: masked, valid or not (the region
    and last four of an ID number, the first three and last four of a phone; all of a short
    one hidden)."""
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip()
    if "*" in text and len(text.replace("*", "")) <= 10:
        return text  # masked already
    keep_front, keep_back, at_least = (6, 4, 14) if field == "id_number" else (3, 4, 9)
    if len(text) < at_least:
        return "*" * len(text)
    return text[:keep_front] + "*" * (len(text) - keep_front - keep_back) + text[-keep_back:]


def shown_text(cell: Any) -> Any:
    """Any other cell of these ledgers as it may be shown back: text (and a whole number,
    which a spreadsheet may hold a phone as) scrubbed of numbers typed into it."""
    if isinstance(cell, bool) or cell is None:
        return cell
    if isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
        return scrub(text) if scrub(text) != text else cell
    if isinstance(cell, int):
        text = str(cell)
        return scrub(text) if scrub(text) != text else cell
    if isinstance(cell, str):
        return scrub(cell)
    return cell


def shown_cell(field: str | None, cell: Any) -> Any:
    """A cell of a column of `field` (None: a column no field reads) as it may be shown."""
    if field in NUMBER_FIELDS:
        return hidden(field, cell)
    return shown_text(cell)


# Why a number is refused, in Chinese, from the validator's English (which never quotes it).
_REASONS = (
    ("18 characters", "应为18位"),
    ("check digit", "校验码不正确（GB 11643-1999）"),
    ("birth date", "出生日期或地区码不正确"),
    ("17 digits", "应为17位数字加1位校验码"),
    ("mainland mobile", "应为11位大陆手机号码（13–19开头）"),
)


def number_reason(english: str) -> str:
    return next((chinese for key, chinese in _REASONS if key in english), "格式不正确")
