"""JSON API of the catalogue: paths, courses, sessions, locations.

Instants go out as ISO 8601 with the Europe/Rome offset; input without an offset means Rome time.
Scheduling conflicts answer 409 with every finding in ``issues`` (warnings too, unless the body has
``"confirm_warnings": true``).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from training_hub.catalogue.courses import (
    CourseInput,
    cancel_course,
    complete_course,
    copy_course,
    course_input_from,
    create_course,
    delete_draft_course,
    get_course_detail,
    get_manageable_course_detail,
    publish_course,
    update_course,
)
from training_hub.catalogue.listing import list_managed_courses, parse_catalogue_filters, search_catalogue
from training_hub.catalogue.locations import (
    LocationInput,
    create_location,
    get_location,
    list_locations,
    update_location,
)
from training_hub.catalogue.paths import (
    PathInput,
    create_path,
    get_path,
    get_path_detail,
    list_paths,
    update_path,
)
from training_hub.catalogue.public import public_courses
from training_hub.catalogue.schemas import (
    CancelIn,
    CataloguePage,
    CopyIn,
    CourseDetail,
    CourseIn,
    CoursePatch,
    CourseSummary,
    Location,
    LocationIn,
    LocationPatch,
    PathDetail,
    PathIn,
    PathPatch,
    PathSummary,
    PublicCourse,
    PublishIn,
    SeriesIn,
    Session,
    SessionIn,
    SessionPatch,
    TrainingPath,
)
from training_hub.catalogue.sessions import (
    SeriesInput,
    SessionInput,
    cancel_session,
    check_sessions,
    create_series,
    create_session,
    delete_draft_session,
    get_session,
    get_session_for_edit,
    session_input_from,
    update_session,
)
from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.schemas import Issues, Page, to_struct
from training_hub.web.auth import CurrentUser, provide_user, requires_admin, requires_login, requires_staff


def _merge(base: Any, patch_data: msgspec.Struct, skip: tuple[str, ...] = ("confirm_warnings",)) -> Any:
    for name in patch_data.__struct_fields__:
        value = getattr(patch_data, name)
        if value is not msgspec.UNSET and name not in skip:
            setattr(base, name, value)
    return base


def _session_input(data: SessionIn) -> SessionInput:
    return SessionInput(starts_at=data.starts_at, ends_at=data.ends_at, location_id=data.location_id,
                        online_url=data.online_url, topics=data.topics, trainer_id=data.trainer_id)


def _series_input(data: SeriesIn) -> SeriesInput:
    return SeriesInput(first_day=data.first_day, weekdays=list(data.weekdays), start_time=data.start_time,
                       end_time=data.end_time, count=data.count, until=data.until, location_id=data.location_id,
                       online_url=data.online_url, topics=list(data.topics), trainer_id=data.trainer_id)


def _issues(issues: list[Any]) -> Issues:
    return to_struct({"issues": [issue.as_dict() for issue in issues]}, Issues)


# Controllers --------------------------------------------------------------------------------------

DEPENDENCIES = {"user": Provide(provide_user, sync_to_thread=False)}


class PathsApi(Controller):
    path = "/api/paths"
    tags = ["catalogue"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES

    @get("/", summary="I percorsi formativi visibili, con i corsi in ordine")
    async def list_paths(
        self, user: NamedDependency[CurrentUser], kind: FromQuery[str | None] = None
    ) -> list[PathSummary]:
        return to_struct(await list_paths(user, kind=kind or None), list[PathSummary])

    @post("/", status_code=HTTP_201_CREATED, guards=[requires_staff], summary="Crea un percorso formativo")
    async def create(self, user: NamedDependency[CurrentUser], data: JSONBody[PathIn]) -> TrainingPath:
        result = await create_path(user, PathInput(**msgspec.structs.asdict(data)))
        return to_struct(result, TrainingPath)

    @get("/{path_id:int}", summary="Un percorso con i suoi corsi in ordine")
    async def detail(self, user: NamedDependency[CurrentUser], path_id: FromPath[int]) -> PathDetail:
        return to_struct(await get_path_detail(user, path_id), PathDetail)

    @patch("/{path_id:int}", guards=[requires_staff], summary="Modifica un percorso")
    async def update(
        self, user: NamedDependency[CurrentUser], path_id: FromPath[int], data: JSONBody[PathPatch]
    ) -> TrainingPath:
        current = await get_path(user, path_id)
        base = PathInput(kind=current["kind"], title=current["title"], description=current["description"],
                         objectives=current["objectives"], sequential=current["sequential"],
                         owner_cooperative_id=current["owner_cooperative_id"])
        return to_struct(await update_path(user, path_id, _merge(base, data)), TrainingPath)


class CoursesApi(Controller):
    path = "/api/courses"
    tags = ["catalogue"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES

    @get("/", summary="Il catalogo: corsi pubblicati, con filtri e pagine (come la pagina /courses)")
    async def catalogue(
        self,
        user: NamedDependency[CurrentUser],
        kind: FromQuery[str | None] = None,
        province: FromQuery[str | None] = None,
        area: FromQuery[str | None] = None,
        delivery_mode: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        starts_after: FromQuery[str | None] = None,
        starts_before: FromQuery[str | None] = None,
        seats_available: FromQuery[str | None] = None,
        include_past: FromQuery[str | None] = None,
        sort: FromQuery[str | None] = None,
        page: FromQuery[str | None] = None,
        page_size: FromQuery[str | None] = None,
    ) -> CataloguePage:
        """``starts_after``/``starts_before``: a date (both ends included) or an ISO instant;
        ``seats_available``/``include_past``: ``true`` or ``1``; ``sort``: ``start`` or ``-start``."""
        filters, errors = parse_catalogue_filters({
            "kind": kind, "province": province, "area": area, "delivery_mode": delivery_mode, "q": q,
            "starts_after": starts_after, "starts_before": starts_before, "seats_available": seats_available,
            "include_past": include_past, "sort": sort, "page": page, "page_size": page_size,
        })
        if errors:
            raise ValidationFailed(N_("Alcuni filtri non sono validi."), errors=errors)
        items, total = await search_catalogue(user, filters)
        page = {"items": items, "total": total, "page": filters.page, "page_size": filters.page_size}
        return to_struct(page, CataloguePage)

    @post("/", status_code=HTTP_201_CREATED, guards=[requires_staff], summary="Crea un corso (in bozza)")
    async def create(self, user: NamedDependency[CurrentUser], data: JSONBody[CourseIn]) -> CourseDetail:
        result = await create_course(user, CourseInput(**msgspec.structs.asdict(data)))
        return to_struct(result, CourseDetail)

    @get("/{course_id:int}", summary="Un corso con incontri, posti, lista d'attesa e stato")
    async def detail(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> CourseDetail:
        return to_struct(await get_course_detail(user, course_id), CourseDetail)

    @patch("/{course_id:int}", summary="Modifica un corso")
    async def update(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[CoursePatch]
    ) -> CourseDetail:
        current = course_input_from(await get_manageable_course_detail(user, course_id))
        return to_struct(await update_course(user, course_id, _merge(current, data)), CourseDetail)

    @delete("/{course_id:int}", status_code=HTTP_204_NO_CONTENT, summary="Elimina un corso in bozza")
    async def remove(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> None:
        await delete_draft_course(user, course_id)

    @post("/{course_id:int}/publish", status_code=HTTP_200_OK, summary="Pubblica un corso in bozza")
    async def publish(self, user: NamedDependency[CurrentUser], course_id: FromPath[int],
                      data: JSONBody[PublishIn | None] = None) -> CourseDetail:
        confirm = data.confirm_warnings if data is not None else False
        return to_struct(await publish_course(user, course_id, confirm_warnings=confirm), CourseDetail)

    @post("/{course_id:int}/cancel", status_code=HTTP_200_OK, summary="Annulla un corso pubblicato")
    async def cancel(
        self,
        user: NamedDependency[CurrentUser],
        course_id: FromPath[int],
        data: JSONBody[CancelIn | None] = None,
    ) -> CourseDetail:
        result = await cancel_course(user, course_id, data.reason if data else "")
        return to_struct(result, CourseDetail)

    @post("/{course_id:int}/complete", status_code=HTTP_200_OK, summary="Segna concluso un corso finito")
    async def complete(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> CourseDetail:
        return to_struct(await complete_course(user, course_id), CourseDetail)

    @post("/{course_id:int}/copy", status_code=HTTP_201_CREATED, summary="Copia il corso in una nuova edizione")
    async def copy(
        self,
        user: NamedDependency[CurrentUser],
        course_id: FromPath[int],
        data: JSONBody[CopyIn | None] = None,
    ) -> CourseDetail:
        data = data or CopyIn()
        copy = await copy_course(user, course_id, first_day=data.first_day,
                                         confirm_warnings=data.confirm_warnings)
        return to_struct(copy, CourseDetail)

    @post("/{course_id:int}/sessions", status_code=HTTP_201_CREATED, summary="Aggiungi un incontro")
    async def add_session(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[SessionIn]
    ) -> Session:
        session = await create_session(user, course_id, _session_input(data),
                                               confirm_warnings=data.confirm_warnings)
        return to_struct(session, Session)

    @post("/{course_id:int}/sessions/check", status_code=HTTP_200_OK,
          summary="Verifica un incontro senza salvarlo (conflitti e avvisi)")
    async def check_session(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[SessionIn]
    ) -> Issues:
        return _issues(await check_sessions(user, course_id, _session_input(data)))

    @post("/{course_id:int}/sessions/series", status_code=HTTP_201_CREATED,
          summary="Aggiungi una serie settimanale di incontri")
    async def add_series(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[SeriesIn]
    ) -> Page[Session]:
        sessions = await create_series(user, course_id, _series_input(data),
                                               confirm_warnings=data.confirm_warnings)
        return to_struct({"items": sessions, "total": len(sessions)}, Page[Session])

    @post("/{course_id:int}/sessions/series/check", status_code=HTTP_200_OK,
          summary="Verifica una serie senza salvarla (conflitti e avvisi)")
    async def check_series(
        self, user: NamedDependency[CurrentUser], course_id: FromPath[int], data: JSONBody[SeriesIn]
    ) -> Issues:
        return _issues(await check_sessions(user, course_id, _series_input(data)))


class SessionsApi(Controller):
    path = "/api/sessions"
    tags = ["catalogue"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES

    @get("/{session_id:int}", summary="Un incontro")
    async def detail(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Session:
        return to_struct(await get_session(user, session_id), Session)

    @patch("/{session_id:int}", summary="Sposta o modifica un incontro")
    async def update(
        self, user: NamedDependency[CurrentUser], session_id: FromPath[int], data: JSONBody[SessionPatch]
    ) -> Session:
        current = session_input_from(await get_session_for_edit(user, session_id))
        session = await update_session(user, session_id, _merge(current, data),
                                               confirm_warnings=data.confirm_warnings)
        return to_struct(session, Session)

    @post("/{session_id:int}/cancel", status_code=HTTP_200_OK, summary="Annulla un incontro (resta, segnato annullato)")
    async def cancel(
        self,
        user: NamedDependency[CurrentUser],
        session_id: FromPath[int],
        data: JSONBody[CancelIn | None] = None,
    ) -> Session:
        return to_struct(await cancel_session(user, session_id, data.reason if data else ""), Session)

    @delete("/{session_id:int}", status_code=HTTP_204_NO_CONTENT, summary="Elimina un incontro di un corso in bozza")
    async def remove(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> None:
        await delete_draft_session(user, session_id)


class LocationsApi(Controller):
    path = "/api/locations"
    tags = ["catalogue"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES

    @get("/", summary="Le sedi dei corsi")
    async def list_locations(self, active_only: FromQuery[bool] = False) -> list[Location]:
        return to_struct(await list_locations(active_only=active_only), list[Location])

    @get("/{location_id:int}", summary="Una sede")
    async def detail(self, location_id: FromPath[int]) -> Location:
        return to_struct(await get_location(location_id), Location)

    @post("/", status_code=HTTP_201_CREATED, guards=[requires_admin], summary="Aggiungi una sede")
    async def create(self, user: NamedDependency[CurrentUser], data: JSONBody[LocationIn]) -> Location:
        result = await create_location(user, LocationInput(**msgspec.structs.asdict(data)))
        return to_struct(result, Location)

    @patch("/{location_id:int}", guards=[requires_admin], summary="Modifica una sede")
    async def update(
        self, user: NamedDependency[CurrentUser], location_id: FromPath[int], data: JSONBody[LocationPatch]
    ) -> Location:
        current = await get_location(location_id)
        base = LocationInput(**{k: v for k, v in current.items() if k != "id"})
        return to_struct(await update_location(user, location_id, _merge(base, data)), Location)


class TrainerCoursesApi(Controller):
    path = "/api/trainer/courses"
    tags = ["catalogue"]  # noqa: RUF012
    guards = [requires_staff]  # noqa: RUF012
    dependencies = DEPENDENCIES

    @get("/", summary="I corsi che gestisco (bozze comprese), come la pagina /trainer/courses")
    async def managed(
        self,
        user: NamedDependency[CurrentUser],
        status: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        page: FromQuery[int] = 1,
        page_size: FromQuery[int] = 20,
    ) -> Page[CourseSummary]:
        items, total = await list_managed_courses(user, status=status or None, q=q, page=page,
                                                          page_size=page_size)
        return to_struct({"items": items, "total": total}, Page[CourseSummary])


class PublicCoursesApi(Controller):
    """The public catalogue, without login: the same list as ``/courses`` shows to anyone."""

    path = "/api/public/courses"
    tags = ["catalogue"]  # noqa: RUF012

    @get("/", summary="Il catalogo pubblico: i corsi del consorzio aperti a tutti (senza accesso)")
    async def list_public(self, page: FromQuery[int] = 1) -> Page[PublicCourse]:
        if not 1 <= page <= 10_000:
            raise ValidationFailed(N_("Il numero di pagina è un intero da 1 in su."), field="page")
        items, total = await public_courses(page)
        return to_struct({"items": items, "total": total}, Page[PublicCourse])


ROUTES = [PublicCoursesApi, PathsApi, CoursesApi, SessionsApi, LocationsApi, TrainerCoursesApi]

