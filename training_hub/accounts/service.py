"""Logging in, API tokens and passwords."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta

from training_hub.accounts import throttle
from training_hub.accounts.passwords import validate_new_password
from training_hub.core.audit import record_audit_event
from training_hub.core.errors import InvalidCredentials, TooManyAttempts, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.security import (
    hash_password,
    hash_secret,
    new_secret,
    password_needs_rehash,
    password_stamp,
    verify_password,
)
from training_hub.core.settings import get_settings
from training_hub.core.tables import ApiToken, Person
from training_hub.core.timeutil import utcnow

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def validate_email(email: str, field: str = "email") -> str:
    email = normalise_email(email)
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise ValidationFailed(N_("Indica un indirizzo e-mail valido."), field=field)
    return email


async def authenticate(email: str, password: str, *, client: str) -> CurrentUser:
    """The person with these credentials, or :class:`InvalidCredentials` (the same for every cause).

    Failures are throttled per (e-mail, client) (``throttle.py``): a client that guessed wrong too often
    waits, with the right password too, while every other client logs in as usual. The argon2 check
    runs in a worker thread: it takes a good fraction of a second, which the event loop (every other
    request) must not wait for.
    """
    email = normalise_email(email)[:254]
    client = (client or "unknown")[:64]
    attempt_id = await throttle.record_attempt(email, client)
    try:
        await throttle.check_throttle(email, client, attempt_id)
    except TooManyAttempts:
        await throttle.forget_attempt(attempt_id)
        raise
    row = await Person.select().where(Person.email == email).first()
    valid = await asyncio.to_thread(verify_password, row["password_hash"] if row else None, password or "")
    if not row or not valid or not row["active"]:
        await throttle.failed(email, client, row["id"] if row else None)
        raise InvalidCredentials(N_("E-mail o password non corretti."))
    await throttle.succeeded(email, client)
    if password_needs_rehash(row["password_hash"]):
        await Person.update({Person.password_hash: hash_password(password)}).where(Person.id == row["id"])
    return CurrentUser.from_row(row)


async def issue_api_token(person_id: int) -> tuple[str, datetime]:
    token = new_secret()
    expires_at = utcnow() + timedelta(seconds=get_settings().api_token_ttl_seconds)
    await ApiToken.insert(ApiToken(person=person_id, token_hash=hash_secret(token), expires_at=expires_at))
    return token, expires_at


async def revoke_api_token(token: str) -> None:
    await ApiToken.update({ApiToken.revoked_at: utcnow()}).where(ApiToken.token_hash == hash_secret(token))


async def change_own_password(user: CurrentUser, current_password: str, new_password: str, confirm: str) -> None:
    row = await Person.select(Person.password_hash).where(Person.id == user.id).first()
    if not row or not await asyncio.to_thread(verify_password, row["password_hash"], current_password or ""):
        raise ValidationFailed(N_("La password attuale non è corretta."), field="current_password")
    validate_new_password(new_password, email=user.email, full_name=user.full_name)
    if new_password != confirm:
        raise ValidationFailed(N_("Le due password non coincidono."), field="confirm_password")
    await store_password(user.id, new_password)
    await record_audit_event("person.password_changed", actor_id=user.id, entity="person", entity_id=user.id)



async def store_password(person_id: int, password: str) -> None:
    await Person.update({Person.password_hash: hash_password(password), Person.updated_at: utcnow()}).where(
        Person.id == person_id
    )
    # A password change ends every API token of the person (feed tokens are deliberately untouched).
    await ApiToken.update({ApiToken.revoked_at: utcnow()}).where(
        (ApiToken.person == person_id) & ApiToken.revoked_at.is_null()
    )


async def session_stamp(person_id: int) -> str:
    """The password fingerprint a web session keeps (see ``web.auth.SESSION_PASSWORD_KEY``)."""
    row = await Person.select(Person.password_hash).where(Person.id == person_id).first()
    return password_stamp(row["password_hash"] if row else None)
