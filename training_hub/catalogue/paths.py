"""Training paths: the three kinds of the consortium's brochure (and ``other``), with ordered courses.

Rules, and why:

* a path belongs to the consortium (``owner_cooperative`` empty, seen by everyone) or to one
  cooperative (seen only by its people: its internal training);
* the training office manages every path; a cooperative's path is its coordinators'; a consortium path
  is its author's (a trainer);
* who may set the owner is decided here (:func:`owner_choice`, :func:`owner_from_form`), not in the
  forms: only the office chooses any owner; a coordinator's new path becomes their cooperative's (unless
  they also teach, then it stays the consortium's), and nobody but the office moves a path between
  owners, because who sees its courses would change with it;
* trainers add courses to the consortium's paths, coordinators (and trainers) of a cooperative to its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from training_hub.catalogue.access import visible_courses_condition, visible_courses_sql
from training_hub.catalogue.listing import course_listing
from training_hub.core.audit import record_audit_event
from training_hub.core.errors import NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import multi_line, parse_id, single_line
from training_hub.core.tables import Cooperative, Course, CourseTrainer, PathKind, Role, Session, TrainingPath
from training_hub.core.timeutil import utcnow
from training_hub.directory.service import list_cooperatives


@dataclass
class PathInput:
    kind: str
    title: str
    description: str = ""
    objectives: str = ""
    sequential: bool = False
    owner_cooperative_id: int | None = None


PATH_COLUMNS = (
    TrainingPath.id, TrainingPath.kind, TrainingPath.title, TrainingPath.description, TrainingPath.objectives,
    TrainingPath.owner_cooperative, TrainingPath.sequential, TrainingPath.created_by,
    TrainingPath.owner_cooperative.name.as_alias("owner_name"),
)


def path_out(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "title": row["title"],
        "description": row.get("description", ""),
        "objectives": row.get("objectives", ""),
        "owner_cooperative_id": row.get("owner_cooperative"),
        "owner_cooperative_name": row.get("owner_name"),
        "sequential": bool(row.get("sequential")),
        "created_by": row.get("created_by"),
    }


def can_manage_path(user: CurrentUser, path: Mapping[str, Any]) -> bool:
    if user.is_admin:
        return True
    owner = path.get("owner_cooperative_id")
    if owner is not None:
        return user.has_role(Role.COORDINATOR) and user.cooperative_id == owner
    return user.has_role(Role.TRAINER) and path.get("created_by") == user.id


def can_add_course_to_path(user: CurrentUser, path: Mapping[str, Any]) -> bool:
    """Trainers publish in the consortium's paths; a cooperative's own paths belong to its coordinators."""
    if user.is_admin:
        return True
    owner = path.get("owner_cooperative_id")
    if owner is None:
        return user.has_role(Role.TRAINER)
    return user.cooperative_id == owner and user.has_role(Role.COORDINATOR, Role.TRAINER)


def path_visible(user: CurrentUser, path: Mapping[str, Any]) -> bool:
    owner = path.get("owner_cooperative_id")
    return user.is_admin or owner is None or owner == user.cooperative_id


async def _path_row(path_id: int) -> dict[str, Any]:
    row = await TrainingPath.select(*PATH_COLUMNS).where(TrainingPath.id == path_id).first()
    if row is None:
        raise NotFound(N_("Percorso non trovato."))
    return path_out(row)


async def get_path(user: CurrentUser, path_id: int) -> dict[str, Any]:
    path = await _path_row(path_id)
    if not path_visible(user, path) and not await _teaches_in_path(user.id, path_id):
        raise NotFound(N_("Percorso non trovato."))
    return path


def taught_by(user_id: int) -> Any:
    """Courses the person teaches: as one of their trainers or in one of their sessions (as
    :func:`can_view_course` counts it, so whoever may read a course may read its path)."""
    return Course.id.is_in(CourseTrainer.select(CourseTrainer.course).where(CourseTrainer.person == user_id)) | (
        Course.id.is_in(Session.select(Session.course).where(Session.trainer == user_id)))


async def _teaches_in_path(user_id: int, path_id: int) -> bool:
    return await Course.exists().where((Course.path == path_id) & taught_by(user_id))


async def list_paths(user: CurrentUser, *, kind: str | None = None) -> list[dict[str, Any]]:
    """Paths the user may see, each with the ids of its visible courses in order."""
    query = TrainingPath.select(*PATH_COLUMNS).order_by(TrainingPath.kind).order_by(TrainingPath.title)
    if kind:
        if kind not in {k.value for k in PathKind}:
            raise ValidationFailed(N_("Tipo di percorso sconosciuto."), field="kind")
        query = query.where(TrainingPath.kind == kind)
    if not user.is_admin:
        owner_ok = TrainingPath.owner_cooperative.is_null()
        if user.cooperative_id is not None:
            owner_ok = owner_ok | (TrainingPath.owner_cooperative == user.cooperative_id)
        if user.has_role(Role.TRAINER):
            owner_ok = owner_ok | TrainingPath.id.is_in(Course.select(Course.path).where(taught_by(user.id)))
        query = query.where(owner_ok)
    paths = [path_out(row) for row in await query]
    if not paths:
        return []
    course_query = Course.select(Course.id, Course.path).where(Course.path.is_in([p["id"] for p in paths]))
    condition = visible_courses_condition(user)
    if condition is not None:
        course_query = course_query.where(condition)
    by_path: dict[int, list[int]] = defaultdict(list)
    for row in await course_query.order_by(Course.position).order_by(Course.starts_at).order_by(Course.id):
        by_path[row["path"]].append(row["id"])
    for path in paths:
        path["course_ids"] = by_path.get(path["id"], [])
    return paths


async def _validate_path(user: CurrentUser, data: PathInput, existing: dict[str, Any] | None) -> dict[Any, Any]:
    errors: dict[str, str] = {}
    title = single_line(data.title, "title", errors, max_length=200)  # checked, never cut
    if not title and "title" not in errors:
        errors["title"] = N_("Indica il titolo del percorso.")
    description = multi_line(data.description, "description", errors)
    objectives = multi_line(data.objectives, "objectives", errors)
    if data.kind not in {k.value for k in PathKind}:
        errors["kind"] = N_("Scegli il tipo di percorso.")
    owner = parse_id(data.owner_cooperative_id)
    if not user.is_admin:
        if user.has_role(Role.COORDINATOR) and user.cooperative_id is not None:
            if owner not in (None, user.cooperative_id):
                raise PermissionDenied(N_("Puoi gestire solo i percorsi della tua cooperativa."))
            if owner is None and _owns_new_paths(user):
                owner = user.cooperative_id
        elif owner is not None:
            raise PermissionDenied(N_("I percorsi di una cooperativa sono gestiti dai suoi coordinatori."))
        if existing is not None and owner != existing["owner_cooperative_id"]:
            raise PermissionDenied(N_("Solo l'ufficio formazione può cambiare a chi appartiene un percorso."))
    if owner is not None and not await Cooperative.exists().where(Cooperative.id == owner):
        errors["owner_cooperative_id"] = N_("La cooperativa indicata non esiste.")
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    return {
        TrainingPath.kind: data.kind,
        TrainingPath.title: title,
        TrainingPath.description: description,
        TrainingPath.objectives: objectives,
        TrainingPath.sequential: bool(data.sequential),
        TrainingPath.owner_cooperative: owner,
    }


async def create_path(user: CurrentUser, data: PathInput) -> dict[str, Any]:
    if not may_create_path(user):
        raise PermissionDenied(N_("Solo formatori, coordinatori e ufficio formazione creano percorsi."))
    values = await _validate_path(user, data, None)
    values[TrainingPath.created_by] = user.id
    row = TrainingPath(**{column._meta.name: value for column, value in values.items()})
    await row.save()
    await record_audit_event("path.created", actor_id=user.id, entity="training_path", entity_id=row.id)
    return await _path_row(row.id)


async def update_path(user: CurrentUser, path_id: int, data: PathInput) -> dict[str, Any]:
    existing = await get_manageable_path(user, path_id)
    values = await _validate_path(user, data, existing)
    values[TrainingPath.updated_at] = utcnow()
    await TrainingPath.update(values).where(TrainingPath.id == path_id)
    await record_audit_event("path.updated", actor_id=user.id, entity="training_path", entity_id=path_id)
    return await _path_row(path_id)


async def paths_for_new_course(user: CurrentUser) -> list[dict[str, Any]]:
    """The paths the user may add a course to (for the course form)."""
    return [p for p in await list_paths(user) if can_add_course_to_path(user, p)]


async def get_path_detail(user: CurrentUser, path_id: int) -> dict[str, Any]:
    """A path with its visible courses in order (each as a catalogue row)."""
    path = await get_path(user, path_id)
    where, args = ['"course"."path" = {}'], [path_id]
    rule = visible_courses_sql(user, path_alias="p")
    if rule is not None:
        where.append(rule[0])
        args += rule[1]
    path["courses"], _total = await course_listing(
        where, args, order='"course"."position", ("course"."starts_at" IS NULL), "course"."starts_at", "course"."id"')
    path["can_manage"] = can_manage_path(user, path)
    path["can_add_course"] = can_add_course_to_path(user, path)
    return path


def may_create_path(user: CurrentUser) -> bool:
    """Trainers, coordinators and the training office create paths."""
    return user.has_role(Role.ADMIN, Role.TRAINER, Role.COORDINATOR)


async def get_manageable_path(user: CurrentUser, path_id: int) -> dict[str, Any]:
    """The path if ``user`` manages it: 404 if they cannot even see it, else 403."""
    path = await get_path(user, path_id)
    if not can_manage_path(user, path):
        raise PermissionDenied(N_("Non puoi modificare questo percorso."))
    return path


# Who owns a path ------------------------------------------------------------------------------------


def _owns_new_paths(user: CurrentUser) -> bool:
    """A coordinator's new path is their cooperative's internal training — unless they also teach: a
    trainer's paths are the consortium's, for every cooperative."""
    return (user.has_role(Role.COORDINATOR) and user.cooperative_id is not None
            and not user.has_role(Role.TRAINER) and not user.is_admin)


@dataclass(frozen=True)
class OwnerChoice:
    """What the path form offers about the owner, as the rules decide it for one person."""

    may_choose: bool  # the training office: the consortium or any active cooperative
    cooperatives: list[dict[str, Any]] = field(default_factory=list)  # the options, when it may choose
    note: str | None = None  # otherwise, what the owner of a new path will be (a msgid), when worth saying


async def owner_choice(user: CurrentUser, path: Mapping[str, Any] | None = None) -> OwnerChoice:
    """For the form of a new path (``path`` None) or of ``path``: may ``user`` choose its owner, among
    which cooperatives, and what to tell them otherwise."""
    if user.is_admin:
        return OwnerChoice(may_choose=True, cooperatives=await list_cooperatives(active_only=True))
    if path is None and _owns_new_paths(user):
        return OwnerChoice(may_choose=False, note=N_(
            "Il percorso sarà della tua cooperativa e visibile solo ai suoi soci e lavoratori."))
    return OwnerChoice(may_choose=False)


def owner_from_form(user: CurrentUser, submitted: Any, path: Mapping[str, Any] | None = None) -> int | None:
    """The owner a submitted path form asks for: what the office picked; for anyone else the path keeps
    its owner (a new one gets what :func:`_validate_path` decides), whatever the form carried."""
    if user.is_admin:
        return parse_id(submitted)
    return path["owner_cooperative_id"] if path is not None else None


def new_path_defaults(user: CurrentUser) -> dict[str, Any]:
    """A new path's form: a coordinator's is usually their cooperative's internal training."""
    kind = PathKind.INTERNAL_TRAINING.value if user.has_role(Role.COORDINATOR) and not user.is_admin else ""
    return {"kind": kind}
