from enum import StrEnum

from sqlalchemy import Enum as SAEnum


class LabelledEnum(StrEnum):
    """A code the API speaks, with the Chinese label ledgers use: `STATE = "state", "国有企业"`."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


def enum_type(enum_cls: type[LabelledEnum], name: str) -> SAEnum:
    """Stored as its code in a VARCHAR with a CHECK constraint: portable, readable in SQL."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_cls),
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )
