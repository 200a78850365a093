"""The tracker's lists as a spreadsheet: the same rows, texts and figures as the page they come from
(``safety/status.py`` computes them once; the page and the file only lay them out). Dates stay dates
and hours numbers, so the office can sort and sum; names are protected against formula injection
(``core/exports.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from training_hub.core.exports import simple_xlsx
from training_hub.core.i18n import N_, gettext

HEADER = (
    N_("Persona"), N_("Cooperativa"), N_("Requisito"), N_("Stato"), N_("Ultimo corso valido"), N_("Scadenza"),
    N_("Ore da frequentare"), N_("Corso da frequentare"), N_("Programmazione"),
)
WIDTHS = (28, 28, 36, 14, 14, 12, 10, 40, 50)


def export_cells(row: dict[str, Any]) -> list[Any]:
    """One row of the file, in the order of :data:`HEADER`."""
    return [
        row["full_name"], row["cooperative_name"], row["requirement_text"], row["status_label"],
        row["last_completed_on"], row["due_on"], row["hours_due"], row["course_type_title"], row["plan_text"],
    ]


def status_xlsx(rows: Sequence[dict[str, Any]], *, title: str) -> bytes:
    return simple_xlsx([gettext(name) for name in HEADER], (export_cells(row) for row in rows), title=title,
                       widths=WIDTHS)


def export_filename(prefix: str, today: date) -> str:
    return f"{prefix}-{today.isoformat()}.xlsx"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
