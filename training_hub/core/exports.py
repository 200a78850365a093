"""Writing files for spreadsheets and PDFs, shared by every feature that exports (attendance, reports).

What a feature decides is its rows and how each value reads (decimal commas, "< 5", labels); how the
rows become a file is decided here, once:

* **CSV**: semicolon-separated UTF-8 with a BOM and CRLF line ends — what Excel opens as it is in an
  Italian locale.
* **Formula injection**: a text cell starting with ``= + - @``, a tab or a carriage return would be run
  as a formula by a spreadsheet; it gets a leading apostrophe, in CSV and XLSX alike, so both files
  hold the same text. Numbers are left alone (``-3`` is a number, not a formula).
* **XLSX**: openpyxl; sheet names cleaned to Excel's rules.
* **PDF text**: fpdf2's core fonts (Helvetica) draw Latin-1 only: typographic quotes and dashes become
  their plain forms, letters outside Latin-1 lose their accents (Ł → L), and what is left becomes "?",
  so no name or title can break a document.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

CSV_MEDIA_TYPE = "text/csv"  # Litestar adds "; charset=utf-8" to text types
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MEDIA_TYPE = "application/pdf"

# Spreadsheets and CSV ----------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_TITLE = 31  # Excel's limit


def safe_text(text: str) -> str:
    """Text a spreadsheet shows as it is, never runs as a formula (CSV injection)."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def safe_cell(value: Any) -> Any:
    """A cell's value with its text protected; numbers, dates and None unchanged."""
    return safe_text(value) if isinstance(value, str) else value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    return safe_text(value) if isinstance(value, str) else str(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file (see the module notes); None is an empty cell, other values their ``str()``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(name) for name in header])  # headings can be typed by the office too
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def sheet_title(text: str, used: set[str] | None = None) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``, unique in ``used``
    (compared case-insensitively; the new name is added to it)."""
    cleaned = "".join("-" if char in "[]:*?/\\" else char for char in text)[:MAX_SHEET_TITLE] or "Foglio"
    if used is None:
        return cleaned
    title, n = cleaned, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = cleaned[: MAX_SHEET_TITLE - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def simple_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str, widths: Sequence[float] = ()) -> bytes:
    """One sheet: the header (frozen) and the rows, numbers kept as numbers, text protected.

    Written in openpyxl's write-only mode, so a register of thousands of rows stays cheap.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([safe_cell(name) for name in header])
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    return workbook_bytes(workbook)


# PDF text ----------------------------------------------------------------------------------------

_PDF_REPLACEMENTS = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u2026": "...", "\u20ac": "EUR", "\u2022": "·",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
        # Letters NFKD does not decompose.
        "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0131": "i",
        "\u0152": "OE", "\u0153": "oe", "\u1e9e": "SS",
    }
)


def pdf_text(value: object) -> str:
    """Text the PDF core fonts can draw (Latin-1): typographic marks replaced, accents kept or folded."""
    text = ("" if value is None else str(value)).translate(_PDF_REPLACEMENTS)
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        folded = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        try:
            folded.encode("latin-1")
            out.append(folded or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)
