"""The pages that set up the catalogue: training paths (trainers, coordinators, the office) and
locations (the office only).

Who may own a path, and what the form offers about it, is the paths service's decision
(``paths.owner_choice``); the template only shows it.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from training_hub.catalogue.forms import form_from_post, location_form, location_input, path_input
from training_hub.catalogue.locations import create_location, get_location, list_locations, update_location
from training_hub.catalogue.paths import (
    create_path,
    get_manageable_path,
    get_path,
    new_path_defaults,
    owner_choice,
    update_path,
)
from training_hub.core.errors import DomainError
from training_hub.core.i18n import gettext
from training_hub.core.tables import PathKind, Province
from training_hub.web.auth import CurrentUser, provide_user, requires_admin, requires_staff
from training_hub.web.responses import flash, form_dict, form_errors, page, redirect


class TrainerPathPages(Controller):
    path = "/trainer"
    guards = [requires_staff]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    async def _path_form(self, user: CurrentUser, form: dict[str, Any], errors: dict[str, str], *,
                         path: dict[str, Any] | None = None, status: int = 200) -> Template:
        return page("catalogue/path_form.html", status_code=status, form=form, errors=errors,
                    kinds=[k.value for k in PathKind], owner=await owner_choice(user, path))

    @get("/paths/new", name="path_new")
    async def new_path(self, user: NamedDependency[CurrentUser]) -> Template:
        return await self._path_form(user, new_path_defaults(user), {})

    @post("/paths/new", name="path_create")
    async def create_path(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            path = await create_path(user, path_input(user, data))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            return await self._path_form(user, form_from_post(data), form_errors(exc), status=exc.status_code)
        flash(request, gettext("Percorso creato."))
        return redirect(f"/paths/{path['id']}")

    @get("/paths/{path_id:int}/edit", name="path_edit")
    async def edit_path(self, user: NamedDependency[CurrentUser], path_id: FromPath[int]) -> Template:
        path = await get_manageable_path(user, path_id)
        return await self._path_form(user, path, {}, path=path)

    @post("/paths/{path_id:int}/edit", name="path_update")
    async def update_path(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], path_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        current = await get_path(user, path_id)
        try:
            await update_path(user, path_id, path_input(user, data, current))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            return await self._path_form(user, {**form_from_post(data), "id": path_id}, form_errors(exc),
                                         path=current, status=exc.status_code)
        flash(request, gettext("Modifiche salvate."))
        return redirect(f"/paths/{path_id}")


class LocationPages(Controller):
    path = "/admin/locations"
    guards = [requires_admin]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    def _form(self, form: dict[str, Any], errors: dict[str, str], status: int = 200) -> Template:
        return page("catalogue/location_form.html", status_code=status, form=form, errors=errors,
                    provinces=[p.value for p in Province])

    @get("/", name="locations")
    async def list_locations(self) -> Template:
        return page("catalogue/locations.html", locations=await list_locations())

    @get("/new", name="location_new")
    async def new_location(self) -> Template:
        return self._form({"active": True}, {})

    @post("/new", name="location_create")
    async def create_location(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await create_location(user, location_input(data))
        except DomainError as exc:
            return self._form(form_from_post(data), form_errors(exc), exc.status_code)
        flash(request, gettext("Sede aggiunta."))
        return redirect("/admin/locations")

    @get("/{location_id:int}", name="location_edit")
    async def edit_location(self, location_id: FromPath[int]) -> Template:
        return self._form(location_form(await get_location(location_id)), {})

    @post("/{location_id:int}", name="location_update")
    async def update_location(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], location_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await update_location(user, location_id, location_input(data))
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            return self._form({**form_from_post(data), "id": location_id}, form_errors(exc), exc.status_code)
        flash(request, gettext("Modifiche salvate."))
        return redirect("/admin/locations")


ROUTES = [TrainerPathPages, LocationPages]
