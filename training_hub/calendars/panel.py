"""The profile's calendar panel: the person's feed links and the one-click ways to subscribe.

Rules kept here, and why: the feed URL is a secret, revocable link created on first use (never
derived from the password, see :mod:`.tokens`); coordinators of a cooperative also get their
cooperative's feed, which shows how many of its workers attend, never who.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from training_hub.calendars.tokens import current_token, feed_url
from training_hub.core.i18n import N_, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import FeedKind, Role


def subscribe_links(url: str, name: str) -> dict[str, str]:
    """The feed URL and the one-click ways to subscribe to it."""
    webcal = "webcal://" + url.split("://", 1)[1]
    encoded_url, encoded_name = quote(url, safe=""), quote(name, safe="")
    return {
        "url": url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        "outlook": f"https://outlook.live.com/calendar/0/addfromweb?url={encoded_url}&name={encoded_name}",
        "outlook365": f"https://outlook.office.com/calendar/0/addfromweb?url={encoded_url}&name={encoded_name}",
    }


async def _panel_links(user: CurrentUser, kind: str, name: str) -> dict[str, Any]:
    token, created_at = await current_token(user, kind)
    return {**subscribe_links(feed_url(token), name), "kind": kind, "created_at": created_at}


async def calendar_panel_context(user: CurrentUser) -> dict[str, Any]:
    """What ``templates/calendars/_profile_panel.html`` needs (as ``calendar``): the person's feed links
    (the token is created on first use) and, for coordinators, their cooperative feed's."""
    context: dict[str, Any] = {
        "personal": await _panel_links(user, FeedKind.PERSONAL.value, gettext(N_("La mia formazione · Training Hub"))),
        "cooperative": None,
    }
    if user.has_role(Role.COORDINATOR) and user.cooperative_id is not None:
        context["cooperative"] = await _panel_links(
            user, FeedKind.COOPERATIVE.value, gettext(N_("Formazione della cooperativa · Training Hub"))
        )
    return context
