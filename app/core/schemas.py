import datetime as dt
from typing import Annotated, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)


def refuse_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refusing it here keeps both databases answering alike.
    if "\x00" in value:
        raise ValueError("must not contain NUL (\\x00) characters")
    return value


def refuse_list_joiner(value: str) -> str:
    # A ledger's cell of majors joins them with '；' (app/imports/columns.py): a major that held
    # one would come back from an export as two.
    if "；" in value:
        raise ValueError("must not contain '；', which separates majors")
    return value


def _text(max_length: int, min_length: int = 1) -> tuple:
    """Blank-trimmed text of bounded length that any database can store."""
    return (
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(refuse_nul),
    )


# The free text of a record (names, titles): never empty.
Name = Annotated[str, *_text(200)]
# Part of a name, as a search filter.
NameFragment = Annotated[str, *_text(200, min_length=0)]
Notes = Annotated[str, *_text(2000, min_length=0)]
# A ledger's own row id (台账编号), unique per university.
ExternalRef = Annotated[str, *_text(64)]
Major = Annotated[str, *_text(100), AfterValidator(refuse_list_joiner)]
Majors = Annotated[list[Major], Field(max_length=100)]


def as_utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back the UTC moments it stored without their zone.
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


# A stored moment, answered with its zone (UTC).
UtcDateTime = Annotated[dt.datetime, AfterValidator(as_utc)]


class InputModel(BaseModel):
    """A request body: unknown fields are refused, so a misspelt field is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid")


class PatchModel(InputModel):
    """A partial update: omitted fields stay as they are; `null` clears only the fields in `nullable`."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null_for_required(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError("is required and cannot be null")
        return value

    def changes(self) -> dict:
        return self.model_dump(exclude_unset=True)


MAX_ID = 2**63 - 1
# A record id in a body; bounded so that no number reaches the database as an overflow.
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
