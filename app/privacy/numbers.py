"""居民身份证号 and mobile numbers: validated, normalised, masked; and free text scrubbed of
any that were typed into it."""

import re
import unicodedata

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

_PHONE = re.compile(r"1[3-9]\d{9}")
# Runs of characters that may be an ID number or a phone inside free text.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")


def _folded(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().replace(" ", "").replace("-", "")


def normalise_id_number(value: str) -> str:
    """The 18-character number, upper-case X; ValueError (never quoting the number) when it is
    not one: its length, birth date or GB 11643-1999 check digit is wrong."""
    number = _folded(value).upper()
    if len(number) != 18:
        raise ValueError(f"居民身份证号 must be 18 characters, got {len(number)}")
    try:
        return ric.validate(number)
    except stdnum_errors.InvalidChecksum:
        raise ValueError("居民身份证号 has a wrong check digit (GB 11643-1999)") from None
    except stdnum_errors.InvalidComponent:
        raise ValueError("居民身份证号 holds no valid birth date or region") from None
    except stdnum_errors.ValidationError:
        raise ValueError("居民身份证号 must be 17 digits and a check character") from None


def normalise_phone(value: str) -> str:
    """A mainland mobile number, 11 digits (a leading +86 is dropped)."""
    number = _folded(value).removeprefix("+86")
    if len(number) == 13 and number.startswith("86"):
        number = number[2:]
    if not _PHONE.fullmatch(number):
        raise ValueError("phone must be a mainland mobile number: 11 digits starting 13–19")
    return number


def gender_of(id_number: str) -> str:
    """GB 11643: the 17th character is odd for men, even for women."""
    return "male" if int(id_number[16]) % 2 else "female"


def mask_id_number(id_number: str) -> str:
    """110101********1234: the region and the last four, the birth date hidden."""
    return f"{id_number[:6]}********{id_number[-4:]}"


def mask_phone(phone: str) -> str:
    """138****5678."""
    return f"{phone[:3]}****{phone[-4:]}"


def mask_name(name: str) -> str:
    """张三 -> 张*; 欧阳娜娜 -> 欧***: the family name's first character and the length."""
    return name[:1] + "*" * max(len(name) - 1, 1)


def scrub(text: str) -> str:
    """`text` with every ID number or mobile number in it masked: free text (notes, reasons, a
    ledger's cell echoed in an error) never carries one out."""
    text = _ID_IN_TEXT.sub(lambda found: mask_id_number(found.group().upper()), text)
    return _PHONE_IN_TEXT.sub(lambda found: mask_phone(found.group()[-11:]), text)
