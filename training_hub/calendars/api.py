"""JSON API: the caller's calendar feed links, and a new secret link."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.status_codes import HTTP_200_OK

from training_hub.calendars.schemas import CalendarLinksOut
from training_hub.calendars.tokens import current_feed_url, rotate_token
from training_hub.core.tables import FeedKind, Role
from training_hub.web.auth import CurrentUser, provide_user, requires_login


async def _links(user: CurrentUser) -> CalendarLinksOut:
    cooperative = None
    if user.has_role(Role.COORDINATOR) and user.cooperative_id is not None:
        cooperative = await current_feed_url(user, FeedKind.COOPERATIVE)
    return CalendarLinksOut(calendar_url=await current_feed_url(user), cooperative_calendar_url=cooperative)


class CalendarApi(Controller):
    path = "/api/me/calendar"
    tags = ["calendars"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", summary="I link dei propri calendari")
    async def links(self, user: NamedDependency[CurrentUser]) -> CalendarLinksOut:
        return await _links(user)

    @post(
        "/rotate",
        status_code=HTTP_200_OK,
        summary="Genera un nuovo link del calendario",
        description="Il link precedente smette subito di funzionare (404). `kind`: personal o cooperative.",
    )
    async def rotate(
        self, user: NamedDependency[CurrentUser], kind: FromQuery[str] = FeedKind.PERSONAL.value
    ) -> CalendarLinksOut:
        await rotate_token(user, kind)
        return await _links(user)


ROUTES = [CalendarApi]
