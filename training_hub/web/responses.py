"""Small helpers shared by every page controller."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from litestar import Request
from litestar.response import Redirect, Template

from training_hub.core.errors import DomainError
from training_hub.web.memo import MemoTemplate
from training_hub.web.templating import FLASH_SESSION_KEY


def page(template_name: str, *, status_code: int = 200, **context: Any) -> Template:
    """A page response; rendered again only when what it shows changed (``web/memo.py``)."""
    return MemoTemplate(template_name=template_name, context=context, status_code=status_code)


def redirect(path: str) -> Redirect:
    """303 See Other: after a form post the browser GETs the target (no re-submission on reload)."""
    return Redirect(path=path, status_code=303)


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def flash(request: Request[Any, Any, Any], message: str, category: str = "success") -> None:
    """A message shown once on the next page (texts are already translated by the caller)."""
    flashes = list(request.session.get(FLASH_SESSION_KEY, []))
    flashes.append({"message": message, "category": category})
    request.session[FLASH_SESSION_KEY] = flashes


def safe_next(target: Any, default: str = "/") -> str:
    """Only local paths: a login form must never send someone to another site.

    ``target`` comes straight from a form or a query string: a field sent twice arrives as a list,
    which is no path either.
    """
    if not target or not isinstance(target, str):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def login_redirect(request: Request[Any, Any, Any]) -> Redirect:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(f"/login?next={quote(target)}")


def form_errors(exc: DomainError) -> dict[str, str]:
    """Field → message for the form, or the whole message under ``__all__``."""
    errors = exc.field_errors
    if not errors:
        errors = {"__all__": exc.detail}
    return errors


async def form_dict(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Form fields as a dict: single values as strings, repeated fields (checkboxes) as lists."""
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form.keys():
        values = form.getall(key)
        data[key] = values if len(values) > 1 else values[0]
    return data


def as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(item) for item in value if item != ""]
    return [str(value)]
