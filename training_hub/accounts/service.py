"""Logging in, API tokens and passwords."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta

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
from training_hub.core.tables import ApiToken, LoginFailure, Person
from training_hub.core.timeutil import utcnow

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10
# A single address may try several accounts (an office behind one router): a looser limit than per e-mail.
CLIENT_LIMIT_FACTOR = 4


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def validate_email(email: str, field: str = "email") -> str:
    email = normalise_email(email)
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise ValidationFailed(N_("Indica un indirizzo e-mail valido."), field=field)
    return email


def validate_new_password(password: str, *, email: str = "", field: str = "new_password") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            N_("La password deve avere almeno %(n)d caratteri."), field=field, n=MIN_PASSWORD_LENGTH
        )
    if email and password.strip().lower() == email.lower():
        raise ValidationFailed(N_("La password non può coincidere con l'indirizzo e-mail."), field=field)


async def _check_throttle(email: str, client: str) -> None:
    """Refuse once the recent attempts (the caller's own included) exceed the limits."""
    settings = get_settings()
    since = utcnow() - timedelta(seconds=settings.login_failure_window_seconds)
    by_email = await LoginFailure.count().where((LoginFailure.email == email) & (LoginFailure.at > since))
    by_client = await LoginFailure.count().where((LoginFailure.client == client) & (LoginFailure.at > since))
    if by_email > settings.login_max_failures or by_client > settings.login_max_failures * CLIENT_LIMIT_FACTOR:
        minutes = max(1, settings.login_failure_window_seconds // 60)
        raise TooManyAttempts(
            N_("Troppi tentativi di accesso non riusciti. Riprova tra %(minutes)d minuti."),
            retry_after=settings.login_failure_window_seconds,
            minutes=minutes,
        )


async def authenticate(email: str, password: str, *, client: str) -> CurrentUser:
    """The person with these credentials, or :class:`InvalidCredentials` (the same for every cause).

    Failures are counted per e-mail and per client address; past the limit every attempt is refused
    with :class:`TooManyAttempts` until the window has passed, right password or not.

    Every attempt is written down *before* the limit is checked and the password verified, and
    forgotten again if it succeeds or is refused: requests sent in parallel each count the ones
    before them, so no burst gets more password checks than the limit allows. The argon2 check runs
    in a worker thread: it takes a good fraction of a second, which the event loop (every other
    request) must not wait for.
    """
    email = normalise_email(email)[:254]
    client = (client or "unknown")[:64]
    attempt = LoginFailure(email=email, client=client)
    await attempt.save()
    try:
        await _check_throttle(email, client)
    except TooManyAttempts:
        await LoginFailure.delete().where(LoginFailure.id == attempt.id)
        raise
    row = await Person.select().where(Person.email == email).first()
    valid = await asyncio.to_thread(verify_password, row["password_hash"] if row else None, password or "")
    if not row or not valid or not row["active"]:
        raise InvalidCredentials(N_("E-mail o password non corretti."))
    await LoginFailure.delete().where(LoginFailure.email == email)
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
    validate_new_password(new_password, email=user.email)
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
