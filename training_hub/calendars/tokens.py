"""Feed tokens: the secret part of a personal or cooperative feed URL (``/calendar/<token>.ics``).

What the issue asks, and how it is met:

* *Random, at least 128 bits, stored hashed.* The token is 256 bits (64 hex digits) and only its
  SHA-256 is stored (``FeedToken.token_hash``); a request is matched by hashing what it presents.
* *Shown on the profile page, and* ``/api/me`` *returns the current calendar_url.* These two pull in
  opposite directions: a secret that is only stored hashed cannot be shown again, yet the API must
  return it at any time. We resolve it by *deriving* the token instead of drawing it at random and
  forgetting it::

      token = HMAC-SHA256(server secret key, "calendar-feed" | kind | person | cooperative | row id | created_at)

  computed with :func:`training_hub.core.security.sign`. Its owner, logged in, can be shown the URL again
  whenever they ask (the profile page, ``/api/me``) and nobody else can: the database alone does not
  reveal it (the row holds a hash, and the derivation needs the secret key, which never is in the
  database). The token is as unpredictable as random bytes to anyone without the key. It is never
  derived from the password, so changing the password leaves the URL alone.
* *Rotation.* A new link means a new row (new id, new time, hence a new secret) and ``revoked_at`` on
  the old ones; the old URL answers 404 on the very next request, because lookups only match live rows.
* *Changing the secret key* (``TRAINING_HUB_SECRET_KEY``) does not break anyone's subscription: the old
  URL still hashes to its stored row. Only the re-display stops matching; when that happens a new
  live row is created and shown, and the old one keeps working until its owner asks for a new link.

Coordinators also get a *cooperative* token: a feed of their cooperative's workers' sessions. It only
answers while its owner is an active coordinator of that same cooperative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from training_hub.core.db import fetch_one, lock_for_update, write_transaction
from training_hub.core.errors import PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser, parse_roles
from training_hub.core.security import hash_secret, new_secret, sign
from training_hub.core.settings import get_settings
from training_hub.core.tables import FeedKind, FeedToken, Person, Role
from training_hub.core.timeutil import utcnow

PURPOSE = "calendar-feed"
# What a token in a URL may look like; anything else is a 404 without touching the database.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,128}")


@dataclass(frozen=True)
class FeedOwner:
    """The live token a feed request presented, and what its owner may see through it."""

    token_id: int
    kind: str
    person_id: int
    cooperative_id: int | None
    cooperative_name: str | None
    language: str


def derive_token(row_id: int, person_id: int, kind: str, cooperative_id: int | None, created_at: datetime) -> str:
    message = f"{kind}:{person_id}:{cooperative_id or 0}:{row_id}:{int(created_at.timestamp())}"
    return sign(message, purpose=PURPOSE)


def feed_url(token: str) -> str:
    return f"{get_settings().base_url}/calendar/{token}.ics"


def _check_kind(user: CurrentUser, kind: str) -> int | None:
    """The cooperative a token of ``kind`` belongs to; refuses what the person may not have."""
    if kind == FeedKind.PERSONAL:
        return None
    if kind == FeedKind.COOPERATIVE:
        if not user.has_role(Role.COORDINATOR) or user.cooperative_id is None:
            raise PermissionDenied(N_("Solo i coordinatori di una cooperativa hanno il calendario della cooperativa."))
        return user.cooperative_id
    raise PermissionDenied(N_("Questo tipo di calendario non esiste."))


async def _live_rows(person_id: int, kind: str, cooperative_id: int | None) -> list[dict]:
    query = FeedToken.select(FeedToken.id, FeedToken.created_at, FeedToken.token_hash).where(
        (FeedToken.person == person_id) & (FeedToken.kind == kind) & FeedToken.revoked_at.is_null()
    )
    if cooperative_id is None:
        query = query.where(FeedToken.cooperative.is_null())
    else:
        query = query.where(FeedToken.cooperative == cooperative_id)
    return await query.order_by(FeedToken.id, ascending=False)


async def _create_row(person_id: int, kind: str, cooperative_id: int | None) -> tuple[str, datetime]:
    """A new live token row (inside the caller's transaction); returns the plain token."""
    created_at = utcnow()
    # The id is only known after the insert: a random placeholder hash (which nobody knows the secret
    # of) keeps the unique column honest until the derived hash replaces it.
    row = FeedToken(
        person=person_id, kind=kind, cooperative=cooperative_id, token_hash=hash_secret(new_secret()),
        created_at=created_at,
    )
    await row.save()
    token = derive_token(row.id, person_id, kind, cooperative_id, created_at)
    await FeedToken.update({FeedToken.token_hash: hash_secret(token)}).where(FeedToken.id == row.id)
    return token, created_at


async def current_token(user: CurrentUser, kind: str = FeedKind.PERSONAL) -> tuple[str, datetime]:
    """The person's current token of ``kind`` and when it was created; created on first use."""
    cooperative_id = _check_kind(user, kind)
    for attempt in range(2):
        rows = await _live_rows(user.id, kind, cooperative_id)
        for row in rows:
            token = derive_token(row["id"], user.id, kind, cooperative_id, row["created_at"])
            if row["token_hash"] == hash_secret(token):
                return token, row["created_at"]
        if attempt == 0:
            async with write_transaction():
                # Two first requests at once (the profile and the app) must not both create a token.
                await lock_for_update(Person.select(Person.id).where(Person.id == user.id))
                if len(await _live_rows(user.id, kind, cooperative_id)) != len(rows):
                    continue  # someone else just created one: read it again
                return await _create_row(user.id, kind, cooperative_id)
    raise RuntimeError("feed token not created")  # pragma: no cover


async def current_feed_url(user: CurrentUser, kind: str = FeedKind.PERSONAL) -> str:
    """The absolute URL of the person's current feed of ``kind`` (``/api/me``'s ``calendar_url``)."""
    token, _ = await current_token(user, kind)
    return feed_url(token)


async def rotate_token(user: CurrentUser, kind: str = FeedKind.PERSONAL) -> str:
    """Revoke every live token of ``kind`` of this person; returns the new feed URL.

    The old URLs answer 404 from the next request on. The password is not involved at all.
    """
    cooperative_id = _check_kind(user, kind)
    async with write_transaction():
        await lock_for_update(Person.select(Person.id).where(Person.id == user.id))
        query = FeedToken.update({FeedToken.revoked_at: utcnow()}).where(
            (FeedToken.person == user.id) & (FeedToken.kind == kind) & FeedToken.revoked_at.is_null()
        )
        await query
        token, _ = await _create_row(user.id, kind, cooperative_id)
    return feed_url(token)


# Hand-written SQL: calendar apps poll with this all day (versions.py folds it into the feed's version).
TOKEN_LOOKUP_SQL = (
    "SELECT t.id, t.kind, t.cooperative, t.person, p.roles, p.cooperative AS person_cooperative, "
    "p.language, p.active, co.name AS cooperative_name "
    "FROM feed_token t JOIN person p ON p.id = t.person "
    "LEFT JOIN cooperative co ON co.id = t.cooperative "
    "WHERE t.token_hash = {} AND t.revoked_at IS NULL"
)


def owner_from_row(row: dict) -> FeedOwner | None:
    """The owner of a live token row, or None if they may no longer use it (inactive; for a
    cooperative feed, no longer a coordinator of that cooperative)."""
    if not row["active"]:
        return None
    if row["kind"] == FeedKind.COOPERATIVE:
        if Role.COORDINATOR not in parse_roles(row["roles"]) or row["person_cooperative"] != row["cooperative"]:
            return None
    elif row["kind"] != FeedKind.PERSONAL:
        return None
    return FeedOwner(
        token_id=row["id"],
        kind=row["kind"],
        person_id=row["person"],
        cooperative_id=row["cooperative"],
        cooperative_name=row["cooperative_name"],
        language=row["language"] or "it",
    )


async def lookup_token(token: str) -> FeedOwner | None:
    """The live token behind a feed URL, or None (unknown, revoked, or its owner may no longer use it)."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    row = await fetch_one(TOKEN_LOOKUP_SQL, hash_secret(token))
    return owner_from_row(row) if row is not None else None
