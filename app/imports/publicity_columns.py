"""The columns of the ledgers of policy publicity that a request body does not have as they
are: a ledger names a measure's city (城市) by its code or by its name (武汉市, or 武汉), as it
names a province, and an export writes the name (app/imports/exports.py)."""

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from app.publicity.cities import CITIES, normalise_city
from app.publicity.schemas import MeasureCreate
from app.reference.codes import as_text

# Every city-level division's name is unique in the table, with or without its 市.
_BY_NAME = {name: code for code, name in CITIES.items()}
_BY_NAME |= {name.removesuffix("市"): code for code, name in CITIES.items() if name.endswith("市")}


def city_code(value: str) -> str:
    """The code of a city given by its code or its name."""
    text = str(value).strip()
    return normalise_city(_BY_NAME.get(text, text))


LedgerCity = Annotated[str, BeforeValidator(as_text), AfterValidator(city_code)]


class MeasureRow(MeasureCreate):
    """A measure as a ledger row gives it: its city by code or by name."""

    city: LedgerCity | None = None
