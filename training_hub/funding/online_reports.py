"""Reading the participant report of a videoconference: Microsoft Teams, Zoom, Google Meet or generic.

What each platform writes (the sample files in ``tests/data/`` were written from these descriptions):

* **Microsoft Teams** — the meeting's *attendance report* (Microsoft Learn, "Manage the attendance
  report for meetings and events in Microsoft Teams"; Microsoft Support article ae7cf170, "Manage
  meeting attendance reports in Microsoft Teams"): a ``.csv`` that is in fact **UTF-16 with tab
  separators**, in sections: ``1. Summary`` (title, start and end), ``2. Participants`` (one row per
  person: Name, First Join, Last Leave, In-Meeting Duration, Email, Participant ID (UPN), Role) and
  ``3. In-Meeting Activities`` (one row per connection: Name, Join Time, Leave Time, Duration, Email,
  Role). Headings change letter case between versions. The connections are read from section 3; a
  report without it falls back on section 2 (first join to last leave, checked against the duration).
  The 2020 *attendance list* (Full Name, User Action, Timestamp: no e-mail) is recognised and refused.
  Section and column names of the Italian-language client are not documented: only the English ones
  are recognised [?].
* **Zoom** — the *participants* report of Reports > Usage > Meeting (Zoom Support KB0082659,
  "Accessing the meeting and webinar history report"): comma-separated, one row per connection:
  Name (Original Name), User Email (newer: Email), Join Time, Leave Time, Duration (Minutes), Guest,
  In Waiting Room; "export with meeting data" puts the meeting's own rows first (or, in newer exports,
  the meeting's columns first on every row, with a second Duration (minutes)). Times are
  ``MM/DD/YYYY hh:mm:ss AM``. Rows spent in the waiting room are not attendance and are left out.
  The Italian-language export (Nome (nome originale), E-mail, Ora di ingresso, Ora di uscita,
  Durata (minuti), In sala d'attesa) is recognised too. "Show unique users" drops the join and leave
  times: such a file is refused with the way to get the right one.
* **Google Meet** — the *attendance report* of attendance tracking (Google Meet Help 10090454, "Track
  attendance in Google Meet"), e-mailed to the organiser and attached to the Calendar event: one row
  per person with Name, Email, Duration (``1 hr 5 min``), Time joined and Time exited — times of day
  only, so the session's date is used. Meet gives the first join and last leave only: the duration
  tells whether the person was away in between (see ``online_minutes``).
* **generic** — ``email;joined_at;left_at`` (an optional ``name``), for any other platform or a
  hand-made list: ISO 8601 instants, or ``02/12/2026 09:00`` (Italian, day first).

Any of them may come as UTF-8 (with or without BOM), UTF-16 or Windows-1252 and with tab, semicolon or
comma separators; the layout is recognised from its column headings. Nothing here touches the database:
the result is plain rows; a file that cannot be read raises :class:`UnreadableReport` naming why (and
which lines), so nothing is recorded from it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from training_hub.core.errors import Issue, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.timeutil import to_rome, to_utc
from training_hub.funding import report_times
from training_hub.funding.report_times import AmbiguousDayOrder, Stamp, UnreadableStamp

TEAMS, ZOOM, MEET, GENERIC = "teams", "zoom", "meet", "generic"
LAYOUTS = (TEAMS, ZOOM, MEET, GENERIC)
LAYOUT_NAMES = {TEAMS: "Microsoft Teams", ZOOM: "Zoom", MEET: "Google Meet", GENERIC: "email;joined_at;left_at"}
DELIMITERS = ("\t", ";", ",")
MAX_LISTED_PROBLEMS = 20  # a file with hundreds of bad lines lists the first ones; the count says the rest

YES = {"yes", "sì", "si", "true", "1"}


class UnreadableReport(ValidationFailed):
    """The uploaded report cannot be read; ``issues`` lists the lines at fault, if any."""

    code = "unreadable-attendance-report"
    title = N_("Report delle presenze non leggibile")


@dataclass(frozen=True)
class ReportRow:
    """One connection of one account, as the platform reported it (instants in UTC)."""

    line: int  # line of the file, from 1, for messages
    email: str  # trimmed and lower-cased; "" when the platform gave none (guest, phone)
    display_name: str
    joined_at: datetime
    left_at: datetime
    platform_identity: str  # what identifies the account on the platform (Teams UPN, else e-mail, else name)
    role: str = ""
    reported_seconds: int | None = None  # the platform's own duration, where it gives one


@dataclass(frozen=True)
class AttendanceReport:
    layout: str
    encoding: str
    rows: tuple[ReportRow, ...]


# Headings ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A table a layout reads: headings per field (normalised: lower case, single spaces)."""

    layout: str
    fields: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    priority: int = 0  # Teams: the connections (section 3) are preferred to the per-person summary


TABLES = (
    Table(GENERIC, {"email": ("email",), "joined": ("joined_at",), "left": ("left_at",),
                    "name": ("name", "display_name")}, ("email", "joined", "left")),
    Table(TEAMS, {"name": ("name", "full name"), "joined": ("join time",), "left": ("leave time",),
                  "email": ("email",), "role": ("role",), "duration": ("duration",),
                  "upn": ("participant id (upn)",)}, ("name", "joined", "left", "email"), priority=2),
    Table(TEAMS, {"name": ("name", "full name"), "joined": ("first join",), "left": ("last leave",),
                  "email": ("email",), "role": ("role",), "duration": ("in-meeting duration",),
                  "upn": ("participant id (upn)",)}, ("name", "joined", "left", "email"), priority=1),
    Table(ZOOM, {"name": ("name (original name)", "nome (nome originale)"),
                 "email": ("user email", "email", "e-mail"), "joined": ("join time", "ora di ingresso"),
                 "left": ("leave time", "ora di uscita"), "duration": ("duration (minutes)", "durata (minuti)"),
                 "waiting": ("in waiting room", "in sala d'attesa", "in sala d’attesa")},
          ("name", "email", "joined", "left")),
    Table(MEET, {"name": ("name", "full name"), "first_name": ("first name",), "last_name": ("last name",),
                 "email": ("email",), "duration": ("duration",), "joined": ("time joined",),
                 "left": ("time exited",)}, ("email", "joined", "left")),
)

# Files that are recognisably a platform's, but not the report that has join and leave times.
WRONG_EXPORTS = (
    ({"full name", "user action", "timestamp"},
     N_("È il vecchio elenco dei partecipanti di Teams, senza indirizzi e-mail: scarica il report "
        "presenze dalla scheda «Presenze» della riunione.")),
    ({"name (original name)", "total duration (minutes)"},
     N_("È il report di Zoom con «Mostra utenti unici», senza orari di ingresso e uscita: esportalo di nuovo "
        "senza quell'opzione.")),
)


def normalise_heading(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").strip().casefold().split())


@dataclass(frozen=True)
class Found:
    table: Table
    header_index: int
    columns: dict[str, int]


def _columns(table: Table, headings: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for field, names in table.fields.items():
        positions = [index for index, heading in enumerate(headings) if heading in names]
        if positions:
            found[field] = positions[0]
    if "name" in found:
        # A Zoom export "with meeting data" repeats headings (the meeting's Duration (minutes) first):
        # the participant's columns are the ones after the participant's name.
        for field, names in table.fields.items():
            after = [index for index, heading in enumerate(headings) if heading in names and index > found["name"]]
            if after and field != "name":
                found[field] = after[0]
    if table.layout == MEET and "name" not in found and "first_name" not in found:
        return None
    return found if all(field in found for field in table.required) else None


def find_table(rows: list[list[str]]) -> Found | None:
    best: Found | None = None
    for index, row in enumerate(rows):
        if len(row) < 3:
            continue
        headings = [normalise_heading(cell) for cell in row]
        present = set(headings)
        for table in TABLES:
            if present.isdisjoint(table.fields["joined"]):
                continue  # a data row, or another table's headings: no need to look further
            columns = _columns(table, headings)
            if columns is not None and (best is None or table.priority > best.table.priority):
                best = Found(table, index, columns)
    return best


def _wrong_export(rows: list[list[str]]) -> str | None:
    for row in rows[:50]:
        headings = {normalise_heading(cell) for cell in row}
        for needed, message in WRONG_EXPORTS:
            if needed <= headings:
                return message
    return None


# Bytes to rows -----------------------------------------------------------------------------------


def decode(content: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM), UTF-16, Windows-1252."""
    if not content.strip():
        raise UnreadableReport(N_("Il file è vuoto."), field="file")
    if content.startswith(b"PK\x03\x04"):
        raise UnreadableReport(N_("È un file Excel o compresso: carica il report in formato CSV."), field="file")
    try:
        if content.startswith(codecs.BOM_UTF8):
            return content[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return content.decode("utf-16"), "utf-16"
        if content.count(b"\x00") * 4 > len(content):
            # UTF-16 without its mark: every other byte of plain text is zero.
            little = content[1::2].count(0) >= content[0::2].count(0)
            return content.decode("utf-16-le" if little else "utf-16-be"), "utf-16-le" if little else "utf-16-be"
    except UnicodeDecodeError as exc:
        raise UnreadableReport(N_("Il file non è un testo leggibile: la codifica dei caratteri non è valida."),
                               field="file") from exc
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise UnreadableReport(N_("Il file non è un testo leggibile: la codifica dei caratteri non è riconosciuta."),
                               field="file") from exc


def split_rows(text: str, delimiter: str) -> list[list[str]]:
    try:
        return [row for row in csv.reader(io.StringIO(text.replace("\x00", ""), newline=""), delimiter=delimiter)]
    except csv.Error:
        return []


def recognise(content: bytes) -> tuple[str, str, list[list[str]], Found]:
    """Encoding, delimiter, rows and the table found; :class:`UnreadableReport` for an unknown layout."""
    text, encoding = decode(content)
    for delimiter in DELIMITERS:
        rows = split_rows(text, delimiter)
        found = find_table(rows)
        if found is not None:
            return encoding, delimiter, rows, found
    for delimiter in DELIMITERS:
        message = _wrong_export(split_rows(text, delimiter))
        if message:
            raise UnreadableReport(message, field="file")
    raise UnreadableReport(
        N_("Formato del report non riconosciuto: sono accettati il report presenze di Microsoft Teams, il report "
           "partecipanti di Zoom, il report presenze di Google Meet o un CSV con le colonne email;joined_at;left_at."),
        field="file",
    )


def detect_layout(content: bytes) -> str:
    """``teams``, ``zoom``, ``meet`` or ``generic`` (:class:`UnreadableReport` when none)."""
    return recognise(content)[3].table.layout


# Rows to connections -----------------------------------------------------------------------------


@dataclass
class _Raw:
    line: int
    email: str
    name: str
    joined: Stamp
    left: Stamp
    role: str
    identity: str
    seconds: int | None


def _cell(row: Sequence[str], columns: dict[str, int], field: str) -> str:
    index = columns.get(field)
    return report_times.clean(row[index]) if index is not None and index < len(row) else ""


def _data_rows(rows: list[list[str]], found: Found) -> Iterator[tuple[int, list[str]]]:
    """The table's rows: after its headings, up to the first blank line (Teams sections end there)."""
    for index in range(found.header_index + 1, len(rows)):
        row = rows[index]
        if not any(cell.strip() for cell in row):
            if found.table.layout == TEAMS:
                return
            continue
        yield index + 1, row


def _teams_identities(rows: list[list[str]]) -> dict[str, str]:
    """E-mail → Participant ID (UPN), from section 2 of a Teams report (section 3 lacks the UPN)."""
    summary = next((table for table in TABLES if table.layout == TEAMS and table.priority == 1), None)
    assert summary is not None
    for index, row in enumerate(rows):
        columns = _columns(summary, [normalise_heading(cell) for cell in row])
        if columns and "upn" in columns:
            found = Found(summary, index, columns)
            return {
                _cell(data, columns, "email").lower(): _cell(data, columns, "upn")
                for _line, data in _data_rows(rows, found)
                if _cell(data, columns, "email") and _cell(data, columns, "upn")
            }
    return {}


def _read_rows(rows: list[list[str]], found: Found, problems: list[Issue]) -> list[_Raw]:
    table, columns = found.table, found.columns
    identities = _teams_identities(rows) if table.layout == TEAMS else {}
    raws: list[_Raw] = []
    for line, row in _data_rows(rows, found):
        if table.layout == ZOOM and _cell(row, columns, "waiting").lower() in YES:
            continue  # time spent in the waiting room is not time in the meeting
        email = _cell(row, columns, "email").lower()
        name = _cell(row, columns, "name") or " ".join(
            part for part in (_cell(row, columns, "first_name"), _cell(row, columns, "last_name")) if part
        )
        stamps: list[Stamp] = []
        for field, missing in (("joined", N_("Riga %(line)d: manca l'ora di ingresso.")),
                               ("left", N_("Riga %(line)d: manca l'ora di uscita."))):
            text = _cell(row, columns, field)
            if not text:
                problems.append(Issue("missing-time", missing, field="file", params={"line": line}))
                break
            try:
                stamps.append(report_times.read_stamp(text))
            except UnreadableStamp:
                problems.append(Issue("unreadable-time", N_("Riga %(line)d: data e ora non riconosciute: «%(value)s»."),
                                      field="file", params={"line": line, "value": text[:40]}))
                break
        if len(stamps) < 2:
            continue
        seconds = report_times.parse_duration(_cell(row, columns, "duration"),
                                              bare_unit_seconds=60 if table.layout == ZOOM else 1)
        identity = identities.get(email) or email or name
        raws.append(_Raw(line, email, name, stamps[0], stamps[1], _cell(row, columns, "role"), identity, seconds))
    return raws


def _refuse(problems: list[Issue]) -> UnreadableReport:
    listed = problems[:MAX_LISTED_PROBLEMS]
    return UnreadableReport(
        N_("Righe non leggibili nel report: %(count)d. Non è stato registrato nulla: correggi il file o "
           "scaricalo di nuovo dalla piattaforma."),
        field="file", issues=listed, count=len(problems),
    )


def parse_report(
    content: bytes,
    *,
    session_start: datetime,
    session_end: datetime,
    layout: str | None = None,
) -> AttendanceReport:
    """The connections in a report, for a session from ``session_start`` to ``session_end``.

    ``layout`` is what the trainer chose (``teams|zoom|meet|generic``); ``None`` or ``"auto"``
    recognises it. The session's times decide what a time without a date (Meet) or an ambiguous
    day/month means, and which of two repeated times on the DST night was meant.
    """
    start, end = to_utc(session_start), to_utc(session_end)
    if layout not in (None, "", "auto", *LAYOUTS):
        raise UnreadableReport(N_("Formato non previsto: scegli tra teams, zoom, meet e generic."), field="format")
    encoding, _delimiter, rows, found = recognise(content)
    detected = found.table.layout
    if layout not in (None, "", "auto") and layout != detected:
        raise UnreadableReport(
            N_("Hai indicato un report di %(chosen)s, ma il file è un report di %(found)s."),
            field="format", chosen=LAYOUT_NAMES[layout], found=LAYOUT_NAMES[detected],
        )
    problems: list[Issue] = []
    raws = _read_rows(rows, found, problems)
    if problems:
        raise _refuse(problems)
    if not raws:
        raise UnreadableReport(N_("Il report non contiene nessun partecipante."), field="file")
    session_day = to_rome(start).date()
    stamps = [stamp for raw in raws for stamp in (raw.joined, raw.left)]
    try:
        order = report_times.day_order(stamps, session_day, fixed="day" if detected == GENERIC else None)
    except AmbiguousDayOrder as exc:
        raise UnreadableReport(
            N_("Le date del report si possono leggere sia come giorno/mese sia come mese/giorno e nessuna delle due "
               "cade nel giorno dell'incontro: controlla di aver caricato il report giusto."), field="file",
        ) from exc
    except UnreadableStamp as exc:
        raise UnreadableReport(N_("Le date del report non sono date reali né come giorno/mese né come mese/giorno."),
                               field="file") from exc
    result = []
    for raw in raws:
        try:
            joined, left = (_candidates(stamp, order, session_day) for stamp in (raw.joined, raw.left))
        except UnreadableStamp:
            problems.append(Issue("unreadable-time", N_("Riga %(line)d: data e ora non riconosciute: «%(value)s»."),
                                  field="file", params={"line": raw.line, "value": raw.joined.text[:40]}))
            continue
        joined_at, left_at = report_times.resolve_interval(joined, left, start, end)
        result.append(ReportRow(raw.line, raw.email, raw.name, joined_at, left_at, raw.identity, raw.role, raw.seconds))
    if problems:
        raise _refuse(problems)
    return AttendanceReport(detected, encoding, tuple(result))


def _candidates(stamp: Stamp, order: str, session_day) -> list[datetime]:
    if stamp.instant is not None:
        return [stamp.instant]
    return report_times.rome_candidates(report_times.local_parts(stamp, order, session_day))
