"""The shared file writers: CSV, XLSX and PDF (training_hub.core.exports)."""

import csv
import io
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from training_hub.core.exports import (
    PDF_FONT,
    UnicodePDF,
    csv_bytes,
    pdf_text,
    safe_text,
    sheet_title,
    simple_xlsx,
)

DANGEROUS = ["=SUM(A1:A2)", "+39 02 123", "-riunione", "@utente", "\tnota", "\rnota"]


def test_csv_is_semicolon_separated_utf8_with_a_bom_and_crlf():
    content = csv_bytes(["Nome", "Ore"], [["Città; «prova»", 2], ["Anna", None]])
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig") == 'Nome;Ore\r\n"Città; «prova»";2\r\nAnna;\r\n'


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_csv_and_xlsx():
    numbers = [-3, 2.5, 0]
    content = csv_bytes(["a"] * 9, [[*DANGEROUS, *numbers]])
    row = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))[1]
    assert row[:6] == ["'" + text for text in DANGEROUS]
    assert row[6:] == ["-3", "2.5", "0"]  # numbers are numbers, not formulas

    workbook = load_workbook(io.BytesIO(simple_xlsx(["a"] * 9, [[*DANGEROUS, *numbers]], title="Foglio")))
    values = [cell.value for cell in next(workbook.active.iter_rows(min_row=2))]
    assert all(isinstance(value, str) and value.startswith("'") for value in values[:6])
    assert values[6:] == numbers
    assert safe_text("'=già protetto") == "'=già protetto"  # protecting twice changes nothing


def test_simple_xlsx_keeps_numbers_and_dates_and_freezes_the_header():
    content = simple_xlsx(["Corso", "Minuti", "Giorno"], [["Base", 120, date(2026, 11, 25)]],
                          title="Registro presenze: corso [A/B] con un nome molto lungo", widths=[30, 9])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Registro presenze- corso -A-B- " and len(sheet.title) == 31
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30 and sheet.column_dimensions["B"].width == 9
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Corso", "Minuti", "Giorno")
    assert rows[1][:2] == ("Base", 120) and rows[1][2].date() == date(2026, 11, 25)


def test_sheet_titles_are_unique_case_insensitively():
    used: set[str] = set()
    assert [sheet_title(name, used) for name in ("Corsi", "corsi", "Corsi", "")] == [
        "Corsi", "corsi (2)", "Corsi (3)", "Foglio"]


def test_pdf_text_keeps_every_letter_and_mark_as_typed():
    assert pdf_text("Attività “speciali” – però…") == "Attività “speciali” – però…"
    assert pdf_text("Łukasz €5 ‒ «base»") == "Łukasz €5 ‒ «base»"
    assert pdf_text("Zoe\u0308 O\u0301") == "Zoë Ó"  # a letter and its combining accent: one glyph
    assert pdf_text(None) == "" and pdf_text(42) == "42"


def test_every_face_of_the_bundled_font_prints_names_beyond_latin_1_exactly():
    names = ["Łukasz Nowak", "Nguyễn Thị Hà", "Zoë Ørsted", "Attività “speciali” – 5 €"]

    class Report(UnicodePDF):
        font_styles = ("", "B", "I")

    pdf = Report()
    pdf.add_page()
    for style in ("", "B", "I"):
        pdf.set_font(PDF_FONT, style, 11)
        for name in names:
            pdf.cell(0, 6, pdf_text(name), new_x="LMARGIN", new_y="NEXT")
    reader = PdfReader(io.BytesIO(bytes(pdf.output())))
    lines = reader.pages[0].extract_text().splitlines()
    assert lines == names * 3
    fonts = {font["/BaseFont"] for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert {font.split("+")[1] for font in fonts} == {"DejaVuSansCondensed", "DejaVuSansCondensedBold",
                                                      "DejaVuSansCondensedOblique"}


def test_headings_are_protected_like_cells():
    text = csv_bytes(["=HYPERLINK('x')", "Ore"], [[1, 2]]).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("'=HYPERLINK")
