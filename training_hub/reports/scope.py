"""Whose figures a report shows, and which reports a person may open.

Rules kept here, and why:

* Three dashboards (``VIEWS``): the training office's overall one (admins), a cooperative's
  (its coordinators — they follow their cooperative's hours — and admins, who choose the
  cooperative), and a trainer's own courses (trainers, and admins, who choose the trainer).
  :func:`may_open_view` is that rule; :func:`resolve_scope` applies it to a request and pins
  coordinators to their cooperative and trainers to themselves, whatever the query string says.
* The pages show what these functions decided: :func:`report_menu` (the other reports a person may
  open from a dashboard) and :func:`choosable_filters` (which scope filters a person may change on
  a view); templates never decide it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from training_hub.core.db import fetch_one
from training_hub.core.errors import NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import PathKind, Province, Role

VIEWS = ("office", "cooperative", "trainer")
VIEW_PATHS = {"office": "/reports", "cooperative": "/reports/cooperative", "trainer": "/reports/trainer"}
NO_REPORTS = N_("I report sono riservati all'ufficio formazione, ai coordinatori e ai formatori.")


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole consortium (optionally filtered), one cooperative, or one trainer."""

    view: str
    cooperative_id: int | None = None
    cooperative_name: str | None = None
    province: str | None = None
    path_kind: str | None = None
    trainer_id: int | None = None
    trainer_name: str | None = None

    @property
    def person_filter(self) -> bool:
        return self.cooperative_id is not None or bool(self.province)

    def as_dict(self) -> dict[str, Any]:
        return {
            "view": self.view,
            "cooperative_id": self.cooperative_id,
            "province": self.province,
            "kind": self.path_kind,
            "trainer_id": self.trainer_id,
        }


def may_open_view(user: CurrentUser, view: str) -> bool:
    """The dashboards of the module notes: the office's for admins, a cooperative's for its
    coordinators and admins, a trainer's for trainers and admins."""
    if user.is_admin:
        return view in VIEWS
    if view == "cooperative":
        return user.has_role(Role.COORDINATOR) and user.cooperative_id is not None
    if view == "trainer":
        return user.has_role(Role.TRAINER)
    return False


def allowed_views(user: CurrentUser) -> list[str]:
    """The dashboards ``user`` may open, the one they land on first."""
    return [view for view in VIEWS if may_open_view(user, view)]


def default_view(user: CurrentUser) -> str:
    views = allowed_views(user)
    if not views:
        raise PermissionDenied(NO_REPORTS)
    return views[0]


@dataclass(frozen=True)
class ReportLink:
    view: str  # a dashboard's view, or "activity" / "surveys"
    label: str  # an Italian msgid
    href: str


def report_menu(user: CurrentUser) -> list[ReportLink]:
    """The reports a dashboard links to, for ``user``; empty when there is nowhere else to go.

    Admins: the overall dashboard, the activity report and the surveys (a cooperative's and a
    trainer's dashboards open from the office's tables, for the cooperative or trainer chosen).
    Anyone else: their own dashboards, when they have more than one (a coordinator who also teaches).
    """
    if user.is_admin:
        return [ReportLink("office", N_("Quadro complessivo"), VIEW_PATHS["office"]),
                ReportLink("activity", N_("Rapporto di attività"), "/reports/activity"),
                ReportLink("surveys", N_("Questionari"), "/admin/surveys")]
    labels = {"cooperative": N_("La mia cooperativa"), "trainer": N_("I miei corsi")}
    links = [ReportLink(view, labels[view], VIEW_PATHS[view]) for view in allowed_views(user) if view in labels]
    return links if len(links) > 1 else []


def choosable_filters(user: CurrentUser, view: str) -> frozenset[str]:
    """The scope filters ``user`` may set on ``view`` (besides the period and the path kind, which
    everyone may): the office filters by cooperative and province; an admin picks the cooperative of
    a cooperative's dashboard and the trainer of a trainer's. Coordinators and trainers are pinned
    to their own (:func:`resolve_scope`), so they get no choice to make."""
    if view == "office":
        return frozenset({"cooperative", "province"}) if user.is_admin else frozenset()
    if view == "cooperative" and user.is_admin:
        return frozenset({"cooperative"})
    if view == "trainer" and user.is_admin:
        return frozenset({"trainer"})
    return frozenset()


def _optional_choice(value: str | None, choices: set[str], field: str, message: str) -> str | None:
    if value is None or value == "":
        return None
    if value not in choices:
        raise ValidationFailed(message, field=field)
    return value


async def resolve_scope(
    user: CurrentUser,
    view: str | None = None,
    *,
    cooperative_id: int | None = None,
    province: str | None = None,
    path_kind: str | None = None,
    trainer_id: int | None = None,
) -> Scope:
    """Check who may see what, and pin coordinators to their cooperative and trainers to themselves."""
    view = view or default_view(user)
    if view not in VIEWS:
        raise ValidationFailed(N_("Vista sconosciuta: usa office, cooperative o trainer."), field="view")
    kind = _optional_choice(path_kind, {k.value for k in PathKind}, "kind", N_("Tipo di percorso sconosciuto."))
    province = _optional_choice(
        (province or "").upper() or None, {p.value for p in Province}, "province", N_("Provincia sconosciuta.")
    )
    if view == "office":
        if not may_open_view(user, view):
            raise PermissionDenied(N_("Il quadro complessivo è riservato all'ufficio formazione."))
        name = await _cooperative_name(cooperative_id) if cooperative_id is not None else None
        return Scope("office", cooperative_id=cooperative_id, cooperative_name=name, province=province, path_kind=kind)
    if view == "cooperative":
        if not may_open_view(user, view):
            raise PermissionDenied(N_("I dati di una cooperativa sono riservati ai suoi coordinatori."))
        if user.is_admin:
            if cooperative_id is None:
                raise ValidationFailed(N_("Scegli una cooperativa."), field="cooperative_id")
        else:
            if cooperative_id is not None and cooperative_id != user.cooperative_id:
                raise PermissionDenied(N_("Puoi vedere solo i dati della tua cooperativa."))
            cooperative_id = user.cooperative_id
        name = await _cooperative_name(cooperative_id)
        return Scope("cooperative", cooperative_id=cooperative_id, cooperative_name=name, path_kind=kind)
    # trainer
    if not may_open_view(user, view):
        raise PermissionDenied(N_("I dati dei corsi sono riservati ai loro formatori."))
    if user.is_admin:
        if trainer_id is None:
            if not user.has_role(Role.TRAINER):
                raise ValidationFailed(N_("Scegli un formatore."), field="trainer_id")
            trainer_id = user.id
    else:
        if (trainer_id is not None and trainer_id != user.id) or cooperative_id is not None or province:
            raise PermissionDenied(N_("Puoi vedere solo i dati dei tuoi corsi."))
        trainer_id = user.id
    row = await fetch_one("SELECT full_name FROM person WHERE id = {}", trainer_id)
    if row is None:
        raise NotFound(N_("Formatore non trovato."))
    return Scope("trainer", trainer_id=trainer_id, trainer_name=row["full_name"], path_kind=kind)


async def _cooperative_name(cooperative_id: int) -> str:
    row = await fetch_one("SELECT name FROM cooperative WHERE id = {}", cooperative_id)
    if row is None:
        raise ValidationFailed(N_("Cooperativa non trovata."), field="cooperative_id")
    return row["name"]

