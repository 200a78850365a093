"""Rendered pages memoised on everything they show: a page is rendered again only when it would differ.

Rendering is most of a page's cost (a course page's ten sessions take longer to render than its four
statements take to run), yet the same person reloading the same page gets the same HTML as long as
the data did not change. :class:`MemoTemplate` (what ``responses.page`` returns) renders a template
once per *key* and afterwards only joins the kept pieces around the request's CSRF token.

The key is everything the output depends on: the template, the language, the person (name and roles:
the layout shows them), the path and the query string, and a *frozen copy of the context* — every
value the handler passed, down to each row's fields. The database is read on every request as before
and only the rendering is skipped, so no write can leave a page stale and nothing has to empty this
memo: a changed seat count, a new session or a renamed course is a different key. A context holding
anything that cannot be frozen faithfully (a value of an unknown mutable type) is rendered every time.
A page with a flash message to show is rendered in full, as always (the message leaves the session).

Size: at most ``TRAINING_HUB_PAGE_MEMO_BYTES`` of pages per process, least recently used first out;
0 turns the memo off (``bench/`` measures the rendering that way too).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from types import BuiltinFunctionType, FunctionType
from typing import Any

import msgspec
from cachetools import LRUCache
from litestar import MediaType, Request, Response
from litestar.response import Template
from litestar.utils.scope.state import ScopeState
from markupsafe import Markup

from training_hub.core.i18n import get_language
from training_hub.core.settings import get_settings
from training_hub.web.templating import FLASH_SESSION_KEY

# A character no template and no translation contains.
_TOKEN_MARK = "\x00th-csrf\x00"
# A page bigger than this is not kept (a long office list is rarely reloaded as is).
_LARGEST_PAGE = 1024 * 1024


class _Unfreezable(Exception):
    """A context value whose content could change without its identity changing."""


def _tagged(value: Any) -> Any:
    """What the encoder does not know: marked strings (escaped differently from plain ones, so never
    equal to them) and module-level functions (the same code for the life of the process)."""
    if isinstance(value, Markup):
        return ["\x00markup", str(value)]
    if isinstance(value, (FunctionType, BuiltinFunctionType)) and value.__name__ != "<lambda>":
        return ["\x00function", value.__module__, value.__qualname__]
    raise _Unfreezable(type(value).__name__)


_encoder = msgspec.json.Encoder(enc_hook=_tagged)


def freeze(value: Any) -> bytes:
    """``value`` written out in full (JSON, by msgspec: fast, and typed: true is not 1, an instant
    carries its offset), so two contexts give the same bytes only if a template would show them the
    same. Dataclasses and structs are written field by field; anything else unknown is refused."""
    return _encoder.encode(value)


class PageMemo:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: LRUCache[tuple[Any, ...], list[str]] = LRUCache(
            maxsize=max(max_bytes, 1), getsizeof=lambda pieces: sum(len(piece) for piece in pieces) + 200
        )
        self.hits = 0
        self.misses = 0
        self.unfrozen = 0

    def clear(self) -> None:
        self._items.clear()

    def pieces(self, key: tuple[Any, ...], render: Callable[[], str]) -> list[str]:
        pieces = self._items.get(key)
        if pieces is not None:
            self.hits += 1
            return pieces
        self.misses += 1
        pieces = render().split(_TOKEN_MARK)
        if sum(len(piece) for piece in pieces) <= min(_LARGEST_PAGE, self.max_bytes):
            self._items[key] = pieces
        return pieces


_memo: PageMemo | None = None


def page_memo() -> PageMemo:
    global _memo
    if _memo is None:
        _memo = PageMemo(get_settings().page_memo_bytes)
    return _memo


def _csrf_token(request: Request[Any, Any, Any]) -> str:
    token = ScopeState.from_scope(request.scope).csrf_token
    return token if isinstance(token, str) else ""


def render_page(request: Request[Any, Any, Any], template_name: str, context: dict[str, Any]) -> str:
    """The page ``template_name`` with ``context``, from the memo when it was rendered before."""
    environment = request.app.template_engine.engine  # type: ignore[union-attr]
    memo = page_memo()
    session = request.scope.get("session")
    flashes = isinstance(session, dict) and bool(session.get(FLASH_SESSION_KEY))
    key = None
    if memo.max_bytes > 0 and not flashes:
        scope = request.scope
        try:
            key = (template_name, get_language(), scope.get("user"), scope["path"], scope.get("query_string", b""),
                   freeze(context))
        except _Unfreezable:
            memo.unfrozen += 1
    if key is None:
        token = _csrf_token(request)
        return environment.get_template(template_name).render(
            request=request, csrf_token=lambda: token,
            csrf_input=Markup(f'<input type="hidden" name="_csrf_token" value="{html.escape(token)}" />'), **context,
        )

    def render() -> str:
        return environment.get_template(template_name).render(
            request=request, csrf_token=lambda: _TOKEN_MARK,
            csrf_input=Markup(f'<input type="hidden" name="_csrf_token" value="{_TOKEN_MARK}" />'), **context,
        )

    return html.escape(_csrf_token(request)).join(memo.pieces(key, render))


class MemoTemplate(Template):
    """A template response rendered through :func:`render_page`."""

    def to_asgi_response(  # type: ignore[override]
        self, app: Any, request: Request[Any, Any, Any], **kwargs: Any
    ) -> Any:
        if self.template_name is None or not self.template_name.endswith(".html"):
            return super().to_asgi_response(app, request, **kwargs)  # only HTML pages are memoised
        content = render_page(request, self.template_name, self.context)
        response = Response(content, media_type=self.media_type or MediaType.HTML, status_code=self.status_code,
                            headers=self.headers, cookies=self.cookies, background=self.background)
        return response.to_asgi_response(app, request, **kwargs)
