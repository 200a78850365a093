"""How an imported connection becomes a status, and the demo's Teams report writer read back by the parser."""

from datetime import date, timedelta

from tests.support import rome
from training_hub.demo.funding import teams_report
from training_hub.funding.online import _status
from training_hub.funding.online_minutes import (
    EnrolmentContact,
    EnrolmentMinutes,
    Interval,
    compute_online_attendance,
)
from training_hub.funding.online_reports import parse_report

START, END = rome(date(2026, 11, 18), 14), rome(date(2026, 11, 18), 18)


def _row(*spans: tuple[int, int]) -> EnrolmentMinutes:
    intervals = tuple(Interval(START + timedelta(minutes=a), START + timedelta(minutes=b)) for a, b in spans)
    return EnrolmentMinutes(1, "a@example.test", sum(b - a for a, b in spans), intervals)


def test_status_of_an_imported_connection():
    assert _status(_row((0, 240)), START, END) == "present"
    assert _status(_row((10, 235)), START, END) == "present"  # within the 10-minute tolerance
    assert _status(_row((11, 240)), START, END) == "late"
    assert _status(_row((0, 229)), START, END) == "left_early"
    assert _status(_row(), START, END) == "absent"


def test_the_demo_teams_report_is_read_back_with_its_connections():
    content = teams_report("Webinar", START, END, [
        ("Anna Rossi", "anna@example.test", START - timedelta(minutes=3), START + timedelta(minutes=70)),
        ("Anna Rossi", "anna@example.test", START + timedelta(minutes=85), END + timedelta(minutes=2)),
        ("Ospite", "ospite@example.org", START + timedelta(minutes=30), START + timedelta(minutes=60)),
    ])
    report = parse_report(content, session_start=START, session_end=END, layout="teams")
    assert report.layout == "teams" and report.encoding.startswith("utf-16") and len(report.rows) == 3
    result = compute_online_attendance(report.rows, session_start=START, session_end=END,
                                       enrolments=[EnrolmentContact(7, "Anna@Example.test")])
    assert result.rows[0].minutes == 70 + 155  # the 15-minute drop left out, clipped to the session
    assert [account.email for account in result.unmatched] == ["ospite@example.org"]
