"""Feed tokens: from derived (HMAC of ids and times) to random secrets stored under a keyed hash.

Every live row keeps working (issue 12 item 8: "existing subscriptions keep working until rotated"):
its stored SHA-256 is re-keyed into the new lookup hash (HMAC-SHA256 under a key derived from
TRAINING_HUB_SECRET_KEY, see calendars/tokens.py), which needs no token. Where the old token can still
be derived with the current secret key, it is also sealed, so its owner keeps seeing the same URL.
The functions are copied here, not imported, so that later changes to the application cannot change
what this migration did.
"""

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T05:30:00:000001"
VERSION = "1.38.0"
DESCRIPTION = "re-key and seal the existing feed tokens"


def _key(purpose: str, secret_key: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{secret_key}".encode()).digest()


def _as_epoch(value) -> int:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="training_hub", description=DESCRIPTION)

    async def rekey():
        from training_hub.core.settings import get_settings

        secret_key = get_settings().secret_key
        engine = engine_finder()
        rows = await _select(engine)
        for row in rows:
            old_hash = row["token_hash"]
            message = (f"{row['kind']}:{row['person']}:{row['cooperative'] or 0}:{row['id']}:"
                       f"{_as_epoch(row['created_at'])}")
            derived = hmac.new(_key("calendar-feed", secret_key), message.encode(), hashlib.sha256).hexdigest()
            sealed = ""
            if hashlib.sha256(derived.encode()).hexdigest() == old_hash:
                nonce = os.urandom(12)
                sealed = base64.urlsafe_b64encode(nonce + AESGCM(_key("calendar-feed-seal", secret_key)).encrypt(
                    nonce, derived.encode(), str(row["id"]).encode())).decode()
            new_hash = hmac.new(_key("calendar-feed-lookup", secret_key), old_hash.encode(), hashlib.sha256).hexdigest()
            # Hex and URL-safe base64 only: nothing to escape.
            await engine.run_ddl(
                f"UPDATE feed_token SET token_hash = '{new_hash}', token_sealed = '{sealed}' WHERE id = {int(row['id'])}"
            )

    manager.add_raw(rekey)
    return manager


async def _select(engine):  # type: ignore[no-untyped-def]
    from piccolo.querystring import QueryString

    return await engine.run_querystring(QueryString(
        "SELECT id, person, kind, cooperative, created_at, token_hash FROM feed_token WHERE revoked_at IS NULL"
    ))
