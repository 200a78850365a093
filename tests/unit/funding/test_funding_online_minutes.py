"""Minutes per enrolment from a videoconference report: union, clipping, matching, anomalies."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from training_hub.core.i18n import language
from training_hub.funding.online_minutes import (
    GAP_THRESHOLD,
    EnrolmentContact,
    compute_online_attendance,
)
from training_hub.funding.online_reports import ReportRow, parse_report

DATA = Path(__file__).resolve().parents[2] / "data"
START = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)  # 09:00 in Rome
END = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # 13:00 in Rome
ENROLMENTS = [
    EnrolmentContact(1, "anna.rossi@coop-aurora.it"),
    EnrolmentContact(2, " Marco.Bianchi@Coop-Aurora.it "),
    EnrolmentContact(3, "giulia.verdi@sollievo.coop"),
    EnrolmentContact(4, "luca.neri@sollievo.coop"),
    EnrolmentContact(5, "assente@sollievo.coop"),
]


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A Rome time on 2 December 2026 (UTC+1)."""
    return datetime(2026, 12, 2, hour - 1, minute, second, tzinfo=UTC)


def row(line: int, email: str, joined: datetime, left: datetime, *, seconds: int | None = None,
        name: str = "") -> ReportRow:
    return ReportRow(line, email, name or email, joined, left, email or name, reported_seconds=seconds)


def compute(rows, enrolments=ENROLMENTS):
    return compute_online_attendance(rows, session_start=START, session_end=END, enrolments=enrolments)


def codes(result) -> list[str]:
    return [anomaly.code for anomaly in result.anomalies]


def minutes(result) -> dict[int, int]:
    return {entry.enrolment_id: entry.minutes for entry in result.rows}


def test_minutes_are_the_union_of_connections_clipped_to_the_session():
    result = compute([
        row(2, "anna.rossi@coop-aurora.it", at(8, 50), at(10, 0)),  # 10 minutes before the start: not counted
        row(3, "anna.rossi@coop-aurora.it", at(9, 30), at(10, 30)),  # overlaps the first: counted once
        row(4, "anna.rossi@coop-aurora.it", at(10, 30), at(13, 20)),  # touches the second; 20 minutes after the end
    ])
    anna = result.rows[0]
    assert anna.minutes == 240
    assert [(interval.start, interval.end) for interval in anna.intervals] == [(START, END)]
    assert "gap" not in codes(result)


def test_every_enrolment_gets_a_row_in_the_order_given_absent_ones_with_zero():
    result = compute([row(2, "anna.rossi@coop-aurora.it", at(9), at(10))])
    assert [entry.enrolment_id for entry in result.rows] == [1, 2, 3, 4, 5]
    assert minutes(result) == {1: 60, 2: 0, 3: 0, 4: 0, 5: 0}
    assert result.rows[4].intervals == ()


def test_emails_match_trimmed_and_case_insensitive():
    result = compute([row(2, "marco.bianchi@coop-aurora.it", at(9), at(9, 45))])
    assert minutes(result)[2] == 45
    assert result.rows[1].email == "marco.bianchi@coop-aurora.it"
    assert result.unmatched == ()


def test_seconds_add_up_before_rounding_down_to_minutes():
    result = compute([
        row(2, "anna.rossi@coop-aurora.it", at(9, 0, 0), at(9, 0, 40)),
        row(3, "anna.rossi@coop-aurora.it", at(9, 2, 0), at(9, 2, 40)),
    ])
    assert minutes(result)[1] == 1  # 80 seconds


def test_two_devices_at_once_are_counted_once_and_listed():
    result = compute([
        row(7, "luca.neri@sollievo.coop", at(9), at(12, 58, 30)),
        row(8, "luca.neri@sollievo.coop", at(11), at(11, 30)),  # the phone, while the laptop is on
    ])
    assert minutes(result)[4] == 238
    (anomaly,) = result.anomalies
    assert (anomaly.code, anomaly.severity, anomaly.enrolment_id, anomaly.lines) == ("two_devices", "warning", 4, (7, 8))
    assert anomaly.text == ("Collegato da due dispositivi insieme dalle 11:00 alle 11:30 (righe 7 e 8): i minuti sono "
                            "contati una volta sola.")
    assert result.can_record


def test_a_reconnection_logged_a_few_seconds_early_is_not_a_second_device():
    result = compute([
        row(2, "anna.rossi@coop-aurora.it", at(9), at(10, 0, 30)),
        row(3, "anna.rossi@coop-aurora.it", at(10), at(11)),  # 30 seconds of overlap
    ])
    assert codes(result) == []
    assert minutes(result)[1] == 120


def test_disconnections_longer_than_the_threshold_are_gaps():
    result = compute([
        row(2, "giulia.verdi@sollievo.coop", at(9), at(10, 30)),
        row(3, "giulia.verdi@sollievo.coop", at(10, 50), at(11)),
        row(4, "giulia.verdi@sollievo.coop", at(11, 5), at(12)),  # exactly 5 minutes away: not a gap
    ])
    assert GAP_THRESHOLD == timedelta(minutes=5)
    assert minutes(result)[3] == 90 + 10 + 55
    (gap,) = result.anomalies
    assert gap.code == "gap" and gap.text == "Disconnesso dalle 10:30 alle 10:50 (20 minuti)."


def test_anomaly_messages_are_translated_when_shown():
    result = compute([row(2, "giulia.verdi@sollievo.coop", at(9), at(10)),
                      row(3, "giulia.verdi@sollievo.coop", at(10, 20), at(11))])
    with language("en"):
        assert result.anomalies[0].text == "Disconnected from 10:00 to 10:20 (20 minutes)."


def test_reversed_connection_blocks_recording():
    result = compute([row(4, "marco.bianchi@coop-aurora.it", at(9), at(10)),
                      row(5, "anna.rossi@coop-aurora.it", at(11), at(10))])
    (anomaly,) = result.anomalies
    assert (anomaly.code, anomaly.severity) == ("reversed_interval", "error")
    assert anomaly.text == "Riga 5: l'uscita (10:00) precede l'ingresso (11:00)."
    assert not result.can_record and result.blocking == (anomaly,)
    assert minutes(result)[1] == 0


def test_a_connection_wholly_outside_the_session_is_listed_and_not_counted():
    result = compute([
        row(2, "anna.rossi@coop-aurora.it", at(8, 0), at(8, 30)),  # a test call before the lesson
        row(3, "anna.rossi@coop-aurora.it", at(9), at(10)),
    ])
    assert codes(result) == ["outside_session"]
    assert result.anomalies[0].severity == "warning" and result.can_record
    assert minutes(result)[1] == 60


def test_a_report_with_no_connection_in_the_session_is_refused():
    tomorrow = timedelta(days=1)
    result = compute([row(2, "anna.rossi@coop-aurora.it", at(9) + tomorrow, at(10) + tomorrow)])
    assert codes(result) == ["outside_session", "report_outside_session"]
    assert not result.can_record


def test_unknown_accounts_and_accounts_without_email_are_unmatched_not_dropped():
    result = compute([
        row(2, "formatrice@consorziolight.it", at(8, 55), at(13, 4), name="Chiara Ferri"),
        row(3, "", at(10), at(10, 30), name="Ospite (telefono)"),
        row(4, "", at(11), at(11, 10), name="Ospite (telefono)"),
    ])
    assert codes(result) == ["unknown_account", "no_email"]
    assert result.anomalies[0].text == ("Account formatrice@consorziolight.it (Chiara Ferri) non corrisponde a nessuna "
                                        "iscrizione del corso.")
    trainer, phone = result.unmatched
    assert (trainer.email, trainer.minutes, trainer.lines) == ("formatrice@consorziolight.it", 240, (2,))
    assert (phone.display_name, phone.minutes, phone.lines) == ("Ospite (telefono)", 40, (3, 4))
    assert result.can_record


def test_an_email_of_two_enrolments_blocks_recording():
    enrolments = [EnrolmentContact(1, "segreteria@coop-aurora.it", person_id=10),
                  EnrolmentContact(2, "Segreteria@coop-aurora.it", person_id=11)]
    result = compute([row(2, "segreteria@coop-aurora.it", at(9), at(10))], enrolments)
    (anomaly,) = result.anomalies
    assert (anomaly.code, anomaly.severity) == ("ambiguous_email", "error")
    assert "corrisponde a 2 iscrizioni" in anomaly.text
    assert minutes(result) == {1: 0, 2: 0}
    assert not result.can_record


def test_a_platform_duration_shorter_than_the_span_caps_the_minutes():
    # Google Meet gives the first join and the last leave: 09:01–13:01, but 3 h 39 min connected.
    result = compute([row(5, "giulia.verdi@sollievo.coop", at(9, 1), at(13, 1), seconds=219 * 60)])
    assert minutes(result)[3] == 219
    assert codes(result) == ["undetailed_gap"]
    # A duration rounded up by the platform, or equal to the span, changes nothing.
    result = compute([row(5, "giulia.verdi@sollievo.coop", at(9, 0), at(10, 0, 20), seconds=60 * 60)])
    assert minutes(result)[3] == 60 and codes(result) == []


def test_as_dict_has_the_api_shape_with_rome_offsets():
    result = compute([row(2, "anna.rossi@coop-aurora.it", at(9), at(10))])
    body = result.as_dict()
    assert set(body) == {"rows", "unmatched", "anomalies"}
    assert body["rows"][0] == {
        "enrolment_id": 1, "email": "anna.rossi@coop-aurora.it", "minutes": 60,
        "intervals": [{"joined_at": "2026-12-02T09:00:00+01:00", "left_at": "2026-12-02T10:00:00+01:00"}],
        "platform_identity": "anna.rossi@coop-aurora.it",
    }


def test_the_teams_sample_end_to_end():
    report = parse_report((DATA / "teams_attendance.csv").read_bytes(), session_start=START, session_end=END)
    result = compute(report.rows)
    assert minutes(result) == {1: 240, 2: 207, 3: 218, 4: 238, 5: 0}
    assert sorted(codes(result)) == ["gap", "two_devices", "unknown_account", "unknown_account"]
    assert {account.email for account in result.unmatched} == {"formatrice@consorziolight.it", "niccolo.galli@example.org"}
    assert result.can_record


def test_the_meet_sample_end_to_end():
    report = parse_report((DATA / "meet_attendance.csv").read_bytes(), session_start=START, session_end=END)
    result = compute(report.rows)
    assert minutes(result) == {1: 240, 2: 208, 3: 219, 4: 238, 5: 0}
    assert "undetailed_gap" in codes(result)
