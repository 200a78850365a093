"""API input and output of accounts: bearer tokens and the current person."""

from __future__ import annotations

import msgspec

from training_hub.core.schemas import Instant


class TokenRequest(msgspec.Struct):
    email: str
    password: str


class TokenOut(msgspec.Struct):
    token: str
    expires_at: Instant


class MeOut(msgspec.Struct):
    id: int
    email: str
    full_name: str
    roles: list[str]
    cooperative_id: int | None
    calendar_url: str | None


class PasswordResetRequest(msgspec.Struct):
    email: str


class PasswordResetAccepted(msgspec.Struct):
    detail: str


class PasswordResetConfirm(msgspec.Struct):
    token: str
    password: str
