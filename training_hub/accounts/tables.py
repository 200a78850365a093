"""The accounts' own tables: e-mailed links to set a password, and requests counted for throttling.

``AccountLink`` holds both kinds of link (a password reset asked by the person, an invitation sent
when someone else created the account): a random 256-bit token of which only the SHA-256 is stored,
valid once (``used_at``) and until ``expires_at``. ``ThrottleHit`` remembers recent requests of an
action (a password-reset request) per e-mail and per client, to rate-limit them.
"""

from __future__ import annotations

from piccolo.columns import ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from training_hub.core.tables import Person


class AccountLink(Table):
    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    # links.LinkPurpose: "reset" or "invitation"
    purpose = Varchar(length=20)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(index=True)
    used_at = Timestamptz(null=True, default=None)
    # Who sent the invitation (None: the person asked for a reset themselves).
    created_by = ForeignKey(references=Person, null=True, default=None, on_delete=OnDelete.set_null)


class ThrottleHit(Table):
    action = Varchar(length=30)
    email = Varchar(length=254, index=True)
    client = Varchar(length=64, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
