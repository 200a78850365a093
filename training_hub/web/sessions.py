"""Server-side web sessions in the database, shared by every worker and machine.

Litestar's server-side session middleware stores the session on every response. Here a session is
written only when its content changed (a login, a logout, a flash message), so reading a page costs
one indexed read and no write: that matters on SQLite, where every write takes the database lock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.stores.base import NamespacedStore
from litestar.types import Empty
from litestar.utils.dataclass import extract_dataclass_items

from training_hub.core.db import fetch_one
from training_hub.core.tables import KeyValue
from training_hub.core.timeutil import utcnow
from training_hub.web.auth import PERSON_COLUMNS, SESSION_PERSON_KEY, SESSION_PERSON_ROW_KEY

if TYPE_CHECKING:
    from litestar.connection import ASGIConnection
    from litestar.types import Message, ScopeSession

_RAW_SESSION_KEY = "_training_hub_session_raw"
# What generate_session_id() hands out (hex); any other cookie value (the "null" a logout leaves, a
# forged or garbled cookie) is no session and never reaches the database.
_SESSION_ID = re.compile(r"[0-9a-f]{32,256}")


class DatabaseStore(NamespacedStore):
    """A Litestar store over the ``key_value`` table."""

    __slots__ = ("namespace",)

    def __init__(self, namespace: str = "training_hub") -> None:
        self.namespace = namespace

    def with_namespace(self, namespace: str) -> DatabaseStore:
        return DatabaseStore(f"{self.namespace}:{namespace}")

    def _key(self, key: str) -> str:
        return f"{self.namespace}:{key}"

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        data = value.encode() if isinstance(value, str) else value
        if isinstance(expires_in, int):
            expires_in = timedelta(seconds=expires_in)
        expires_at = utcnow() + expires_in if expires_in else None
        await KeyValue.insert(KeyValue(key=self._key(key), value=data, expires_at=expires_at)).on_conflict(
            target=KeyValue.key,
            action="DO UPDATE",
            values=[KeyValue.value, KeyValue.expires_at],
        )

    async def set_session(self, key: str, value: bytes, expires_in: int | None, person_id: int | None) -> None:
        """A web session: like :meth:`set`, naming the person so the next read brings them along."""
        expires_at = utcnow() + timedelta(seconds=expires_in) if expires_in else None
        await KeyValue.insert(
            KeyValue(key=self._key(key), value=value, expires_at=expires_at, person=person_id)
        ).on_conflict(target=KeyValue.key, action="DO UPDATE",
                      values=[KeyValue.value, KeyValue.expires_at, KeyValue.person])

    async def get_session(self, key: str) -> tuple[bytes, dict[str, Any] | None] | None:
        """A live web session and its person's row (``PERSON_COLUMNS``; None when the session names
        nobody active), in one statement: every page view runs it."""
        row = await fetch_one(_SESSION_SQL, True, self._key(key))
        if row is None or (row["expires_at"] is not None and row["expires_at"] <= utcnow()):
            return None
        person = {name: row[f"p_{name}"] for name in PERSON_COLUMNS} if row["p_id"] is not None else None
        return bytes(row["value"]), person

    async def _row(self, key: str) -> dict[str, Any] | None:
        # Read on every page view: hand-written SQL (see db.fetch_all).
        row = await fetch_one("SELECT value, expires_at FROM key_value WHERE key = {}", self._key(key))
        if row is None:
            return None
        if row["expires_at"] is not None and row["expires_at"] <= utcnow():
            return None
        return row

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        row = await self._row(key)
        if row is None:
            return None
        if renew_for and row["expires_at"] is not None:
            await self.set(key, row["value"], renew_for)
        return bytes(row["value"])

    async def delete(self, key: str) -> None:
        await KeyValue.delete().where(KeyValue.key == self._key(key))

    async def delete_all(self) -> None:
        await KeyValue.delete().where(KeyValue.key.like(f"{self.namespace}:%"))

    async def delete_expired(self) -> None:
        await KeyValue.delete().where(KeyValue.expires_at < utcnow())

    async def exists(self, key: str) -> bool:
        return await self._row(key) is not None

    async def expires_in(self, key: str) -> int | None:
        row = await self._row(key)
        if row is None or row["expires_at"] is None:
            return None
        return int((row["expires_at"] - utcnow()).total_seconds())


_SESSION_SQL = (
    "SELECT kv.value, kv.expires_at, " + ", ".join(f"p.{name} AS p_{name}" for name in PERSON_COLUMNS)
    + " FROM key_value kv LEFT JOIN person p ON p.id = kv.person AND p.active = {} WHERE kv.key = {}"
)


class WriteOnChangeSessionBackend(ServerSideSessionBackend):
    def _cookie_session_id(self, connection: ASGIConnection) -> str | None:
        value = connection.cookies.get(self.config.key)
        return value if value and _SESSION_ID.fullmatch(value) else None

    def _set_cookie(self, message: Message, value: str, **extra: Any) -> None:
        params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        MutableScopeHeaders.from_message(message).add(
            "Set-Cookie", Cookie(value=value, key=self.config.key, **params, **extra).to_header(header="")
        )

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        if session_id := self._cookie_session_id(connection):
            store = self.config.get_store_from_app(connection.scope["app"])
            found = await store.get_session(session_id)  # type: ignore[attr-defined]
            if found is not None:
                data, person = found
                if self.config.renew_on_access:
                    await self._store(store, session_id, data, person["id"] if person else None)
                connection.scope[_RAW_SESSION_KEY] = data  # type: ignore[literal-required]
                connection.scope[SESSION_PERSON_ROW_KEY] = person  # type: ignore[literal-required]
                return self.deserialize_data(data)
        return {}

    async def _store(self, store: Any, session_id: str, data: bytes, person_id: Any) -> None:
        await store.set_session(session_id, data, self.config.max_age,
                                person_id if isinstance(person_id, int) else None)

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection
    ) -> None:
        loaded = connection.scope.get(_RAW_SESSION_KEY)  # type: ignore[call-overload]
        cookie_id = self._cookie_session_id(connection)  # never None when a session was loaded
        if scope_session is Empty or not scope_session:
            if loaded is not None:
                await super().store_in_message(Empty, message, connection)  # a logout: delete, clear the cookie
            elif connection.cookies.get(self.config.key) not in (None, "null"):
                self._set_cookie(message, "null", expires=0)  # a stale or garbled cookie: nothing stored to delete
            return
        serialised = self.serialize_data(scope_session, connection.scope)
        if loaded is not None and serialised == loaded:
            return  # unchanged: no write
        previous = self.deserialize_data(loaded) if loaded is not None else {}
        store = self.config.get_store_from_app(connection.scope["app"])
        if loaded is None or cookie_id is None or previous.get("person_id") != scope_session.get("person_id"):
            # A new session, a stale or forged cookie, or a login/logout: always a fresh id, so an id
            # known before logging in is worthless afterwards (session fixation).
            if loaded is not None and cookie_id is not None:
                await self.delete(cookie_id, store=store)
            session_id = self.generate_session_id()
        else:
            session_id = cookie_id
        await self._store(store, session_id, serialised, scope_session.get(SESSION_PERSON_KEY))
        self._set_cookie(message, session_id)


@dataclass
class DatabaseSessionConfig(ServerSideSessionConfig):
    _backend_class = WriteOnChangeSessionBackend  # type: ignore[assignment]
