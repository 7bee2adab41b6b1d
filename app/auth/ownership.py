"""Whose a record is, when it is written: set from the token, never taken from the body. A
university writes its own records; a province its department's (no university, its own
province); national staff write for anyone."""

from app.auth.principal import Principal, Reach
from app.core.errors import Forbidden


def owning_university(
    who: Principal, requested: str | None, field: str = "university_code"
) -> str | None:
    """The university a record written by `who` belongs to: a university's own (the body may
    repeat it, or leave it out), none for a province's department, as asked for national."""
    reach = who.reach
    if reach.university is not None:
        if requested not in (None, reach.university):
            raise Forbidden(
                f"This token writes the records of university {reach.university} only; "
                f"leave {field} out, or give {reach.university}.",
                field=field,
            )
        return reach.university
    if reach.province is not None:
        if requested is not None:
            raise Forbidden(
                "A province's records are its department's own: leave "
                f"{field} out (a university records its own).",
                field=field,
            )
        return None
    return requested


def owning_province(who: Principal, requested: str | None, field: str = "province") -> str | None:
    """The province of a record a province's department writes: its own. Others as asked."""
    reach = who.reach
    if reach.province is not None and reach.university is None:
        if requested not in (None, reach.province):
            raise Forbidden(
                f"This token writes the records of province {reach.province} only; leave "
                f"{field} out, or give {reach.province}.",
                field=field,
            )
        return reach.province
    return requested


def owned_fields(who: Principal | None, changes: dict) -> dict:
    """A record's `changes` with its owner's fields (university_code, province) as `who` may
    write them (403 naming the field otherwise). `who` None (the command line, the demo
    loader): as given."""
    if who is None:
        return changes
    owned = dict(changes)
    if "university_code" in owned:
        owned["university_code"] = owning_university(who, owned["university_code"])
    if "province" in owned:
        owned["province"] = owning_province(who, owned["province"])
    return owned


def refuse_unless_own(reach: Reach, university_code: str | None, what: str) -> None:
    """A province reads the records of its universities, but changes only its department's
    own (those of no university): 403 otherwise."""
    if reach.province is not None and reach.university is None and university_code is not None:
        raise Forbidden(
            f"{what} is university {university_code}'s record: only it, or national staff, "
            "may change it."
        )
