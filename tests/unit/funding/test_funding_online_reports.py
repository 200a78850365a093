"""Reading videoconference participant reports: the four layouts, encodings, dates, bad files."""

import codecs
from datetime import UTC, datetime
from pathlib import Path

import pytest

from training_hub.funding.online_reports import (
    UnreadableReport,
    detect_layout,
    parse_report,
)

DATA = Path(__file__).resolve().parents[2] / "data"
# Wednesday 2 December 2026, 09:00–13:00 in Rome (UTC+1).
START = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
END = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def parse(content: bytes, layout: str | None = None, start=START, end=END):
    return parse_report(content, session_start=start, session_end=end, layout=layout)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def refusal(content: bytes, **kwargs) -> UnreadableReport:
    with pytest.raises(UnreadableReport) as caught:
        parse(content, **kwargs)
    return caught.value


# The four samples ---------------------------------------------------------------------------------


def test_teams_report_is_utf16_with_tabs_and_its_connections_come_from_section_three():
    report = parse(sample("teams_attendance.csv"))
    assert (report.layout, report.encoding) == ("teams", "utf-16")
    assert len(report.rows) == 8  # the connections, not the six people of section 2
    giulia = [row for row in report.rows if row.email == "giulia.verdi@sollievo.coop"]
    # 12/2/26 is month first here (en-US, 12-hour clock): 2 December, as the session's day says.
    assert [(row.joined_at, row.left_at) for row in giulia] == [
        (utc(2026, 12, 2, 8, 1, 10), utc(2026, 12, 2, 9, 30)),
        (utc(2026, 12, 2, 9, 50), utc(2026, 12, 2, 12, 1)),
    ]
    assert giulia[0].reported_seconds == 1 * 3600 + 28 * 60 + 50


def test_teams_platform_identity_is_the_upn_of_section_two_and_emails_are_lower_cased():
    rows = {row.email: row for row in parse(sample("teams_attendance.csv")).rows}
    assert "anna.rossi@coop-aurora.it" in rows  # written Anna.Rossi@… in the report
    guest = rows["niccolo.galli@example.org"]
    assert guest.platform_identity == "niccolo.galli_example.org#EXT#@consorziolight.onmicrosoft.com"
    assert guest.display_name == "Niccolò Galli (External)"
    assert rows["formatrice@consorziolight.it"].role == "Organizer"


def test_zoom_report_skips_the_meeting_rows_and_the_waiting_room():
    report = parse(sample("zoom_participants.csv"))
    assert report.layout == "zoom"
    anna = [row for row in report.rows if row.email == "anna.rossi@coop-aurora.it"]
    # The 08:56–08:58 row was spent in the waiting room: not attendance.
    assert [(row.joined_at, row.left_at) for row in anna] == [(utc(2026, 12, 2, 7, 58, 40), utc(2026, 12, 2, 12, 0, 5))]
    assert anna[0].reported_seconds == 242 * 60  # Zoom's duration is in minutes
    phone = [row for row in report.rows if not row.email]
    assert [row.display_name for row in phone] == ["Ospite (telefono)"]
    assert any(row.display_name == "Neri, Luca" for row in report.rows)  # a quoted comma


def test_meet_report_has_times_of_day_placed_on_the_session_day():
    report = parse(sample("meet_attendance.csv"))
    assert report.layout == "meet"
    marco = next(row for row in report.rows if row.email == "marco.bianchi@coop-aurora.it")
    assert (marco.joined_at, marco.left_at) == (utc(2026, 12, 2, 8, 12), utc(2026, 12, 2, 11, 40))
    assert marco.reported_seconds == (3 * 60 + 27) * 60  # "3 hr 27 min"


def test_generic_report_reads_iso_with_or_without_offset_and_italian_dates():
    report = parse(sample("generic_attendance.csv"))
    assert (report.layout, report.encoding) == ("generic", "utf-8")
    joined = {(row.email, row.line): row.joined_at for row in report.rows}
    assert joined[("anna.rossi@coop-aurora.it", 2)] == utc(2026, 12, 2, 7, 58, 40)  # +01:00
    assert joined[("marco.bianchi@coop-aurora.it", 3)] == utc(2026, 12, 2, 8, 12)  # no offset: Rome
    assert joined[("giulia.verdi@sollievo.coop", 4)] == utc(2026, 12, 2, 8, 1)  # 02/12/2026: day first
    assert joined[("luca.neri@sollievo.coop", 6)] == utc(2026, 12, 2, 7, 59)  # Z


@pytest.mark.parametrize("name, layout", [("teams_attendance.csv", "teams"), ("zoom_participants.csv", "zoom"),
                                          ("meet_attendance.csv", "meet"), ("generic_attendance.csv", "generic")])
def test_layout_is_recognised_from_the_headings(name, layout):
    assert detect_layout(sample(name)) == layout
    assert parse(sample(name), layout=layout).layout == layout
    assert parse(sample(name), layout="auto").layout == layout


# Encodings and separators -------------------------------------------------------------------------


def test_windows_1252_file_keeps_its_accented_names():
    content = "email;joined_at;left_at;name\nniccolo@example.org;02/12/2026 09:00;02/12/2026 10:00;Niccolò Fò\n"
    report = parse(content.encode("cp1252"))
    assert report.encoding == "windows-1252"
    assert report.rows[0].display_name == "Niccolò Fò"


def test_utf8_with_bom_and_utf16_without_bom_are_read():
    content = "email,joined_at,left_at\nanna@example.org,2026-12-02 09:00,2026-12-02 10:00\n"
    with_bom = parse(codecs.BOM_UTF8 + content.encode("utf-8"))
    assert with_bom.encoding == "utf-8-sig" and with_bom.rows[0].email == "anna@example.org"
    big_endian = parse(content.replace(",", "\t").encode("utf-16-be"))
    assert big_endian.encoding == "utf-16-be" and big_endian.rows[0].joined_at == utc(2026, 12, 2, 8)


def test_teams_report_in_utf8_with_day_first_24_hour_times():
    # A report saved again by Excel in another locale: UTF-8, day first, 24-hour clock.
    text = (DATA / "teams_attendance.csv").read_bytes().decode("utf-16")
    text = text.replace("12/2/26, 8:58:40 AM", "2/12/26, 08:58:40").replace("12/2/26, 1:00:05 PM", "2/12/26, 13:00:05")
    text = "\n".join(line for line in text.splitlines() if "AM" not in line and "PM" not in line)
    report = parse(text.encode("utf-8"))
    assert [(row.joined_at, row.left_at) for row in report.rows] == [(utc(2026, 12, 2, 7, 58, 40), utc(2026, 12, 2, 12, 0, 5))]


def test_newer_zoom_export_repeats_the_meeting_columns_on_every_row():
    content = (
        "Topic,ID,Host name,Host email,Start time,End time,Participants,Duration (minutes),"
        "Name (original name),Email,Join time,Leave time,Duration (minutes),Guest,In waiting room\n"
        "Corso,852 1848 6288,Chiara Ferri,formatrice@consorziolight.it,12/02/2026 08:55:02 AM,"
        "12/02/2026 01:04:10 PM,2,250,Anna Rossi,anna.rossi@coop-aurora.it,12/02/2026 09:00:00 AM,"
        "12/02/2026 11:00:00 AM,120,No,No\n"
    )
    row = parse(content.encode("utf-8")).rows[0]
    assert (row.email, row.reported_seconds) == ("anna.rossi@coop-aurora.it", 120 * 60)  # the participant's duration


def test_italian_zoom_export_is_recognised():
    content = (
        "Nome (nome originale),E-mail,Ora di ingresso,Ora di uscita,Durata (minuti),Guest,In sala d'attesa\n"
        "Anna Rossi,anna.rossi@coop-aurora.it,12/02/2026 09:00:00 AM,12/02/2026 11:00:00 AM,120,No,No\n"
        "Anna Rossi,anna.rossi@coop-aurora.it,12/02/2026 08:50:00 AM,12/02/2026 09:00:00 AM,10,No,Sì\n"
    )
    report = parse(content.encode("utf-8"))
    assert report.layout == "zoom" and len(report.rows) == 1


# Dates ---------------------------------------------------------------------------------------------


def test_day_or_month_first_is_decided_by_the_session_day():
    zoom = sample("zoom_participants.csv").decode("utf-8")
    # 12/02/2026 is 2 December for a session on 2 December (month first)…
    assert parse(zoom.encode()).rows[0].joined_at == utc(2026, 12, 2, 7, 55, 2)
    # …and the same report dated 12/02/2027 is 12 February for a session on 12 February.
    february = zoom.replace("12/02/2026", "12/02/2027")
    rows = parse(february.encode(), start=utc(2027, 2, 12, 8), end=utc(2027, 2, 12, 12)).rows
    assert rows[0].joined_at == utc(2027, 2, 12, 7, 55, 2)


def test_a_value_possible_only_month_first_decides_for_the_whole_file():
    content = ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
               "A,a@example.org,05/06/2026 09:00:00 AM,05/06/2026 10:00:00 AM,60\n"
               "B,b@example.org,05/13/2026 09:00:00 AM,05/13/2026 10:00:00 AM,60\n")  # no 13th month
    rows = parse(content.encode(), start=utc(2026, 5, 6, 7), end=utc(2026, 5, 13, 11)).rows
    assert rows[0].joined_at == utc(2026, 5, 6, 7)  # 6 May (CEST), not 5 June


def test_ambiguous_dates_far_from_the_session_are_refused_not_guessed():
    zoom = (b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
            b"A,a@example.org,03/04/2026 09:00:00 AM,03/04/2026 10:00:00 AM,60\n")
    error = refusal(zoom)  # 3 April or 4 March: neither is 2 December
    assert "giorno/mese" in error.detail


def test_generic_layout_is_always_day_first():
    content = "email;joined_at;left_at\na@example.org;12/02/2026 09:00;12/02/2026 10:00\n"
    start, end = utc(2026, 2, 12, 8), utc(2026, 2, 12, 12)
    assert parse(content.encode(), start=start, end=end).rows[0].joined_at == utc(2026, 2, 12, 8)


def test_repeated_hour_of_the_dst_night_is_resolved_towards_a_join_before_the_leave():
    # Sunday 25 October 2026: at 03:00 CEST clocks go back to 02:00 CET, so 02:00–02:59 happens twice.
    start, end = utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 3, 0)  # 01:00 CEST to 04:00 CET
    content = "email;joined_at;left_at\na@example.org;25/10/2026 02:30;25/10/2026 02:15\n"
    row = parse(content.encode(), start=start, end=end).rows[0]
    # Joined at the first 02:30 (CEST, 00:30 UTC), left at the second 02:15 (CET, 01:15 UTC): 45 minutes.
    assert (row.joined_at, row.left_at) == (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 15))


def test_nonexistent_spring_forward_time_moves_forward():
    # Sunday 29 March 2026: 02:00–02:59 does not exist in Rome.
    start, end = utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 3, 0)
    content = "email;joined_at;left_at\na@example.org;29/03/2026 02:30;29/03/2026 04:00\n"
    row = parse(content.encode(), start=start, end=end).rows[0]
    assert row.joined_at == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    assert row.left_at == utc(2026, 3, 29, 2, 0)


def test_reversed_interval_is_kept_for_the_minutes_rule_to_flag():
    content = "email;joined_at;left_at\na@example.org;02/12/2026 11:00;02/12/2026 10:00\n"
    row = parse(content.encode()).rows[0]
    assert row.left_at < row.joined_at


# Bad files ------------------------------------------------------------------------------------------


def test_unknown_layout_is_refused_naming_the_accepted_ones():
    error = refusal(b"nome,cognome,presente\nAnna,Rossi,si\n")
    assert error.status_code == 422
    assert "Formato del report non riconosciuto" in error.detail
    assert error.errors == {"file": error.message}


def test_chosen_layout_must_match_the_file():
    error = refusal(sample("teams_attendance.csv"), layout="zoom")
    assert error.detail == "Hai indicato un report di Zoom, ma il file è un report di Microsoft Teams."
    assert refusal(sample("teams_attendance.csv"), layout="webex").errors.keys() == {"format"}


def test_old_teams_attendance_list_without_emails_is_refused_with_the_way_out():
    content = "Full Name\tUser Action\tTimestamp\nAnna Rossi\tJoined\t12/2/2026, 9:00:00 AM\n"
    error = refusal(content.encode("utf-16"))
    assert "vecchio elenco" in error.detail and "Presenze" in error.detail


def test_zoom_unique_users_export_is_refused_with_the_way_out():
    content = "Name (Original Name),User Email,Total Duration (Minutes),Guest\nAnna,a@example.org,120,No\n"
    assert "Mostra utenti unici" in refusal(content.encode()).detail


@pytest.mark.parametrize("content, words", [
    (b"", "vuoto"),
    (b"   \r\n", "vuoto"),
    (b"PK\x03\x04rest-of-a-zip", "Excel"),
    (b"email;joined_at;left_at\n", "nessun partecipante"),
])
def test_empty_binary_or_participantless_files_are_refused(content, words):
    assert words in refusal(content).detail


def test_unreadable_times_are_listed_by_line_and_nothing_is_returned():
    content = ("email;joined_at;left_at\n"
               "a@example.org;02/12/2026 09:00;02/12/2026 10:00\n"
               "b@example.org;ieri mattina;02/12/2026 10:00\n"
               "c@example.org;02/12/2026 09:00;\n")
    error = refusal(content.encode())
    assert error.params == {"count": 2}
    assert [issue.text for issue in error.issues] == [
        "Riga 3: data e ora non riconosciute: «ieri mattina».",
        "Riga 4: manca l'ora di uscita.",
    ]


def test_impossible_dates_are_refused():
    zoom = (b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
            b"A,a@example.org,13/13/2026 09:00:00 AM,13/13/2026 10:00:00 AM,60\n")
    assert "date reali" in refusal(zoom).detail
