"""Counts of pathways for the office and the training-year report: by type, outcome and province.

Only groups of at least :data:`rules.MIN_GROUP` people are ever shown; smaller ones are merged as
:func:`rules.merge_small_groups` explains, and a year with fewer than five pathways in all shows no
figure. Each dimension is counted on its own (never crossed), so no cell can single anyone out; the
eligibility category is never counted at all. A person with two pathways in the year counts twice:
these are counts of pathways, as the title says.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from training_hub.core.db import fetch_all
from training_hub.core.errors import PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.labels import PROVINCE_LABELS
from training_hub.inclusion import rules

OPEN_OUTCOME = "in_corso"
OTHER_LABEL = N_("Altri (gruppi con meno di 5 percorsi, accorpati)")
OPEN_LABEL = N_("In corso")
UNKNOWN_PROVINCE = "-"


@dataclass(frozen=True)
class CountLine:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class PathwayCounts:
    year: int | None
    total: int | None  # None: fewer than five pathways, nothing is shown
    by_type: list[CountLine]
    by_outcome: list[CountLine]
    by_province: list[CountLine]


def _lines(counter: Counter[str], label_of: Any) -> list[CountLine]:
    return [CountLine(group.key, gettext(OTHER_LABEL) if group.key == rules.OTHER_GROUP else label_of(group.key),
                      group.count)
            for group in rules.merge_small_groups(counter)]


def count_rows(rows: list[dict[str, Any]], year: int | None) -> PathwayCounts:
    """The office's counts from plain rows (``pathway_type``, ``outcome``, ``province``): pure."""
    total = len(rows)
    if total < rules.MIN_GROUP:
        return PathwayCounts(year, None, [], [], [])
    by_type = Counter(row["pathway_type"] for row in rows)
    by_outcome = Counter(row["outcome"] or OPEN_OUTCOME for row in rows)
    by_province = Counter(row["province"] or UNKNOWN_PROVINCE for row in rows)
    return PathwayCounts(
        year, total,
        _lines(by_type, rules.pathway_type_label),
        _lines(by_outcome, lambda key: gettext(OPEN_LABEL) if key == OPEN_OUTCOME
               else rules.label_of(rules.OUTCOME_LABELS, key)),
        _lines(by_province, lambda key: PROVINCE_LABELS.get(key, key)),
    )


async def pathway_counts(actor: CurrentUser, year: int | None = None) -> PathwayCounts:
    """Pathways active at some time in ``year`` (all, when None), for the training office."""
    if not actor.is_admin:
        raise PermissionDenied(N_("Solo l'ufficio formazione vede i conteggi dei percorsi di inclusione."))
    if year is not None and not 1900 <= year <= 2999:
        raise ValidationFailed(N_("Anno non valido."), field="year")
    sql = ("SELECT ip.pathway_type, ip.outcome, c.province FROM inclusion_pathway ip "
           "LEFT JOIN cooperative c ON c.id = ip.host_cooperative")
    if year is None:
        rows = await fetch_all(sql)
    else:
        rows = await fetch_all(sql + " WHERE ip.starts_on <= {} AND (ip.ends_on IS NULL OR ip.ends_on >= {})",
                               date(year, 12, 31), date(year, 1, 1))
    return count_rows(rows, year)
