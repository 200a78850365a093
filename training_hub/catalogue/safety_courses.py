"""Safety courses: a course that carries a ``safety_course_type`` (D.Lgs. 81/2008 art. 37, Accordo
Stato-Regioni 17/04/2025) follows that type's rules, read from :mod:`training_hub.safety.course_types`
(the one module of a higher feature the catalogue reads, see pyproject.toml):

* its attendance threshold is the type's minimum attendance (90%, ASR Parte IV); a higher figure stays;
* a delivery mode the type does not allow (ASR Parte IV 3.5: e-learning only for the general course,
  the specific course at low risk and the workers' refresher) is refused on the ``delivery_mode`` field
  (422), naming the modes allowed;
* it is published only when its scheduled sessions add up to the type's minimum hours: otherwise 409,
  with both figures in the message (:func:`check_minimum_hours`, under the course's lock).

A safety course needs a final learning test (art. 37 c. 2 as amended by L. 215/2021): the assessment
feature reads ``safety_course_type`` for that.
"""

from __future__ import annotations

from typing import Any

from training_hub.core import i18n
from training_hub.core.db import fetch_all
from training_hub.core.errors import InvalidState
from training_hub.core.i18n import N_, gettext
from training_hub.core.parsing import clean_text
from training_hub.core.timeutil import minutes_between, to_utc
from training_hub.safety.course_types import COURSE_TYPES, CourseType, find_course_type

# The labels of the delivery modes in the messages (the form shows its own, catalogue/forms.py).
MODE_NAMES = {
    "in_presence": N_("in presenza"),
    "online": N_("in videoconferenza sincrona"),
    "blended": N_("mista (presenza e videoconferenza)"),
    "e_learning": N_("e-learning"),
}

_SCHEDULED_SQL = (
    "SELECT c.safety_course_type, s.starts_at, s.ends_at FROM course c "
    "LEFT JOIN course_session s ON s.course = c.id AND s.status = 'scheduled' WHERE c.id = {}"
)


def safety_type_options() -> list[tuple[str, str]]:
    """(code, title) of every course type, for the course form's select."""
    return [(t.code, gettext(t.title)) for t in COURSE_TYPES]


def safety_course_out(code: str | None) -> dict[str, Any] | None:
    """What the course page and the API show of a course's type (None: not a safety course)."""
    course_type = find_course_type(code)
    if course_type is None:
        return None
    return {"code": course_type.code, "title": gettext(course_type.title),
            "legal_reference": course_type.legal_reference, "min_hours": course_type.min_hours,
            "refresher": course_type.is_refresher, "delivery_modes": list(course_type.delivery_modes),
            "min_attendance_percent": course_type.min_attendance_percent,
            "final_test_min_questions": course_type.final_test_min_questions}


def apply_safety_type(raw: str | None, delivery_mode: str, threshold: int | None, errors: dict[str, str],
                      params: dict[str, Any]) -> tuple[str | None, int | None]:
    """The course type's code (None for an ordinary course) and the threshold it implies.

    Adds to ``errors`` (and the message's ``params``) an unknown code or a delivery mode the type forbids.
    """
    code = clean_text(raw) or None
    if code is None:
        return None, threshold
    course_type = find_course_type(code)
    if course_type is None:
        errors["safety_course_type"] = N_("Scegli un tipo di corso sulla sicurezza dall'elenco.")
        return None, threshold
    if delivery_mode and not course_type.allows(delivery_mode) and "delivery_mode" not in errors:
        errors["delivery_mode"] = N_("Il corso «%(safety_type)s» non si può svolgere in questa modalità "
                                     "(Accordo Stato-Regioni 2025, Parte IV punto 3.5): è ammesso solo %(allowed)s.")
        params["safety_type"] = gettext(course_type.title)
        params["allowed"] = allowed_modes_text(course_type)
    minimum = course_type.min_attendance_percent
    return course_type.code, max(threshold or minimum, minimum)


def allowed_modes_text(course_type: CourseType) -> str:
    names = [gettext(MODE_NAMES[m]) for m in course_type.delivery_modes]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " " + gettext("o") + " " + names[-1]


async def check_minimum_hours(course_id: int) -> None:
    """Refuse (409) to publish a safety course whose scheduled sessions fall short of its type's hours.

    Called by ``publish_course`` under the course's lock, so the sessions cannot change meanwhile. One
    statement; hours counted from the stored instants (a DST night counts its real length).
    """
    rows = await fetch_all(_SCHEDULED_SQL, course_id)
    course_type = find_course_type(rows[0]["safety_course_type"] if rows else None)
    if course_type is None:
        return
    scheduled = sum(minutes_between(to_utc(r["starts_at"]), to_utc(r["ends_at"])) for r in rows if r["starts_at"])
    if scheduled < course_type.min_hours * 60:
        raise InvalidState(
            N_("Il corso «%(safety_type)s» richiede almeno %(required)s ore; gli incontri in calendario ne "
               "fanno %(scheduled)s. Aggiungi gli incontri che mancano prima di pubblicare."),
            field="sessions", safety_type=gettext(course_type.title), required=course_type.min_hours,
            scheduled=i18n.format_number(scheduled / 60, 1).replace(",0", "").replace(".0", ""),
        )
