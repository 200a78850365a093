"""The main menu: which entries each role sees. Features add their entries here."""

from __future__ import annotations

from dataclasses import dataclass

from training_hub.i18n import N_, gettext
from training_hub.web.auth import CurrentUser


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    roles: frozenset[str] | None = None  # None: everyone logged in

    def visible_to(self, user: CurrentUser) -> bool:
        return self.roles is None or user.has_role(*self.roles)


NAV_ITEMS: list[NavItem] = [
    NavItem("/", N_("Home")),
    NavItem("/courses", N_("Catalogo")),
    NavItem("/trainer/courses", N_("I miei corsi"), frozenset({"trainer", "coordinator", "admin"})),
    NavItem("/my/enrolments", N_("Le mie iscrizioni")),
    NavItem("/coordinator/enrolments", N_("Iscrizioni della cooperativa"), frozenset({"coordinator"})),
    NavItem("/tutor/people", N_("Le persone che segui"), frozenset({"tutor"})),
    NavItem("/admin/approvals", N_("Approvazioni"), frozenset({"admin"})),
    NavItem("/admin/people", N_("Persone"), frozenset({"admin", "coordinator"})),
    NavItem("/admin/cooperatives", N_("Cooperative"), frozenset({"admin"})),
    NavItem("/admin/locations", N_("Sedi"), frozenset({"admin"})),
    NavItem("/cooperative/attendance", N_("Frequenza della cooperativa"), frozenset({"admin", "coordinator"})),
    NavItem("/my/training", N_("Il mio percorso formativo")),
    NavItem("/reports", N_("Report"), frozenset({"admin", "coordinator", "trainer"})),
    NavItem("/admin/surveys", N_("Questionari"), frozenset({"admin"})),
    NavItem("/profile", N_("Profilo")),
]


def nav_for(user: CurrentUser | None, current_path: str = "") -> list[dict[str, object]]:
    if user is None:
        return []
    items = []
    for item in NAV_ITEMS:
        if item.visible_to(user):
            active = current_path == item.href or (item.href != "/" and current_path.startswith(item.href))
            items.append({"href": item.href, "label": gettext(item.label), "active": active})
    return items
