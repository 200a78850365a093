"""E-mailed links to set a password: a reset the person asks for, an invitation someone else sends.

Issue 14 items 1 and 2. Nobody but the person ever chooses or learns their password: the office, a
coordinator or an import creates the account without one and an invitation goes out (valid 7 days,
re-sendable); a forgotten password is reset through a link valid once, for one hour. A link is a random
256-bit token of which only the SHA-256 is stored (``AccountLink``). Using it sets the password, which
ends the person's other sessions (their fingerprint of the password changes) and API tokens, and makes
every other open link of theirs useless.

Asking for a reset gets the same answer whether or not the address exists; the requests are limited
per address and per client (``ThrottleHit``), so the form cannot be used to flood someone's inbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from training_hub.accounts.passwords import validate_new_password
from training_hub.accounts.service import normalise_email, store_password
from training_hub.accounts.tables import AccountLink, ThrottleHit
from training_hub.core import events
from training_hub.core.audit import record_audit_event
from training_hub.core.db import lock_for_update, write_transaction
from training_hub.core.errors import NotFound, TooManyAttempts, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.security import hash_secret, new_secret
from training_hub.core.settings import get_settings
from training_hub.core.tables import Person
from training_hub.core.timeutil import to_rome, utcnow

RESET_ACTION = "password_reset"
RESET_ACCEPTED = N_("Se l'indirizzo è registrato, riceverai un'e-mail con un link valido per un'ora.")


class LinkPurpose(StrEnum):
    RESET = "reset"
    INVITATION = "invitation"


@dataclass(frozen=True)
class OpenLink:
    """A valid link, as the page that sets the password needs it."""

    id: int
    person_id: int
    purpose: str
    full_name: str
    email: str


def link_url(token: str) -> str:
    return f"{get_settings().base_url}/password/reset?token={token}"


async def _create_link(person_id: int, purpose: str, ttl_seconds: int, created_by: int | None) -> tuple[str, object]:
    token = new_secret(32)
    now = utcnow()
    expires_at = now + timedelta(seconds=ttl_seconds)
    await AccountLink.insert(AccountLink(
        person=person_id, purpose=purpose, token_hash=hash_secret(token), created_at=now, expires_at=expires_at,
        created_by=created_by,
    ))
    return token, expires_at


async def _close_open_links(person_id: int, purpose: str | None = None) -> None:
    query = AccountLink.update({AccountLink.used_at: utcnow()}).where(
        (AccountLink.person == person_id) & AccountLink.used_at.is_null()
    )
    if purpose is not None:
        query = query.where(AccountLink.purpose == purpose)
    await query


async def _throttle_reset(email: str, client: str) -> None:
    settings = get_settings()
    since = utcnow() - timedelta(hours=1)
    recent = ThrottleHit.count().where((ThrottleHit.action == RESET_ACTION) & (ThrottleHit.at > since))
    by_email = await recent.where(ThrottleHit.email == email)
    by_client = await ThrottleHit.count().where(
        (ThrottleHit.action == RESET_ACTION) & (ThrottleHit.at > since) & (ThrottleHit.client == client))
    if by_email >= settings.password_reset_max_per_email or by_client >= settings.password_reset_max_per_client:
        raise TooManyAttempts(N_("Troppe richieste di nuova password: riprova tra un'ora."), retry_after=3600)
    await ThrottleHit.insert(ThrottleHit(action=RESET_ACTION, email=email, client=client))


async def request_password_reset(email: str, *, client: str) -> None:
    """E-mail a reset link to the active person with this address, if there is one; the caller answers
    the same either way (202). TooManyAttempts past the limits, whether or not the address exists."""
    email = normalise_email(email)[:254]
    client = (client or "unknown")[:64]
    await _throttle_reset(email, client)
    person = await Person.select(Person.id, Person.full_name, Person.email).where(
        (Person.email == email) & (Person.active.eq(True))
    ).first()
    if person is None:
        return
    async with write_transaction():
        token, _ = await _create_link(person["id"], LinkPurpose.RESET, get_settings().password_reset_ttl_seconds, None)
        await events.account_mail.send(
            kind="password_reset",
            person_id=person["id"],
            to_email=person["email"],
            subject="Training Hub: imposta una nuova password",
            body=(
                f"Buongiorno {person['full_name']},\n\n"
                "abbiamo ricevuto una richiesta di nuova password per il tuo account Training Hub. "
                "Per sceglierla apri questo link entro un'ora (funziona una volta sola):\n\n"
                f"{link_url(token)}\n\n"
                "Se non sei stato tu, ignora questo messaggio: la password attuale resta valida.\n"
            ),
            dedupe_key=None,
        )
        await record_audit_event("person.password_reset_requested", actor_id=None, entity="person",
                                 entity_id=person["id"])


def _invitation_body(full_name: str, token: str, expires_at: Any) -> str:
    until = to_rome(expires_at).strftime("%d/%m/%Y alle %H:%M")
    return (
        f"Buongiorno {full_name},\n\n"
        "è stato creato per te un account su Training Hub, la piattaforma della formazione del "
        "Consorzio Sociale Light. Per entrare scegli la tua password da questo link "
        f"(valido fino al {until}, una volta sola):\n\n{link_url(token)}\n\n"
        "Nessun altro conosce la tua password. Se il link è scaduto, chiedi un nuovo invito "
        "all'ufficio formazione o usa \"Hai dimenticato la password?\" nella pagina di accesso.\n"
    )


INVITATION_SUBJECT = "Benvenuto in Training Hub: scegli la tua password"


async def send_invitation(actor: CurrentUser, person_id: int) -> None:
    """Invite the person to set their own password (valid 7 days); earlier invitations stop working.

    The caller has checked that ``actor`` may manage the person (the directory's rules)."""
    person = await Person.select(Person.id, Person.full_name, Person.email, Person.active).where(
        Person.id == person_id).first()
    if person is None or not person["active"]:
        raise NotFound(N_("Persona non trovata."))
    ttl = get_settings().invitation_ttl_seconds
    async with write_transaction():
        await _close_open_links(person_id, LinkPurpose.INVITATION)
        token, expires_at = await _create_link(person_id, LinkPurpose.INVITATION, ttl, actor.id or None)
        await events.account_mail.send(
            kind="invitation", person_id=person_id, to_email=person["email"], subject=INVITATION_SUBJECT,
            body=_invitation_body(person["full_name"], token, expires_at), dedupe_key=None,
        )
        await record_audit_event("person.invited", actor_id=actor.id, entity="person", entity_id=person_id)


async def invite_many(actor: CurrentUser, people: list[dict[str, Any]]) -> None:
    """Invitations for people just created (an import), inside the caller's transaction: the links and
    the e-mails a few hundred per statement."""
    now = utcnow()
    expires_at = now + timedelta(seconds=get_settings().invitation_ttl_seconds)
    tokens = {person["id"]: new_secret(32) for person in people}
    links = [AccountLink(person=person["id"], purpose=LinkPurpose.INVITATION, token_hash=hash_secret(tokens[person["id"]]),
                         created_at=now, expires_at=expires_at, created_by=actor.id or None) for person in people]
    for first in range(0, len(links), 500):
        await AccountLink.insert(*links[first:first + 500])
    await events.account_mail_batch.send(messages=[
        {"kind": "invitation", "person_id": person["id"], "to_email": person["email"], "subject": INVITATION_SUBJECT,
         "body": _invitation_body(person["full_name"], tokens[person["id"]], expires_at)}
        for person in people
    ])


INVALID_LINK = N_("Il link non è valido o è scaduto. Chiedi un nuovo link dalla pagina di accesso.")


async def open_link(token: str) -> OpenLink:
    """The person a valid link is for; NotFound for an unknown, used or expired link."""
    if not token or len(token) > 128:
        raise NotFound(INVALID_LINK)
    row = await AccountLink.select(
        AccountLink.id, AccountLink.person, AccountLink.purpose, AccountLink.expires_at, AccountLink.used_at,
        AccountLink.person.full_name, AccountLink.person.email, AccountLink.person.active,
    ).where(AccountLink.token_hash == hash_secret(token)).first()
    if row is None or row["used_at"] is not None or row["expires_at"] <= utcnow() or not row["person.active"]:
        raise NotFound(INVALID_LINK)
    return OpenLink(id=row["id"], person_id=row["person"], purpose=row["purpose"],
                    full_name=row["person.full_name"], email=row["person.email"])


async def set_password_with_link(token: str, password: str, confirm: str) -> OpenLink:
    """Set the password through a link (once): every other session, API token and link of the person ends."""
    link = await open_link(token)
    validate_new_password(password, email=link.email, full_name=link.full_name, field="new_password")
    if password != confirm:
        raise ValidationFailed(N_("Le due password non coincidono."), field="confirm_password")
    async with write_transaction():
        locked = await lock_for_update(AccountLink.select(AccountLink.used_at).where(AccountLink.id == link.id))
        if not locked or locked[0]["used_at"] is not None:
            raise NotFound(INVALID_LINK)  # used by a request at the same instant
        await _close_open_links(link.person_id)
        await store_password(link.person_id, password)
        await record_audit_event(
            "person.password_set_by_link", actor_id=link.person_id, entity="person", entity_id=link.person_id,
            data={"purpose": link.purpose},
        )
    return link
