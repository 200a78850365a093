"""Feed tokens: the secret part of a personal or cooperative feed URL (``/calendar/<token>.ics``).

* *Random, stored hashed* (DESIGN.md, issue 12 item 8). A token is 256 random bits
  (``secrets.token_urlsafe(32)``). The table keeps ``token_hash`` = HMAC-SHA256 under a key derived from
  ``TRAINING_HUB_SECRET_KEY`` of the token's SHA-256: a request is matched by hashing what it presents.
  Because the hash is keyed, **changing the secret key ends every old URL** (they answer 404), and whoever
  reads the table alone can neither use nor recognise a token.
* *Shown again to its owner* (the profile page, ``/api/me``'s ``calendar_url``): the token is also kept
  *sealed* (``token_sealed``: AES-256-GCM under another key derived from the secret key, the row id as
  associated data, so a sealed value cannot be moved to another row). Only the application, holding
  the key, can open it; after a change of key it cannot, and a new token is drawn on the next display.
* *Rotation.* A new link means a new row and ``revoked_at`` on the old ones: the old URL answers 404 on
  the very next request. The office rotates everyone's at once with ``training-hub rotate-feeds``.
* *Migration of the derived tokens of before* (HMAC of ids and times): the migration re-keys every live
  row's stored hash (``token_hash`` = HMAC of the old SHA-256, see :func:`rekey_legacy_hash`), so every
  existing subscription keeps working until it is rotated, and seals the ones it can still derive.

Coordinators also get a *cooperative* token: a feed of their cooperative's workers' sessions. It only
answers while its owner is an active coordinator of that same cooperative.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from training_hub.core.db import fetch_all, fetch_one, lock_for_update, write_transaction
from training_hub.core.errors import PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser, parse_roles
from training_hub.core.security import hash_secret, new_secret
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


def _key(purpose: str, secret_key: str | None = None) -> bytes:
    return hashlib.sha256(f"{purpose}:{secret_key or get_settings().secret_key}".encode()).digest()


def rekey_legacy_hash(sha256_hex: str, secret_key: str | None = None) -> str:
    """The stored hash of a token whose SHA-256 is ``sha256_hex`` (the keyed lookup hash)."""
    return hmac.new(_key("calendar-feed-lookup", secret_key), sha256_hex.encode(), hashlib.sha256).hexdigest()


def token_lookup_hash(token: str) -> str:
    """What ``FeedToken.token_hash`` holds for ``token``: keyed, so a new secret key ends old URLs."""
    return rekey_legacy_hash(hash_secret(token))


def seal(token: str, row_id: int, secret_key: str | None = None) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_key("calendar-feed-seal", secret_key)).encrypt(nonce, token.encode(), str(row_id).encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(sealed: str, row_id: int) -> str | None:
    """The token sealed in ``sealed`` for row ``row_id``, or None (sealed under another key, or empty)."""
    if not sealed:
        return None
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
        return AESGCM(_key("calendar-feed-seal")).decrypt(raw[:12], raw[12:], str(row_id).encode()).decode()
    except (InvalidTag, ValueError):
        return None


def legacy_derived_token(
    row_id: int, person_id: int, kind: str, cooperative_id: int | None, created_at: datetime, secret_key: str
) -> str:
    """The token the first wave derived (HMAC of ids and times): only the migration still computes it."""
    message = f"{kind}:{person_id}:{cooperative_id or 0}:{row_id}:{int(created_at.timestamp())}"
    key = hashlib.sha256(f"{PURPOSE}:{secret_key}".encode()).digest()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


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


_LIVE_SQL = (
    "SELECT id, created_at, token_hash, token_sealed FROM feed_token "
    "WHERE person = {} AND kind = {} AND revoked_at IS NULL AND "
)


async def _live_rows(person_id: int, kind: str, cooperative_id: int | None) -> list[dict]:
    # Read by the profile page on every view: hand-written SQL (see db.fetch_all).
    if cooperative_id is None:
        return await fetch_all(_LIVE_SQL + "cooperative IS NULL ORDER BY id DESC", person_id, kind)
    return await fetch_all(_LIVE_SQL + "cooperative = {} ORDER BY id DESC", person_id, kind, cooperative_id)


async def _create_row(person_id: int, kind: str, cooperative_id: int | None) -> tuple[str, datetime]:
    """A new live token row (inside the caller's transaction); returns the plain token."""
    created_at = utcnow()
    token = new_secret(32)  # 256 random bits
    row = FeedToken(
        person=person_id, kind=kind, cooperative=cooperative_id, token_hash=token_lookup_hash(token),
        created_at=created_at,
    )
    await row.save()
    # The row id is the sealed value's associated data: known only after the insert.
    await FeedToken.update({FeedToken.token_sealed: seal(token, row.id)}).where(FeedToken.id == row.id)
    return token, created_at


async def current_token(user: CurrentUser, kind: str = FeedKind.PERSONAL) -> tuple[str, datetime]:
    """The person's current token of ``kind`` and when it was created; created on first use (or when
    no live token can be shown any more: sealed under a previous secret key)."""
    cooperative_id = _check_kind(user, kind)
    for attempt in range(2):
        rows = await _live_rows(user.id, kind, cooperative_id)
        for row in rows:
            token = unseal(row["token_sealed"], row["id"])
            if token is not None and hmac.compare_digest(row["token_hash"], token_lookup_hash(token)):
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
    row = await fetch_one(TOKEN_LOOKUP_SQL, token_lookup_hash(token))
    return owner_from_row(row) if row is not None else None


async def rotate_all_tokens(person_id: int | None = None) -> int:
    """Revoke every live feed token (of one person, or everyone's): ``training-hub rotate-feeds``.

    Each owner gets a new random URL the next time the profile page or ``/api/me`` shows it; the old
    ones answer 404 at once. Returns how many tokens were revoked.
    """
    async with write_transaction():
        query = FeedToken.update({FeedToken.revoked_at: utcnow()}).where(FeedToken.revoked_at.is_null())
        if person_id is not None:
            query = query.where(FeedToken.person == person_id)
        rows = await query.returning(FeedToken.id)
    return len(rows)
