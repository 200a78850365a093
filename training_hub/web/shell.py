"""Pages whose content is already rendered, wrapped in a memoised copy of their layout.

``base.html`` (header, menu, footer) costs more to render than most pages' own content, yet for one
person looking at one address it is the same every time: only the CSRF token and the content change.
:func:`page_with_body` renders the page's template once with markers in their place, keeps the pieces,
and afterwards joins them with the real token and content. The key is everything the layout reads:
the template, the language, the person as the session knows them (name and roles included), the
path and the query string. A page with a flash message to show is rendered in full, as always.
"""

from __future__ import annotations

import html
from typing import Any

from cachetools import LRUCache
from litestar import MediaType, Request, Response
from litestar.utils.scope.state import ScopeState
from markupsafe import Markup

from training_hub.core.i18n import get_language
from training_hub.web.templating import FLASH_SESSION_KEY

# Characters no template and no translation contains.
_BODY_MARK = "\x00th-body\x00"
_TOKEN_MARK = "\x00th-csrf\x00"


class ShellCache:
    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._items: LRUCache[tuple[Any, ...], tuple[list[str], list[str]]] = LRUCache(maxsize=size)

    def pieces(self, request: Request[Any, Any, Any], template_name: str, context: dict[str, Any]) -> tuple[list[str], list[str]]:
        scope = request.scope
        key = (template_name, get_language(), scope.get("user"), scope["path"], scope.get("query_string", b""),
               tuple(sorted(context.items())))
        pieces = self._items.get(key)
        if pieces is None:
            environment = request.app.template_engine.engine  # type: ignore[union-attr]
            rendered = environment.get_template(template_name).render(
                request=request, body=Markup(_BODY_MARK), csrf_token=lambda: _TOKEN_MARK,
                csrf_input=Markup(f'<input type="hidden" name="_csrf_token" value="{_TOKEN_MARK}" />'), **context,
            )
            before, after = rendered.split(_BODY_MARK)
            pieces = (before.split(_TOKEN_MARK), after.split(_TOKEN_MARK))
            self._items[key] = pieces
        return pieces


SHELLS = ShellCache()


def page_with_body(
    request: Request[Any, Any, Any], template_name: str, body: Markup, *, headers: dict[str, str] | None = None,
    **context: Any,
) -> Response[str]:
    """The page ``template_name`` (which shows ``{{ body }}`` once) around the rendered ``body``.

    ``context``: further small, hashable values the template reads (they are part of the key).
    """
    session = request.scope.get("session")
    if isinstance(session, dict) and session.get(FLASH_SESSION_KEY):
        # A message to show once: render everything, which also takes it out of the session.
        environment = request.app.template_engine.engine  # type: ignore[union-attr]
        raw_token = _csrf_token(request)
        content = environment.get_template(template_name).render(
            request=request, body=body, csrf_token=lambda: raw_token,
            csrf_input=Markup(f'<input type="hidden" name="_csrf_token" value="{html.escape(raw_token)}" />'),
            **context,
        )
        return Response(content, media_type=MediaType.HTML, headers=headers)
    before, after = SHELLS.pieces(request, template_name, context)
    token = html.escape(_csrf_token(request))
    # Plain strings: adding a str to Markup would escape the str.
    content = "".join((token.join(before), str(body), token.join(after)))
    return Response(content, media_type=MediaType.HTML, headers=headers)


def _csrf_token(request: Request[Any, Any, Any]) -> str:
    token = ScopeState.from_scope(request.scope).csrf_token
    return token if isinstance(token, str) else ""
