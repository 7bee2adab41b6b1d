"""A change to a record checked before it is made."""

from typing import Any

from sqlalchemy import inspect


def changed_copy(record: Any, changes: dict[str, Any]) -> Any:
    """A copy of `record` with `changes` made, that no session knows of: checked by the rules
    a service checks a record by, it says whether the change would be refused, and changes
    nothing (an import checks every row of a ledger before it writes any)."""
    model = type(record)
    fields = {
        attribute.key: getattr(record, attribute.key) for attribute in inspect(model).column_attrs
    }
    return model(**(fields | changes))
