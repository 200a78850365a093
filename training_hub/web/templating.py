"""The Jinja environment: autoescape on, i18n (new-style gettext), Babel formatting filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from markupsafe import Markup

from training_hub.core import i18n, richtext
from training_hub.core.identity import current_user
from training_hub.core.labels import AREA_LABELS, PATH_KIND_LABELS, PROVINCE_LABELS, ROLE_LABELS, label
from training_hub.core.settings import PROJECT_ROOT
from training_hub.core.wording import elide
from training_hub.web.navigation import nav_for

TEMPLATES_DIR = PROJECT_ROOT / "templates"
FLASH_SESSION_KEY = "_flash"

def template_gettext(message: str, **variables: Any) -> Markup:
    text = Markup(i18n.gettext(message)) % variables
    # Italian articles before the numbers just filled in: "dal 11/12" → "dall'11/12" (core.wording).
    return Markup(elide(text)) if variables and i18n.get_language() == "it" else text


def template_ngettext(singular: str, plural: str, num: int, **variables: Any) -> Markup:
    variables.setdefault("num", num)
    text = Markup(i18n.ngettext(singular, plural, num)) % variables
    return Markup(elide(text)) if i18n.get_language() == "it" else text


def format_day_span(first: Any, last: Any) -> str:
    """A span of days: "01/12/2026–14/12/2026", or a one-day course's "14/12/2026" once."""
    first_text, last_text = i18n.format_date(first), i18n.format_date(last)
    if not last_text or first_text == last_text:
        return first_text
    if not first_text:
        return last_text
    return f"{first_text}–{last_text}"


def format_day_at(value: Any) -> Markup:
    """An instant as a day and a time in a sentence: "11/12/2026 alle 09:15"."""
    if value is None:
        return Markup("")
    return template_gettext("%(day)s alle %(time)s", day=i18n.format_date(value), time=i18n.format_time(value))


@pass_context
def pop_flashes(context: Any) -> list[dict[str, str]]:
    request = context.get("request")
    if request is None or "session" not in request.scope:
        return []
    session = request.scope.get("session") or {}
    flashes = session.pop(FLASH_SESSION_KEY, None) if isinstance(session, dict) else None
    return flashes or []


def build_environment(templates_dir: Path = TEMPLATES_DIR) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, pgettext=i18n.pgettext, newstyle=True
    )
    # Same semantics as Jinja's new-style gettext (translation trusted, variables escaped, always a
    # format string) without its per-call context plumbing: a page calls _() dozens of times and the
    # stock wrappers cost more than the rest of the rendering.
    env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    env.filters.update(
        date=i18n.format_date,
        time=i18n.format_time,
        datetime=i18n.format_datetime,
        day_at=format_day_at,
        richtext=richtext.render,
        number=i18n.format_number,
        percent=i18n.format_percentage,
        hours=i18n.format_hours,
        role_label=lambda key: label(ROLE_LABELS, key),
        area_label=lambda key: label(AREA_LABELS, key),
        province_label=lambda key: PROVINCE_LABELS.get(key or "", key or ""),
        path_kind_label=lambda key: label(PATH_KIND_LABELS, key),
    )
    env.globals.update(
        current_user=current_user,
        day_span=format_day_span,
        nav_for=nav_for,
        htmx_available=(PROJECT_ROOT / "static" / "vendor" / "htmx.min.js").exists(),
        current_language=i18n.get_language,
        languages=i18n.LANGUAGES,
        pop_flashes=pop_flashes,
        ROLE_LABELS=ROLE_LABELS,
        AREA_LABELS=AREA_LABELS,
        PROVINCE_LABELS=PROVINCE_LABELS,
        PATH_KIND_LABELS=PATH_KIND_LABELS,
    )
    return env


def create_template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(engine=JinjaTemplateEngine.from_environment(build_environment()))
