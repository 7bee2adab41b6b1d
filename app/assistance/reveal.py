"""Revealing one graduate's full ID number and phone: for a person (an account, never an API
token) of the graduate's own university who holds the permission, with a reason; each time
written to the audit log (the reason scrubbed of any number typed into it)."""

from sqlalchemy.orm import Session

from app.assistance.schemas import Revealed
from app.assistance.service import get_graduate
from app.audit import service as audit
from app.auth.principal import Principal
from app.core.errors import Forbidden, Gone
from app.privacy.cipher import get_cipher
from app.privacy.numbers import scrub

REVEAL = "reveal"


def may_reveal(who: Principal, university_code: str) -> None:
    """403 unless `who` may see the full numbers of `university_code`'s graduates."""
    if who.kind != "account" or not who.may_reveal_personal_data:
        raise Forbidden(
            "Revealing personal data needs an account granted may_reveal_personal_data "
            "(PATCH /api/v1/auth/accounts/{id}); API tokens never may."
        )
    if who.reach.university != university_code:
        raise Forbidden("Only the graduate's own university may reveal their personal data.")


def reveal(
    session: Session,
    graduate_id: int,
    who: Principal,
    reason: str,
    request: audit.RequestInfo,
) -> Revealed:
    graduate = get_graduate(session, graduate_id, who.reach)
    may_reveal(who, graduate.university_code)
    if graduate.deidentified_at is not None:
        raise Gone(f"Graduate {graduate_id} has been de-identified: nothing is left to reveal.")
    cipher = get_cipher()
    shown = Revealed(
        id=graduate.id,
        id_number=cipher.decrypt(graduate.id_number_cipher) if graduate.id_number_cipher else None,
        phone=cipher.decrypt(graduate.phone_cipher) if graduate.phone_cipher else None,
    )
    audit.record(
        session,
        who,
        request,
        action=REVEAL,
        resource_id=graduate.id,
        detail=f"reason: {scrub(reason)}",
    )
    session.flush()
    return shown
