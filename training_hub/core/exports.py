"""Writing files for spreadsheets and PDFs, shared by every feature that exports (attendance, reports).

What a feature decides is its rows and how each value reads (decimal commas, "< 5", labels); how the
rows become a file is decided here, once:

* **CSV**: semicolon-separated UTF-8 with a BOM and CRLF line ends — what Excel opens as it is in an
  Italian locale.
* **Formula injection**: a text cell starting with ``= + - @``, a tab or a carriage return would be run
  as a formula by a spreadsheet; it gets a leading apostrophe, in CSV and XLSX alike, so both files
  hold the same text. Numbers are left alone (``-3`` is a number, not a formula).
* **XLSX**: openpyxl; sheet names cleaned to Excel's rules.
* **PDF**: every document is a :class:`UnicodePDF`, fpdf2 with the bundled DejaVu Sans Condensed
  (regular, bold, oblique; ``training_hub/fonts/``, with its licence) registered as :data:`PDF_FONT`.
  It draws the Latin, Greek and Cyrillic scripts (Vietnamese included), so "Łukasz Nowak",
  "Nguyễn Thị Hà" and "Zoë Ørsted" print exactly as they were typed, typographic quotes and the euro
  sign too; its letters are as wide as Helvetica's, so the registers' columns still fit their texts.
  fpdf2 embeds only the glyphs a document uses. Text goes through :func:`pdf_text` (``None`` as
  nothing, composed Unicode).
"""

from __future__ import annotations

import copy
import csv
import io
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from fontTools import subset as ftsubset
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from training_hub.core.text import xml_safe

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
    """A cell's value with its text protected; numbers, dates and None unchanged. Characters XML cannot
    carry (a ``\x1b`` stored before input refused it) are dropped, so one row never breaks the file."""
    return safe_text(xml_safe(value)) if isinstance(value, str) else value


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
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    return workbook_bytes(workbook)


XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_TIME_FORMAT = "HH:MM"


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """Dates and times stored as such (a spreadsheet can sort and sum them), shown 02/12/2026 and 09:30."""
    if isinstance(value, (date, time)) and not isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT if isinstance(value, date) else XLSX_TIME_FORMAT
        return cell
    return safe_cell(value)


# PDF ---------------------------------------------------------------------------------------------

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
PDF_FONT = "DejaVuSansCondensed"
# Style → file. DejaVu fonts 2.37 (Bitstream Vera and Arev licences, see fonts/LICENSE).
PDF_FONT_FILES = {
    "": "DejaVuSansCondensed.ttf",
    "B": "DejaVuSansCondensed-Bold.ttf",
    "I": "DejaVuSansCondensed-Oblique.ttf",
}


class UnicodePDF(FPDF):
    """fpdf2's document with the bundled Unicode font registered as :data:`PDF_FONT` and selected.

    ``font_styles`` are the faces a kind of document uses. Each face is read once per process
    (:func:`_face`: its character map and widths took some tens of milliseconds per face and document);
    every document gets its own copy of the small per-document parts (the glyphs it used). On output,
    fpdf2 embeds a subset of each face made with fontTools, which reads the whole file it is given: when
    every glyph a document used is in the face's common Western repertoire (:data:`COMMON_REPERTOIRE`,
    almost always), it is given that smaller file instead, with the same glyphs, names and outlines.
    """

    font_styles: tuple[str, ...] = ("", "B")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for style in self.font_styles:
            font = _font_for(self, style)
            self.fonts[font.fontkey] = font
        self.set_font(PDF_FONT, size=10)

    def output(self, *args: Any, **kwargs: Any) -> Any:
        for style in self.font_styles:
            font = self.fonts[f"{PDF_FONT.lower()}{style}"]
            face = _face(style)
            if font.subset.get_all_glyph_names() and face.common_names.issuperset(font.subset.get_all_glyph_names()):
                font.ttfont = ttLib.TTFont(io.BytesIO(face.common_file), recalcTimestamp=False, lazy=True)
        return super().output(*args, **kwargs)


# Latin (Basic, Latin-1, Extended-A/B and Additional: Italian, the rest of Europe, Vietnamese), general
# punctuation, the euro sign.
COMMON_REPERTOIRE = frozenset([*range(0x20, 0x250), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070), 0x20AC])
# Tables fpdf2 leaves out of the subset it embeds (fpdf/output.py, _add_fonts) that the subsetter would
# still read (the layout tables, ~30 ms a face): dropped once from the files documents start from.
_UNEMBEDDED_TABLES = ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta"]


@dataclass(frozen=True)
class _Face:
    parsed: TTFFont  # fpdf2's parsed face: metrics, character map, glyph ids (shared, read only)
    file: bytes  # the whole face, without the tables fpdf2 does not embed
    common_file: bytes  # only the glyphs of COMMON_REPERTOIRE, names kept
    common_names: frozenset[str]


_FACES: dict[str, _Face] = {}
_FACES_LOCK = threading.Lock()


def _face(style: str) -> _Face:
    with _FACES_LOCK:
        if style not in _FACES:
            scratch = FPDF()
            path = FONT_DIR / PDF_FONT_FILES[style]
            scratch.add_font(PDF_FONT, style, path)
            parsed = scratch.fonts[f"{PDF_FONT.lower()}{style}"]
            whole = _font_file(path, None)
            common = _font_file(path, COMMON_REPERTOIRE)
            names = frozenset(ttLib.TTFont(io.BytesIO(common)).getGlyphOrder())
            _FACES[style] = _Face(parsed, whole, common, names)
        return _FACES[style]


def _font_file(path: Path, repertoire: frozenset[int] | None) -> bytes:
    font = ttLib.TTFont(path, recalcTimestamp=False)
    if repertoire is None:
        for tag in _UNEMBEDDED_TABLES:
            if tag in font:
                del font[tag]
    else:
        options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True, glyph_names=True)
        options.drop_tables += _UNEMBEDDED_TABLES
        subsetter = ftsubset.Subsetter(options)
        subsetter.populate(unicodes=repertoire)
        subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _font_for(pdf: FPDF, style: str) -> TTFFont:
    """A document's font for ``style``: the parsed face's read-only parts shared (character map, widths,
    glyph ids, descriptor), its own subset, and its own lazily read copy of the file, which fpdf2's
    output cuts down in place to the glyphs this document used."""
    face = _face(style)
    font = copy.copy(face.parsed)
    font.i = len(pdf.fonts) + 1
    font.ttfont = ttLib.TTFont(io.BytesIO(face.file), recalcTimestamp=False, lazy=True)
    font.subset = SubsetMap(font)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    return font


def pdf_text(value: object) -> str:
    """Text as a PDF draws it: ``None`` is empty, letters composed (NFC), so "e" followed by a combining
    accent, as some keyboards send it, is the one glyph "è" of the font."""
    return unicodedata.normalize("NFC", "" if value is None else str(value))
