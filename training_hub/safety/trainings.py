"""A completed safety training as the refresh tracker reads it, and the checks on one entered by hand.

A training is either a course held here (its attestato is dated at the course's end) or an external
attestato the office enters. What counts is the end date printed on the attestato — the refresh clock
starts there (ASR 17/04/2025 P. III 1.1: "a decorrere dalla data di fine corso riportata
nell'attestato") — and the hours it certifies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from training_hub.core.i18n import N_
from training_hub.safety.course_types import find_course_type


@dataclass(frozen=True)
class CompletedTraining:
    course_type: str
    completed_on: date
    hours: float

    @property
    def minutes(self) -> int:
        return round(self.hours * 60)


def check_external_training(
    course_type: str | None,
    completed_on: date | None,
    hours: float | None,
    today: date,
    errors: dict[str, str],
    *,
    born_on: date | None = None,
) -> None:
    """An external attestato as the office types it.

    Refuses an unknown course type, a missing end date or one in the future or before the person was
    born (a typing mistake that would otherwise count as valid training), and hours missing or not
    above zero (an attestato always certifies a duration, ASR P. I 6 c)). Fewer hours than today's
    minimum are accepted: courses held under the earlier accords keep their credit with their own
    durations (ASR P. VII, e.g. the 8-hour preposto course of 2011).
    """
    if find_course_type(course_type) is None:
        errors["course_type"] = N_("Tipo di corso sconosciuto.")
    if completed_on is None:
        errors["completed_on"] = N_("Indica la data di fine corso riportata sull'attestato.")
    elif completed_on > today:
        errors["completed_on"] = N_("La data di fine corso non può essere nel futuro.")
    elif born_on is not None and completed_on < born_on:
        errors["completed_on"] = N_("La data di fine corso è precedente alla data di nascita.")
    if hours is None:
        errors["hours"] = N_("Indica le ore riportate sull'attestato.")
    elif not math.isfinite(hours) or hours <= 0:
        errors["hours"] = N_("Le ore devono essere più di zero.")
