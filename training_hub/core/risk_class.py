"""A cooperative's risk class for the workers' specific safety course, and where it comes from.

Reference data with its source, in core because two layers read it: the directory (the cooperative's
form shows and stores the class) and safety (the refresh tracker, re-exported by ``safety/roles.py``).
The class comes from the ATECO code where the Accordo's Allegato IV classifies the division; where the
annex is silent (the office sets it by hand), :func:`risk_class_from_ateco` answers None.
"""

from __future__ import annotations

import re

from training_hub.core.i18n import N_

RISK_LOW = "basso"
RISK_MEDIUM = "medio"
RISK_HIGH = "alto"
RISK_CLASSES = (RISK_LOW, RISK_MEDIUM, RISK_HIGH)
RISK_CLASS_LABELS = {RISK_LOW: N_("Rischio basso"), RISK_MEDIUM: N_("Rischio medio"), RISK_HIGH: N_("Rischio alto")}


def _divisions(*spans: tuple[int, int]) -> frozenset[int]:
    return frozenset(division for first, last in spans for division in range(first, last + 1))


# ASR 17/04/2025 Allegato IV, "Individuazione macrocategorie di rischio e corrispondenze ATECO 2007"
# (printed pages 132-136), by ATECO 2007 division (the first two digits). Secondary source: read on a
# transcription of the annex's tables, not on the annex itself. Social cooperatives: 88 (non-residential
# social work) is medium. The annex classifies neither 86 (health care) nor 87 (residential care) — the
# high-risk list ends with the heading "Q - Sanità e assistenza sociale" and no code under it — nor 30:
# those are set by hand. The annex is written on ATECO 2007: a code of ATECO 2025 (on company records
# since 1/4/2025) may belong to another division and should be checked by the office.
RISK_CLASS_BY_DIVISION: dict[int, str] = {
    **dict.fromkeys(_divisions((45, 47), (55, 56), (58, 63), (64, 66), (68, 68), (69, 75), (77, 82), (90, 99)),
                    RISK_LOW),
    **dict.fromkeys(_divisions((1, 3), (49, 53), (84, 85), (88, 88)), RISK_MEDIUM),
    **dict.fromkeys(_divisions((5, 9), (10, 29), (31, 33), (35, 35), (36, 39), (41, 43)), RISK_HIGH),
}
_ATECO = re.compile(r"\s*([A-Ua-u]\s*)?(\d{2})(?:[.\s]?\d{1,2}){0,3}\s*")


def ateco_division(code: str | None) -> int | None:
    """The division (first two digits) of an ATECO code: "88.10.00", "88.1", "Q 88", "88" → 88."""
    match = _ATECO.fullmatch(code or "")
    return int(match.group(2)) if match else None


def risk_class_from_ateco(code: str | None) -> str | None:
    """The risk class Allegato IV gives the code's division; None when the annex is silent or the code
    is not an ATECO code (the class is then set by hand)."""
    division = ateco_division(code)
    return RISK_CLASS_BY_DIVISION.get(division) if division is not None else None



def effective_risk_class(ateco: str | None, chosen: str | None) -> tuple[str, bool]:
    """The class that applies and whether it comes from the ATECO code (True) or was set by hand: a
    classified division wins over the hand-set value ("" when neither says)."""
    derived = risk_class_from_ateco(ateco)
    if derived is not None:
        return derived, True
    return (chosen or "") if (chosen or "") in RISK_CLASSES else "", False
