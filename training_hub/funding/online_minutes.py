"""From a videoconference report to minutes per enrolment: the rule of online attendance evidence.

ANPAL circolare 4/2020 asks that a synchronous online lesson be proven by the platform's unambiguous
record of each learner's connection and disconnection; Fondimpresa accepts, in place of the learner's
signature, the conferencing system and the user's identity. So:

* each connection is matched to an enrolment by **e-mail** (trimmed, case-insensitive);
* a person's minutes are the **union** of their connections **clipped to the session**: overlapping
  or repeated connections count once, time before the start or after the end not at all;
* what does not fit is **listed, never dropped**: accounts no enrolment has, an e-mail shared by two
  enrolments, two devices at once, disconnections longer than :data:`GAP_THRESHOLD`, connections
  reversed or wholly outside the session, and a platform's duration shorter than the span it reports.

Anomalies have a severity. ``error`` ones (a reversed connection, an e-mail of two enrolments, a report
with no connection inside the session) make the import refuse to record anything — the trainer fixes
the file or the enrolments and tries again; ``warning`` ones are shown in the dry run and recorded as
they are. Everything here is pure: plain rows in, plain dataclasses out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from training_hub.core.i18n import N_, format_time, gettext
from training_hub.core.timeutil import iso_rome, to_utc
from training_hub.funding.online_reports import ReportRow

# A disconnection shorter than this is a network hiccup or a change of device, which every online
# lesson has; a longer one is an absence the register must show (a fund inspector asks about those).
# Five minutes is the tolerance the training office uses for late arrivals in the classroom too.
GAP_THRESHOLD = timedelta(minutes=5)

# When a platform reconnects a dropped participant the new connection is often logged a few seconds
# before the old one is closed; an overlap up to this long is that, not a second device.
OVERLAP_TOLERANCE = timedelta(minutes=1)

# The platform's own duration is rounded (Zoom rounds up to the minute, Meet to the minute): a
# difference this small from the span it reports is rounding, not an absence.
DURATION_TOLERANCE = timedelta(minutes=1)

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class EnrolmentContact:
    """An enrolment of the session's course and the e-mail its person signs in with."""

    enrolment_id: int
    email: str
    person_id: int | None = None


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())

    def as_dict(self) -> dict[str, Any]:
        return {"joined_at": iso_rome(self.start), "left_at": iso_rome(self.end)}


@dataclass(frozen=True)
class Anomaly:
    code: str
    severity: str
    message: str  # Italian msgid with %(name)s placeholders
    params: dict[str, Any] = field(default_factory=dict)
    email: str = ""
    enrolment_id: int | None = None
    lines: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        return gettext(self.message) % self.params if self.params else gettext(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.text, "email": self.email,
                "enrolment_id": self.enrolment_id, "lines": list(self.lines)}


@dataclass(frozen=True)
class EnrolmentMinutes:
    enrolment_id: int
    email: str
    minutes: int
    intervals: tuple[Interval, ...]  # merged and clipped to the session: what the register prints
    platform_identities: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"enrolment_id": self.enrolment_id, "email": self.email, "minutes": self.minutes,
                "intervals": [interval.as_dict() for interval in self.intervals],
                "platform_identity": ", ".join(self.platform_identities)}


@dataclass(frozen=True)
class UnmatchedAccount:
    email: str
    display_name: str
    platform_identity: str
    minutes: int
    intervals: tuple[Interval, ...]
    lines: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"email": self.email, "display_name": self.display_name, "platform_identity": self.platform_identity,
                "minutes": self.minutes, "intervals": [interval.as_dict() for interval in self.intervals],
                "lines": list(self.lines)}


@dataclass(frozen=True)
class OnlineAttendance:
    rows: tuple[EnrolmentMinutes, ...]  # one per enrolment given, in the order given (0 minutes if absent)
    unmatched: tuple[UnmatchedAccount, ...]
    anomalies: tuple[Anomaly, ...]

    @property
    def blocking(self) -> tuple[Anomaly, ...]:
        return tuple(anomaly for anomaly in self.anomalies if anomaly.severity == ERROR)

    @property
    def can_record(self) -> bool:
        return not self.blocking

    def as_dict(self) -> dict[str, Any]:
        return {"rows": [row.as_dict() for row in self.rows],
                "unmatched": [account.as_dict() for account in self.unmatched],
                "anomalies": [anomaly.as_dict() for anomaly in self.anomalies]}


def email_key(email: str) -> str:
    return (email or "").strip().lower()


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of intervals, sorted: overlapping or touching ones become one."""
    merged: list[Interval] = []
    for interval in sorted(intervals, key=lambda item: (item.start, item.end)):
        if merged and interval.start <= merged[-1].end:
            if interval.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, interval.end)
        else:
            merged.append(interval)
    return merged


def clip(interval: Interval, start: datetime, end: datetime) -> Interval | None:
    clipped = Interval(max(interval.start, start), min(interval.end, end))
    return clipped if clipped.start < clipped.end else None


@dataclass
class _Account:
    """One account's connections, as the computation goes."""

    rows: list[ReportRow]
    anomalies: list[Anomaly]
    intervals: tuple[Interval, ...] = ()
    minutes: int = 0
    inside: bool = False  # at least one connection overlaps the session


def _hhmm(instant: datetime) -> str:
    return format_time(instant)


def _account(rows: list[ReportRow], start: datetime, end: datetime, enrolment_id: int | None) -> _Account:
    account = _Account(rows, [])
    email = rows[0].email
    valid: list[tuple[ReportRow, Interval]] = []
    for row in rows:
        if row.left_at < row.joined_at:
            account.anomalies.append(Anomaly(
                "reversed_interval", ERROR,
                N_("Riga %(line)d: l'uscita (%(left)s) precede l'ingresso (%(joined)s)."),
                {"line": row.line, "left": _hhmm(row.left_at), "joined": _hhmm(row.joined_at)},
                email, enrolment_id, (row.line,)))
            continue
        interval = Interval(row.joined_at, row.left_at)
        if clip(interval, start, end) is None and interval.seconds > 0:
            account.anomalies.append(Anomaly(
                "outside_session", WARNING,
                N_("Riga %(line)d: collegamento dalle %(joined)s alle %(left)s, fuori dall'orario dell'incontro."),
                {"line": row.line, "joined": _hhmm(row.joined_at), "left": _hhmm(row.left_at)},
                email, enrolment_id, (row.line,)))
        valid.append((row, interval))
    valid.sort(key=lambda pair: pair[1].start)
    running: tuple[ReportRow, Interval] | None = None
    for row, interval in valid:
        if running is not None and interval.start < running[1].end - OVERLAP_TOLERANCE:
            overlap_end = min(interval.end, running[1].end)
            account.anomalies.append(Anomaly(
                "two_devices", WARNING,
                N_("Collegato da due dispositivi insieme dalle %(start)s alle %(end)s (righe %(first)d e %(second)d): "
                   "i minuti sono contati una volta sola."),
                {"start": _hhmm(interval.start), "end": _hhmm(overlap_end), "first": running[0].line,
                 "second": row.line},
                email, enrolment_id, (running[0].line, row.line)))
        if running is None or interval.end > running[1].end:
            running = (row, interval)
    clipped = [piece for _row, interval in valid if (piece := clip(interval, start, end)) is not None]
    merged = merge(clipped)
    account.inside = bool(merged)
    for before, after in pairwise(merged):
        if after.start - before.end > GAP_THRESHOLD:
            account.anomalies.append(Anomaly(
                "gap", WARNING,
                N_("Disconnesso dalle %(start)s alle %(end)s (%(minutes)d minuti)."),
                {"start": _hhmm(before.end), "end": _hhmm(after.start),
                 "minutes": int((after.start - before.end).total_seconds() // 60)},
                email, enrolment_id, tuple(row.line for row in rows)))
    seconds = sum(interval.seconds for interval in merged)
    reported = [row.reported_seconds for row, _interval in valid]
    if valid and all(value is not None for value in reported):
        reported_total = sum(value for value in reported if value is not None)
        span = sum(interval.seconds for interval in merge(interval for _row, interval in valid))
        if reported_total + DURATION_TOLERANCE.total_seconds() < span:
            # The platform says the person was connected for less than the span it reports (Meet gives
            # only the first join and last leave): the absences are not itemised, so the minutes
            # never exceed what the platform itself counted.
            account.anomalies.append(Anomaly(
                "undetailed_gap", WARNING,
                N_("La piattaforma indica %(reported)d minuti di collegamento su %(span)d tra primo ingresso e "
                   "ultima uscita: le assenze intermedie non sono dettagliate; contati al massimo %(reported)d "
                   "minuti."),
                {"reported": reported_total // 60, "span": span // 60},
                email, enrolment_id, tuple(row.line for row in rows)))
            seconds = min(seconds, reported_total)
    account.intervals = tuple(merged)
    account.minutes = seconds // 60
    return account


def compute_online_attendance(
    report: Sequence[ReportRow],
    *,
    session_start: datetime,
    session_end: datetime,
    enrolments: Sequence[EnrolmentContact],
) -> OnlineAttendance:
    """Minutes per enrolment, the accounts nobody matches and every anomaly (see the module notes)."""
    start, end = to_utc(session_start), to_utc(session_end)
    by_email: dict[str, list[EnrolmentContact]] = {}
    for enrolment in enrolments:
        key = email_key(enrolment.email)
        if key and all(other.enrolment_id != enrolment.enrolment_id for other in by_email.get(key, [])):
            by_email.setdefault(key, []).append(enrolment)

    groups: dict[str, list[ReportRow]] = {}
    for row in report:
        key = email_key(row.email) or "\x00" + (row.platform_identity or row.display_name or str(row.line))
        groups.setdefault(key, []).append(row)

    anomalies: list[Anomaly] = []
    matched: dict[int, tuple[_Account, str]] = {}
    unmatched: list[UnmatchedAccount] = []
    any_inside = False
    for key, rows in groups.items():
        candidates = by_email.get(key, [])
        enrolment_id = candidates[0].enrolment_id if len(candidates) == 1 else None
        account = _account(rows, start, end, enrolment_id)
        # Gaps or two devices of an account nobody is enrolled with would only be noise next to the
        # "unknown account" line; a reversed connection still shows the file is wrong.
        anomalies.extend(a for a in account.anomalies if enrolment_id is not None or a.severity == ERROR)
        any_inside = any_inside or account.inside
        lines = tuple(row.line for row in rows)
        if enrolment_id is not None:
            matched[enrolment_id] = (account, key)
            continue
        first = rows[0]
        if len(candidates) > 1:
            anomalies.append(Anomaly(
                "ambiguous_email", ERROR,
                N_("L'indirizzo %(email)s corrisponde a %(count)d iscrizioni: correggi gli indirizzi prima di "
                   "importare."),
                {"email": first.email, "count": len(candidates)}, first.email, None, lines))
        elif first.email:
            anomalies.append(Anomaly(
                "unknown_account", WARNING,
                N_("Account %(email)s (%(name)s) non corrisponde a nessuna iscrizione del corso."),
                {"email": first.email, "name": first.display_name or "-"}, first.email, None, lines))
        else:
            anomalies.append(Anomaly(
                "no_email", WARNING,
                N_("Collegamento di %(name)s senza indirizzo e-mail: non può essere abbinato a un'iscrizione."),
                {"name": first.display_name or first.platform_identity or "-"}, "", None, lines))
        unmatched.append(UnmatchedAccount(first.email, first.display_name, first.platform_identity,
                                          account.minutes, account.intervals, lines))

    if report and not any_inside:
        anomalies.append(Anomaly(
            "report_outside_session", ERROR,
            N_("Nessun collegamento del report cade nell'orario dell'incontro: è il report di un altro incontro?"),
        ))

    rows_out = []
    for enrolment in enrolments:
        found = matched.get(enrolment.enrolment_id)
        if found is None:
            rows_out.append(EnrolmentMinutes(enrolment.enrolment_id, email_key(enrolment.email), 0, ()))
            continue
        account, key = found
        identities = tuple(dict.fromkeys(row.platform_identity for row in account.rows if row.platform_identity))
        rows_out.append(EnrolmentMinutes(enrolment.enrolment_id, key, account.minutes, account.intervals, identities))
    return OnlineAttendance(tuple(rows_out), tuple(unmatched), tuple(anomalies))
