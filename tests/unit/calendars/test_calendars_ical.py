"""The pure iCalendar builders: every property, parsed back with icalendar."""

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar

from training_hub.calendars.ical import (
    VTIMEZONE_ROME,
    FeedSession,
    build_calendar,
    build_vevent,
    feed_filename,
    slug,
)
from training_hub.core.i18n import language
from training_hub.core.timeutil import rome_wall_clock

BASE = "https://formazione.example"


def feed_session(**values) -> FeedSession:
    starts = rome_wall_clock(date(2026, 10, 22), time(9, 0))
    data = dict(
        id=7,
        uid="7f0c1e1a-0000-4000-8000-000000000007@training-hub",
        sequence=2,
        cancelled=False,
        starts_at=starts.astimezone(UTC),
        ends_at=(starts + timedelta(hours=4)).astimezone(UTC),
        created_at=datetime(2026, 9, 1, 8, 30, tzinfo=UTC),
        updated_at=datetime(2026, 9, 15, 10, 0, 5, 123456, tzinfo=UTC),
        course_id=12,
        course_title="Comunicare con le famiglie",
        path_title="Marketing sociale per le cooperative",
        path_kind="marketing",
        topics="Ascolto attivo, colloquio; restituzione",
        trainer_names=("Marco Bianchi",),
        location_name="Sede del Consorzio Sociale Light",
        location_address="Via Tolmezzo, 3",
        location_comune="Milano",
    )
    data.update(values)
    return FeedSession(**data)


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def one_event(session: FeedSession, *, show_online_link: bool = True):
    calendar = parse(build_calendar("Prova", [build_vevent(session, show_online_link=show_online_link, base_url=BASE)]))
    [event] = calendar.events
    return event


def test_calendar_header_has_rfc5545_and_rfc7986_properties():
    calendar = parse(build_calendar("La mia formazione", [], description="Lezioni"))
    assert str(calendar["PRODID"]) == "-//Consorzio Sociale Light//Training Hub//IT"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["NAME"]) == "La mia formazione"
    assert str(calendar["X-WR-CALNAME"]) == "La mia formazione"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Rome"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert calendar.events == []


def test_rome_timezone_is_written_with_yearly_rules_not_transitions():
    [zone] = Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + VTIMEZONE_ROME + b"END:VCALENDAR\r\n").timezones
    assert str(zone["TZID"]) == "Europe/Rome"
    rules = {component.name: component for component in zone.subcomponents}
    assert set(rules) == {"STANDARD", "DAYLIGHT"}
    assert rules["DAYLIGHT"]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert rules["STANDARD"]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert rules["DAYLIGHT"].decoded("DTSTART").time() == time(2, 0)
    assert rules["STANDARD"].decoded("DTSTART").time() == time(3, 0)
    assert rules["DAYLIGHT"].decoded("TZOFFSETTO") == timedelta(hours=2)
    assert rules["STANDARD"].decoded("TZOFFSETTO") == timedelta(hours=1)
    assert b"RDATE" not in VTIMEZONE_ROME


def test_vevent_has_every_property():
    session = feed_session(online_url="https://meet.example/abc")
    event = one_event(session)
    assert str(event["UID"]) == session.uid
    assert event.decoded("DTSTAMP") == datetime(2026, 9, 15, 10, 0, 5, tzinfo=UTC)
    assert event.decoded("LAST-MODIFIED") == datetime(2026, 9, 15, 10, 0, 5, tzinfo=UTC)
    assert event.decoded("CREATED") == datetime(2026, 9, 1, 8, 30, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert event["DTEND"].params["TZID"] == "Europe/Rome"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 10, 22, 9, 0)
    assert event.decoded("DTEND").replace(tzinfo=None) == datetime(2026, 10, 22, 13, 0)
    assert event.decoded("SEQUENCE") == 2
    assert str(event["SUMMARY"]) == "Comunicare con le famiglie"
    assert str(event["LOCATION"]) == "Sede del Consorzio Sociale Light, Via Tolmezzo, 3, Milano, Online"
    assert str(event["URL"]) == f"{BASE}/courses/12"
    description = str(event["DESCRIPTION"])
    assert "Percorso: Marketing sociale per le cooperative" in description
    assert "Formatore: Marco Bianchi" in description
    assert "Argomenti: Ascolto attivo, colloquio; restituzione" in description
    assert "Collegamento online: https://meet.example/abc" in description
    assert f"Scheda del corso: {BASE}/courses/12" in description
    assert [str(category) for category in event["CATEGORIES"].cats] == ["Marketing sociale"]
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["TRANSP"]) == "OPAQUE"
    assert str(event["CONFERENCE"]) == "https://meet.example/abc"


def test_online_link_only_when_the_reader_may_see_it():
    event = one_event(feed_session(online_url="https://meet.example/secret"), show_online_link=False)
    body = event.to_ical()
    assert b"meet.example" not in body
    assert "collegamento è visibile solo agli iscritti confermati" in str(event["DESCRIPTION"])
    assert "CONFERENCE" not in event


def test_cancelled_session_says_so():
    event = one_event(feed_session(cancelled=True, sequence=3))
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Annullato: Comunicare con le famiglie"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert str(event["DESCRIPTION"]).startswith("Questa lezione è stata annullata.")
    assert event.decoded("SEQUENCE") == 3
    # A cancelled online lesson no longer shows its link.
    cancelled_online = one_event(feed_session(cancelled=True, online_url="https://meet.example/x"))
    assert b"meet.example" not in cancelled_online.to_ical()


def test_weekly_series_over_the_october_2026_change_stays_at_nine():
    # The last Sunday of October 2026 is the 25th: Rome goes from +02:00 to +01:00.
    days = [date(2026, 10, 15), date(2026, 10, 22), date(2026, 10, 29), date(2026, 11, 5)]
    events = []
    for n, day in enumerate(days):
        start = rome_wall_clock(day, time(9, 0))
        events.append(build_vevent(feed_session(id=n, uid=f"u{n}@th", starts_at=start.astimezone(UTC),
                                                ends_at=(start + timedelta(hours=4)).astimezone(UTC)),
                                   show_online_link=False, base_url=BASE))
    parsed = parse(build_calendar("Serie", events)).events
    assert [event.decoded("DTSTART").time() for event in parsed] == [time(9, 0)] * 4
    assert [event.decoded("DTEND").time() for event in parsed] == [time(13, 0)] * 4
    offsets = [event.decoded("DTSTART").utcoffset() for event in parsed]
    assert offsets == [timedelta(hours=2), timedelta(hours=2), timedelta(hours=1), timedelta(hours=1)]
    # The instants the UTC storage holds are an hour apart in UTC across the change.
    assert [event.decoded("DTSTART").astimezone(UTC).hour for event in parsed] == [7, 7, 8, 8]


def test_cooperative_count_and_several_trainers():
    event = one_event(feed_session(trainer_names=("Anna Conti", "Marco Bianchi"), cooperative_attendees=3))
    description = str(event["DESCRIPTION"])
    assert "Formatori: Anna Conti, Marco Bianchi" in description
    assert "Partecipano 3 persone della cooperativa." in description
    single = str(one_event(feed_session(cooperative_attendees=1))["DESCRIPTION"])
    assert "Partecipa 1 persona della cooperativa." in single


def test_vevent_bytes_are_stable_and_folded():
    session = feed_session(topics="Un argomento molto lungo " * 10)
    first = build_vevent(session, show_online_link=True, base_url=BASE)
    assert first == build_vevent(session, show_online_link=True, base_url=BASE)
    assert all(len(line) <= 75 for line in first.split(b"\r\n"))
    assert first.startswith(b"BEGIN:VEVENT\r\n") and first.endswith(b"END:VEVENT\r\n")


def test_english_texts_follow_the_language():
    with language("en"):
        event = one_event(feed_session(cancelled=True))
    assert str(event["SUMMARY"]) == "Cancelled: Comunicare con le famiglie"
    assert "Path: Marketing sociale per le cooperative" in str(event["DESCRIPTION"])


def test_file_names():
    assert slug("Sicurezza sul lavoro: rischi & DPI (D.Lgs. 81/2008)") == "sicurezza-sul-lavoro-rischi-dpi-d-lgs-81"
    assert feed_filename("corso", 12, "Città inclusive") == "training-hub-corso-12-citta-inclusive.ics"
    assert feed_filename("calendario-personale") == "training-hub-calendario-personale.ics"
