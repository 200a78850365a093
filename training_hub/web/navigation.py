"""The main menu: which entries each role sees. Features add their entries here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from training_hub.core.i18n import N_, gettext
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
    NavItem("/my/enrolments", N_("Le mie iscrizioni")),
    NavItem("/my/training", N_("Il mio percorso formativo")),
    NavItem("/trainer/courses", N_("I miei corsi"), frozenset({"trainer", "coordinator", "admin"})),
    NavItem("/tutor/people", N_("Le persone che segui"), frozenset({"tutor"})),
    NavItem("/inclusion-pathways", N_("Percorsi di inclusione"), frozenset({"tutor", "admin"})),
    # The coordinator's and the office's tools are grouped on a page each (people, enrolments,
    # attendance, locations, surveys…), so the menu stays short on a phone.
    NavItem("/cooperative", N_("La mia cooperativa"), frozenset({"coordinator"})),
    NavItem("/admin", N_("Gestione"), frozenset({"admin"})),
    NavItem("/reports", N_("Report"), frozenset({"admin", "coordinator", "trainer"})),
    NavItem("/profile", N_("Profilo")),
]


# A course's management pages live under /courses/<id>/… and /sessions/<id>/… but belong to "I miei
# corsi" (participants, attendance, editing, sessions, the final test's editor and results); the course
# page itself, enrolling and taking the final test stay in the catalogue.
MANAGED_COURSE_PAGE = re.compile(
    r"^/(?:courses/(?:new|\d+/(?!enrol(?:/|$)|final-test/?$).+)|sessions/\d+(?:/.*)?)$")
MY_COURSES = "/trainer/courses"


def nav_for(user: CurrentUser | None, current_path: str = "") -> list[dict[str, object]]:
    if user is None:
        return []
    visible = [item for item in NAV_ITEMS if item.visible_to(user)]
    managed = MANAGED_COURSE_PAGE.match(current_path) is not None and any(i.href == MY_COURSES for i in visible)
    items = []
    for item in visible:
        if managed:
            active = item.href == MY_COURSES
        else:
            active = current_path == item.href or (item.href != "/" and current_path.startswith(item.href))
        items.append({"href": item.href, "label": gettext(item.label), "active": active})
    return items
