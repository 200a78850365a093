"""The shared file writers: CSV, XLSX and PDF text (training_hub.core.exports)."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from training_hub.core.exports import csv_bytes, pdf_text, safe_text, sheet_title, simple_xlsx

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


def test_pdf_text_keeps_italian_accents_and_replaces_typography():
    assert pdf_text("Attività “speciali” – però…") == 'Attività "speciali" - però...'
    assert pdf_text("Łukasz €5 ‒ «base»") == "Lukasz EUR5 - «base»"
    assert pdf_text("日本") == "??"
    assert pdf_text(None) == "" and pdf_text(42) == "42"


def test_headings_are_protected_like_cells():
    text = csv_bytes(["=HYPERLINK('x')", "Ore"], [[1, 2]]).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("'=HYPERLINK")
