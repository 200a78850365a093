"""Safety roles a person may hold, and the risk class of a cooperative (pure: no database).

A person holds roles under D.Lgs. 81/2008, each with the date appointed: worker (art. 2 c. 1 lett. a),
preposto (lett. e), dirigente (lett. d), datore di lavoro (lett. b), RLS (art. 47), fire warden with the
level of the workplace (art. 46, DM 2/9/2021 all. III 3.2: levels 1, 2, 3), first aider with the group
of the workplace (art. 45, DM 388/2003 art. 1: group A, or B/C which share one course), RSPP and ASPP
(art. 32). The RSPP/ASPP refreshers (40/20 hours spread over five years, ASR P. III 3) are not tracked
yet: they have no course type here.

A cooperative's risk class decides the hours of the workers' specific course. It comes from the ATECO
code where the Accordo's Allegato IV classifies the division; where the annex is silent (the office
sets it by hand), :func:`risk_class_from_ateco` answers None.

The ``check_*`` functions follow :mod:`training_hub.core.parsing`: they add an Italian message per
field to ``errors`` and the service raises ``ValidationFailed`` with them, so bad input changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from training_hub.core.i18n import N_, gettext

# The risk classes and the ATECO annex live in core (core/risk_class.py): the cooperative's form in the
# directory, below this feature, derives the class too. Re-exported here for the tracker's rules.
from training_hub.core.risk_class import (  # noqa: F401
    RISK_CLASS_BY_DIVISION,
    RISK_CLASS_LABELS,
    RISK_CLASSES,
    RISK_HIGH,
    RISK_LOW,
    RISK_MEDIUM,
    ateco_division,
    risk_class_from_ateco,
)

WORKER = "worker"
PREPOSTO = "preposto"
DIRIGENTE = "dirigente"
DATORE_LAVORO = "datore_lavoro"
RLS = "rls"
ANTINCENDIO = "antincendio"
PRIMO_SOCCORSO = "primo_soccorso"
RSPP = "rspp"
ASPP = "aspp"
ROLES = (WORKER, PREPOSTO, DIRIGENTE, DATORE_LAVORO, RLS, ANTINCENDIO, PRIMO_SOCCORSO, RSPP, ASPP)

ANTINCENDIO_LEVELS = ("1", "2", "3")
PRIMO_SOCCORSO_GROUPS = ("a", "bc")
# The roles that need a level (antincendio) or a group (primo soccorso), and the values each accepts.
LEVELS = {ANTINCENDIO: ANTINCENDIO_LEVELS, PRIMO_SOCCORSO: PRIMO_SOCCORSO_GROUPS}

ROLE_LABELS = {
    WORKER: N_("Lavoratore"),
    PREPOSTO: N_("Preposto"),
    DIRIGENTE: N_("Dirigente"),
    DATORE_LAVORO: N_("Datore di lavoro"),
    RLS: N_("Rappresentante dei lavoratori per la sicurezza (RLS)"),
    ANTINCENDIO: N_("Addetto antincendio"),
    PRIMO_SOCCORSO: N_("Addetto al primo soccorso"),
    RSPP: N_("Responsabile del servizio di prevenzione e protezione (RSPP)"),
    ASPP: N_("Addetto al servizio di prevenzione e protezione (ASPP)"),
}
LEVEL_LABELS = {
    "1": N_("livello 1"),
    "2": N_("livello 2"),
    "3": N_("livello 3"),
    "a": N_("gruppo A"),
    "bc": N_("gruppi B e C"),
}

@dataclass(frozen=True)
class RoleHeld:
    """A safety role of a person: ``level`` is the antincendio level or the primo soccorso group."""

    role: str
    since: date
    level: str | None = None


def normalise_level(role: str, raw: object) -> str | None:
    """The level as stored: "2" or 2 for antincendio; "A", "B", "C", "B/C", "BC" for primo soccorso
    (groups B and C take the same course, DM 388/2003 allegato 4). Unknown values are returned as
    typed (trimmed, lower case) for :func:`check_role` to refuse."""
    if raw is None:
        return None
    text = str(raw).strip().lower()
    if not text:
        return None
    if role == PRIMO_SOCCORSO:
        compact = re.sub(r"[\s/,-]", "", text).replace("bec", "bc")  # "B/C", "B, C", "B e C" → "bc"
        return "bc" if compact in ("b", "c", "bc", "cb") else compact
    return text


def check_role(role: str, level: str | None, since: date | None, today: date, errors: dict[str, str],
               prefix: str = "") -> None:
    """A safety role as the office enters it. Refuses an unknown role, a missing level for antincendio or
    primo soccorso (the course depends on it), a level for a role that has none, and an appointment date
    missing or in the future (the tracker counts from roles already held)."""
    if role not in ROLES:
        errors[f"{prefix}role"] = N_("Ruolo sconosciuto.")
        return
    allowed = LEVELS.get(role)
    if allowed is None:
        if level is not None:
            errors[f"{prefix}level"] = N_("Questo ruolo non ha un livello.")
    elif level is None:
        errors[f"{prefix}level"] = (
            N_("Indica il livello antincendio (1, 2 o 3).") if role == ANTINCENDIO
            else N_("Indica il gruppo di primo soccorso (A oppure B/C).")
        )
    elif level not in allowed:
        errors[f"{prefix}level"] = (
            N_("Livello antincendio non valido: 1, 2 o 3.") if role == ANTINCENDIO
            else N_("Gruppo di primo soccorso non valido: A oppure B/C.")
        )
    if since is None:
        errors[f"{prefix}since"] = N_("Indica la data di nomina.")
    elif since > today:
        errors[f"{prefix}since"] = N_("La data di nomina non può essere nel futuro.")


def check_roles(roles: list[RoleHeld], today: date, errors: dict[str, str]) -> None:
    """Every role of a list (fields named ``0.role``, ``1.since``…); a role held twice is refused."""
    seen: set[str] = set()
    for index, held in enumerate(roles):
        check_role(held.role, held.level, held.since, today, errors, prefix=f"{index}.")
        if held.role in seen:
            errors[f"{index}.role"] = N_("Ruolo indicato due volte.")
        seen.add(held.role)


def role_label(role: str, level: str | None = None) -> str:
    label = gettext(ROLE_LABELS.get(role, role))
    if level in LEVEL_LABELS:
        return f"{label} ({gettext(LEVEL_LABELS[level])})"
    return label
