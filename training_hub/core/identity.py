"""Who is acting: the :class:`CurrentUser` every service takes first, and the request's user.

Services receive the acting user as an argument; nothing here knows about HTTP. The web layer's
middleware resolves the user (session cookie or bearer token) and sets it with :func:`set_current_user`
for templates and for code that cannot receive it as an argument.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any

from training_hub.core.tables import Role

_current_user: contextvars.ContextVar[CurrentUser | None] = contextvars.ContextVar("current_user", default=None)


@dataclass(frozen=True)
class CurrentUser:
    id: int
    email: str
    full_name: str
    roles: frozenset[str]
    cooperative_id: int | None
    language: str
    via_token: bool = False

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def first_name(self) -> str:
        return self.full_name.split(" ")[0]

    @classmethod
    def from_row(cls, row: dict[str, Any], *, via_token: bool = False) -> CurrentUser:
        return cls(
            id=row["id"],
            email=row["email"],
            full_name=row["full_name"],
            roles=parse_roles(row["roles"]),
            cooperative_id=row["cooperative"],
            language=row["language"] or "it",
            via_token=via_token,
        )


def parse_roles(raw: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (raw or "").split(",") if part.strip())


def format_roles(roles: set[str] | frozenset[str] | list[str]) -> str:
    order = [role.value for role in Role]
    return ",".join(sorted(set(roles), key=lambda role: order.index(role) if role in order else 99))


def current_user() -> CurrentUser | None:
    """The person behind the current request (for templates and services called from pages)."""
    return _current_user.get()


def set_current_user(user: CurrentUser | None) -> contextvars.Token[CurrentUser | None]:
    return _current_user.set(user)


def reset_current_user(token: contextvars.Token[CurrentUser | None]) -> None:
    _current_user.reset(token)
