"""The office's page of the outbox: pending and failed notices, and resending a failed one."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from training_hub.core.i18n import gettext
from training_hub.notifications.office import outbox_overview, resend_failed
from training_hub.web.auth import CurrentUser, provide_user, requires_admin
from training_hub.web.responses import flash, page, redirect


class NotificationPages(Controller):
    path = "/admin/notifications"
    guards = [requires_admin]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", name="admin_notifications")
    async def overview(self, user: NamedDependency[CurrentUser]) -> Template:
        return page("enrolment/notifications_admin.html", overview=await outbox_overview(user))

    @post("/{outbox_id:int}/resend", name="admin_notification_resend")
    async def resend(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                     outbox_id: FromPath[int]) -> Redirect:
        await resend_failed(user, outbox_id)
        flash(request, gettext("Notifica rimessa in coda: partirà al prossimo giro di invio."))
        return redirect("/admin/notifications")


ROUTES = [NotificationPages]
