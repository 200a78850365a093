"""Italian texts of the notifications, and the session data they are written from.

Every message is composed in Italian (``i18n.language("it")``) with the office's formats: dates as
25/11/2026, times as 09:30. Bodies carry the person's first name and the course, never anything about
accessibility needs or other special-category data; the log only ever shows subjects and ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from training_hub.core import i18n
from training_hub.core.db import fetch_all
from training_hub.core.i18n import N_
from training_hub.core.settings import get_settings
from training_hub.core.wording import elide
from training_hub.notifications.ics import IcsEvent, build_invitation

SIGNATURE = N_("Ufficio formazione – Consorzio Sociale Light")

# What a message or an invitation says about a session (``s``) and its place (``l``, LEFT JOINed).
SESSION_COLUMNS = (
    "s.id, s.course, s.starts_at, s.ends_at, s.status, s.sequence, s.uid, s.topics, s.online_url, "
    "s.location, l.name AS location_name, l.address AS location_address, l.comune AS location_comune, "
    "l.step_free_access, l.is_online"
)
SESSIONS_SQL = (
    f"SELECT {SESSION_COLUMNS} FROM course_session s LEFT JOIN location l ON l.id = s.location "
    "WHERE s.course = {} ORDER BY s.starts_at, s.id"
)


async def course_sessions(course_id: int) -> list[dict[str, Any]]:
    """Every session of a course (cancelled ones too), with its location, in time order."""
    return await fetch_all(SESSIONS_SQL, course_id)


def scheduled(sessions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [session for session in sessions if session["status"] == "scheduled"]


def where_text(session: dict[str, Any], *, show_link: bool = True) -> str:
    """The place, or "online" — with the link only for confirmed participants (``show_link``), as on
    the course page and in the calendar feeds."""
    if session.get("location_name") and not session.get("is_online"):
        parts = [
            session["location_name"],
            session.get("location_address") or "",
            session.get("location_comune") or "",
        ]
        return ", ".join(part for part in parts if part)
    if session.get("online_url") and show_link:
        return i18n.gettext(N_("online: %(url)s")) % {"url": session["online_url"]}
    return i18n.gettext(N_("online"))


def session_line(session: dict[str, Any], *, show_link: bool = True) -> str:
    return i18n.gettext(N_("%(date)s, %(start)s–%(end)s, %(where)s")) % {
        "date": i18n.format_date(session["starts_at"]),
        "start": i18n.format_time(session["starts_at"]),
        "end": i18n.format_time(session["ends_at"]),
        "where": where_text(session, show_link=show_link),
    }


def ics_events(course_title: str, sessions: Iterable[dict[str, Any]]) -> list[IcsEvent]:
    base_url = get_settings().base_url
    return [
        IcsEvent(
            uid=session["uid"],
            starts_at=session["starts_at"],
            ends_at=session["ends_at"],
            summary=course_title,
            location=where_text(session),
            description=session.get("topics") or "",
            sequence=int(session.get("sequence") or 0),
            url=f"{base_url}/courses/{session['course']}",
        )
        for session in sessions
    ]


def invitation(
    course_title: str, sessions: list[dict[str, Any]], *, method: str, to_email: str, full_name: str
) -> str:
    with i18n.language("it"):
        return build_invitation(
            ics_events(course_title, sessions),
            method=method,
            organizer=get_settings().mail_from,
            attendee_email=to_email,
            attendee_name=full_name,
        )


def first_name(full_name: str) -> str:
    return (full_name or "").split(" ")[0]


# What each kind of message says: (subject, opening paragraph). Placeholders: %(title)s, %(name)s,
# %(position)d, %(reason)s, %(deadline)s. (A moved or cancelled session is announced by the catalogue,
# which writes its own notice and attaches :func:`sessions.session_invitation`.)
TEXTS: dict[str, tuple[str, str]] = {
    "enrolment_confirmed": (
        N_("Iscrizione confermata: %(title)s"),
        N_("la tua iscrizione al corso «%(title)s» è confermata."),
    ),
    "enrolment_waitlisted": (
        N_("Sei in lista d'attesa: %(title)s"),
        N_(
            "il corso «%(title)s» è al completo: sei in lista d'attesa, in posizione %(position)d. "
            "Se si libera "
            "un posto ti iscriviamo subito e ti avvisiamo con un'altra e-mail."
        ),
    ),
    "enrolment_promoted": (
        N_("Si è liberato un posto: %(title)s"),
        N_(
            "si è liberato un posto nel corso «%(title)s» e la tua iscrizione dalla lista d'attesa è ora "
            "confermata."
        ),
    ),
    "enrolment_pending": (
        N_("Richiesta di iscrizione ricevuta: %(title)s"),
        N_(
            "abbiamo ricevuto la richiesta di iscrizione al corso «%(title)s». Il corso richiede "
            "un'approvazione: ti scriveremo appena la richiesta sarà esaminata."
        ),
    ),
    "enrolment_approved": (
        N_("Richiesta approvata: %(title)s"),
        N_("la richiesta di iscrizione al corso «%(title)s» è stata approvata e il tuo posto è confermato."),
    ),
    "enrolment_approved_waitlisted": (
        N_("Richiesta approvata, sei in lista d'attesa: %(title)s"),
        N_(
            "la richiesta di iscrizione al corso «%(title)s» è stata approvata, ma il corso è al "
            "completo: sei "
            "in lista d'attesa, in posizione %(position)d. Se si libera un posto ti iscriviamo subito."
        ),
    ),
    "enrolment_rejected": (
        N_("Richiesta di iscrizione non accolta: %(title)s"),
        N_("la richiesta di iscrizione al corso «%(title)s» non è stata accolta."),
    ),
    "enrolment_cancelled": (
        N_("Iscrizione annullata: %(title)s"),
        N_("la tua iscrizione al corso «%(title)s» è stata annullata."),
    ),
    "session_reminder": (
        N_("Domani hai lezione: %(title)s"),
        N_("ti ricordiamo che domani hai lezione del corso «%(title)s»:"),
    ),
}

WITH_SESSION_LIST = {"enrolment_confirmed", "enrolment_promoted", "enrolment_approved"}
# Sent only to people holding a seat: the online link may be shown.
TO_CONFIRMED = WITH_SESSION_LIST | {"session_reminder"}


def compose(
    kind: str,
    *,
    full_name: str,
    course_title: str,
    sessions: list[dict[str, Any]] | None = None,
    position: int | None = None,
    reason: str = "",
    deadline: Any = None,
) -> tuple[str, str]:
    """Subject and plain-text body of a notification, in Italian."""
    subject_id, opening_id = TEXTS[kind]
    with i18n.language("it"):
        params = {"title": course_title, "position": position or 0}
        subject = i18n.gettext(subject_id) % params
        lines = [
            i18n.gettext(N_("Ciao %(name)s,")) % {"name": first_name(full_name)},
            "",
            i18n.gettext(opening_id) % params,
        ]
        if sessions:
            lines.append("")
            if not opening_id.endswith(":"):
                lines.append(i18n.gettext(N_("Gli incontri:")))
            show_link = kind in TO_CONFIRMED
            lines.extend(f"- {session_line(session, show_link=show_link)}" for session in sessions)
            if kind in WITH_SESSION_LIST:
                lines += [
                    "",
                    i18n.gettext(N_("In allegato trovi gli incontri da aggiungere al tuo calendario.")),
                ]
        if reason:
            lines += ["", i18n.gettext(N_("Motivo: %(reason)s")) % {"reason": reason}]
        if deadline is not None and kind in WITH_SESSION_LIST:
            lines += [
                "",
                i18n.gettext(
                    N_(
                        "Se non potrai partecipare annulla l'iscrizione da Training Hub entro il "
                        "%(date)s alle %(time)s: "
                        "il posto andrà alla prima persona in lista d'attesa."
                    )
                )
                % {"date": i18n.format_date(deadline), "time": i18n.format_time(deadline)},
            ]
        lines += [
            "",
            i18n.gettext(N_("Le tue iscrizioni: %(url)s"))
            % {"url": f"{get_settings().base_url}/my/enrolments"},
        ]
        lines += ["", i18n.gettext(SIGNATURE)]
    return subject, elide("\n".join(lines)) + "\n"
