from typing import Annotated, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

# A ledger's own row id (台账编号), unique per university.
ExternalRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Major = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Majors = Annotated[list[Major], Field(max_length=100)]


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
