"""The arithmetic of attendance, as pure functions over plain values (no database, no request).

Decisions, in one place:

* **Minutes.** ``present`` counts the whole session (``minutes_between(starts_at, ends_at)``, so a
  lesson across a DST change counts the hours that really passed); ``absent`` and ``excused`` count 0
  (an excused absence is shown as such, but gives no hours). ``late`` and ``left_early`` count from
  the arrival and departure instants clipped to the session; when neither instant is known, the
  minutes entered directly, clipped to ``[0, session length]``. Instants win over typed minutes,
  because the minutes are derived from them.
* **Recording window.** From 15 minutes before the start until 7 days after the end, trainers of the
  course and admins record; after that only admins, giving a reason (an audited correction).
* **Self check-in.** Open from 15 minutes before the start until 30 minutes after the end. Arriving
  more than 10 minutes after the start makes the person ``late``; leaving more than 10 minutes before
  the end makes them ``left_early`` (a late arrival stays ``late``, its minutes still counting both
  instants). The code shown by the trainer changes every minute and is accepted for
  ``CHECK_IN_GRACE_MINUTES`` minutes after the minute it was shown in. After
  ``CHECK_IN_MAX_WRONG_CODES`` wrong codes for one session a person can no longer check in to it
  (the trainer records them): six digits could otherwise be guessed from home.
* **Who takes attendance.** DESIGN: trainers take attendance and issue registers; coordinators follow
  their cooperative's hours. Whoever teaches a course (one of its trainers, or the trainer of one of
  its scheduled sessions) takes its attendance, provided they may teach it: a trainer, or a
  coordinator teaching her own cooperative's internal course — the only course the catalogue lets a
  coordinator teach, and there she *is* its trainer. Admins always may. A coordinator who only
  manages her cooperative's course (without teaching it) follows its participants' progress but
  takes no roll call and gets no register: that stays with whoever teaches it.
* **Progress.** ``scheduled`` is the length of every non-cancelled session; ``remaining`` the length
  of the sessions that have not ended yet and hold no record for the person. The certificate is due
  when the course is over (its last session has ended, or it is marked completed) and
  ``attended >= threshold % of scheduled`` — reaching the threshold exactly counts. A person is
  *at risk* when the threshold can no longer be reached (``attended + remaining`` falls short), or
  when the attendance so far is below the threshold share of the hours already held.
"""

from __future__ import annotations

import hmac
import math
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from training_hub.core.i18n import N_, gettext, ngettext
from training_hub.core.security import sign
from training_hub.core.tables import AttendanceStatus, Role
from training_hub.core.timeutil import minutes_between, rome_wall_clock, to_rome, to_utc

RECORDING_OPENS_BEFORE = timedelta(minutes=15)
RECORDING_CLOSES_AFTER = timedelta(days=7)
CHECK_IN_OPENS_BEFORE = timedelta(minutes=15)
CHECK_IN_CLOSES_AFTER = timedelta(minutes=30)
LATE_AFTER = timedelta(minutes=10)
EARLY_BEFORE = timedelta(minutes=10)
CHECK_IN_GRACE_MINUTES = 5
CHECK_IN_MAX_WRONG_CODES = 10
CHECK_IN_TOKEN_LENGTH = 24

STATUSES = [status.value for status in AttendanceStatus]
STATUS_LABELS = {
    AttendanceStatus.PRESENT.value: N_("Presente"),
    AttendanceStatus.LATE.value: N_("In ritardo"),
    AttendanceStatus.LEFT_EARLY.value: N_("Uscita anticipata"),
    AttendanceStatus.ABSENT.value: N_("Assente"),
    AttendanceStatus.EXCUSED.value: N_("Assente giustificato"),
}
NOT_RECORDED_LABEL = N_("Non rilevato")
# Statuses whose minutes come from the arrival and departure times (or are typed in).
PARTIAL_STATUSES = frozenset({AttendanceStatus.LATE.value, AttendanceStatus.LEFT_EARLY.value})
ZERO_STATUSES = frozenset({AttendanceStatus.ABSENT.value, AttendanceStatus.EXCUSED.value})

# Certificate verification codes: no 0/O, 1/I/L, so a code read aloud or typed is not mistaken.
CERTIFICATE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CERTIFICATE_CODE_LENGTH = 10


def status_label(status: str | None) -> str:
    return gettext(STATUS_LABELS.get(status or "", NOT_RECORDED_LABEL))


def may_take_attendance(
    roles: frozenset[str], cooperative_id: int | None, *, teaches: bool, path_owner_cooperative_id: int | None
) -> bool:
    """Record a course's attendance, show its check-in code, download its registers (see the notes)."""
    if Role.ADMIN in roles:
        return True
    if not teaches:
        return False
    if Role.TRAINER in roles:
        return True
    return (
        Role.COORDINATOR in roles
        and cooperative_id is not None
        and path_owner_cooperative_id == cooperative_id
    )


# Minutes -----------------------------------------------------------------------------------------


def session_minutes(starts_at: datetime, ends_at: datetime) -> int:
    return max(0, minutes_between(starts_at, ends_at))


def attended_minutes(
    status: str,
    starts_at: datetime,
    ends_at: datetime,
    *,
    arrived_at: datetime | None = None,
    left_at: datetime | None = None,
    minutes: int | None = None,
) -> int:
    """Minutes a person attended one session (see the module notes)."""
    length = session_minutes(starts_at, ends_at)
    if status in ZERO_STATUSES:
        return 0
    if status == AttendanceStatus.PRESENT.value:
        return length
    if status not in PARTIAL_STATUSES:
        raise ValueError(f"unknown attendance status {status!r}")
    if arrived_at is not None or left_at is not None:
        start = max(to_utc(starts_at), to_utc(arrived_at)) if arrived_at is not None else to_utc(starts_at)
        end = min(to_utc(ends_at), to_utc(left_at)) if left_at is not None else to_utc(ends_at)
        return max(0, min(length, minutes_between(start, end)))
    if minutes is not None:
        return max(0, min(length, int(minutes)))
    raise ValueError("late or left_early without times or minutes")


def recording_state(starts_at: datetime, ends_at: datetime, now: datetime) -> str:
    """``not_open`` (too early), ``open``, or ``closed`` (corrections by admins only)."""
    now = to_utc(now)
    if now < to_utc(starts_at) - RECORDING_OPENS_BEFORE:
        return "not_open"
    if now > to_utc(ends_at) + RECORDING_CLOSES_AFTER:
        return "closed"
    return "open"


def check_in_window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    return to_utc(starts_at) - CHECK_IN_OPENS_BEFORE, to_utc(ends_at) + CHECK_IN_CLOSES_AFTER


def check_in_status(starts_at: datetime, arrived_at: datetime) -> str:
    late = to_utc(arrived_at) > to_utc(starts_at) + LATE_AFTER
    return AttendanceStatus.LATE.value if late else AttendanceStatus.PRESENT.value


def check_out_status(current: str, ends_at: datetime, left_at: datetime) -> str:
    if current == AttendanceStatus.LATE.value:
        return current
    early = to_utc(left_at) < to_utc(ends_at) - EARLY_BEFORE
    return AttendanceStatus.LEFT_EARLY.value if early else AttendanceStatus.PRESENT.value


# Progress ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    scheduled_minutes: int
    attended_minutes: int
    remaining_minutes: int
    threshold: int
    finished: bool
    percent: float  # attended over scheduled, rounded down to one decimal (never shows 70 for 69.99)
    eligible: bool
    at_risk: bool
    reachable: bool

    @property
    def reached(self) -> bool:
        """The threshold is met (exactly met counts), whether or not the course is over."""
        return self.scheduled_minutes > 0 and self.attended_minutes * 100 >= self.threshold * self.scheduled_minutes

    @property
    def required_minutes(self) -> int:
        return -(-self.threshold * self.scheduled_minutes // 100)

    @property
    def missing_minutes(self) -> int:
        return max(0, self.required_minutes - self.attended_minutes)


def compute_progress(
    scheduled_minutes: int,
    attended_minutes: int,
    remaining_minutes: int,
    threshold: int,
    *,
    finished: bool | None = None,
) -> Progress:
    """Where one enrolment stands; ``finished`` defaults to "nothing remains to be held"."""
    scheduled = max(0, int(scheduled_minutes))
    attended = max(0, min(int(attended_minutes), scheduled)) if scheduled else 0
    remaining = max(0, min(int(remaining_minutes), scheduled - attended)) if scheduled else 0
    threshold = max(0, min(100, int(threshold)))
    done = remaining == 0 if finished is None else bool(finished)
    if scheduled == 0:
        return Progress(0, 0, 0, threshold, done, 0.0, False, False, True)
    percent = math.floor(attended * 1000 / scheduled) / 10
    meets = attended * 100 >= threshold * scheduled
    reachable = (attended + remaining) * 100 >= threshold * scheduled
    held = scheduled - remaining
    behind = held > 0 and attended * 100 < threshold * held
    at_risk = not meets and (not reachable or behind)
    return Progress(scheduled, attended, remaining, threshold, done, percent, meets and done, at_risk, reachable)


def describe_duration(minutes: int) -> str:
    """3 ore e 30 minuti, 1 ora, 45 minuti (in the current language)."""
    hours, rest = divmod(max(0, int(minutes)), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)d ora", "%(num)d ore", hours) % {"num": hours})
    if rest or not hours:
        parts.append(ngettext("%(num)d minuto", "%(num)d minuti", rest) % {"num": rest})
    return gettext(" e ").join(parts) if len(parts) > 1 else parts[0]


# Check-in codes ----------------------------------------------------------------------------------


def minute_of(instant: datetime) -> int:
    return int(to_utc(instant).timestamp() // 60)


def check_in_codes(session_id: int, minute: int) -> tuple[str, str]:
    """The QR token and the six-digit fallback for a session in one minute (HMAC with the secret key)."""
    mac = sign(f"{session_id}:{minute}", purpose="check-in")
    return mac[:CHECK_IN_TOKEN_LENGTH], f"{int(mac[:8], 16) % 10**6:06d}"


_CODE_NOISE = re.compile(r"[\s\-.]")


def normalise_check_in_code(code: str) -> str:
    """NFKC first, so the full-width digits of some phone keyboards (``１２３４５６``) read as ``123456``;
    whatever is still not ASCII after that cannot be a code (a wrong code, never an error)."""
    return _CODE_NOISE.sub("", unicodedata.normalize("NFKC", code or "")).lower()


def is_check_in_token(candidate: str) -> bool:
    """Shaped like the QR code's token (not the six digits), whether valid or not."""
    return len(candidate) == CHECK_IN_TOKEN_LENGTH and all(c in "0123456789abcdef" for c in candidate)


def check_in_code_valid(session_id: int, code: str, now: datetime) -> bool:
    """True when ``code`` (QR token or six digits) was shown for this session in the last minutes."""
    candidate = normalise_check_in_code(code)
    if not candidate or len(candidate) > 64 or not candidate.isascii():
        return False  # hmac.compare_digest refuses non-ASCII str: such a code is simply wrong
    current = minute_of(now)
    valid = False
    for minute in range(current - CHECK_IN_GRACE_MINUTES, current + 1):
        token, digits = check_in_codes(session_id, minute)
        # Compare against every candidate, without stopping early.
        valid |= hmac.compare_digest(candidate, token) | hmac.compare_digest(candidate, digits)
    return valid


def new_certificate_code() -> str:
    return "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(CERTIFICATE_CODE_LENGTH))


def normalise_certificate_code(code: str) -> str:
    return _CODE_NOISE.sub("", code or "").upper()


def initials(full_name: str) -> str:
    """Only what the public verification page may show: "Marco Bianchi" → "M. B."."""
    letters = [part[0].upper() for part in re.split(r"[\s'’-]+", full_name or "") if part and part[0].isalpha()]
    return " ".join(f"{letter}." for letter in letters)


def clock_during_session(clock: time, starts_at: datetime, ends_at: datetime) -> datetime:
    """The instant a typed ``HH:MM`` means for a session (UTC).

    A session across midnight (22:00–01:00) spans two Rome days: 00:30 is on the second. On the
    fall-back night 02:30 happens twice. Every reading of the clock on the session's days is a
    candidate; the one inside the session, or nearest to it, wins (the earlier of two equally good).
    """
    start, end = to_utc(starts_at), to_utc(ends_at)
    candidates = set()
    for day in {to_rome(start).date(), to_rome(end).date()}:
        first = rome_wall_clock(day, clock)
        candidates.add(first.astimezone(UTC))
        second = first.replace(fold=1)
        if second.utcoffset() != first.utcoffset():  # the repeated hour: the second reading too
            candidates.add(second.astimezone(UTC))

    def distance(instant: datetime) -> timedelta:
        if start <= instant <= end:
            return timedelta(0)
        return min(abs(instant - start), abs(instant - end))

    return min(candidates, key=lambda instant: (distance(instant), instant))


def same_wall_clock_minute(first: datetime, second: datetime) -> bool:
    """Whether two instants read the same on a Rome clock, to the minute (the two 02:30s of the
    fall-back night do)."""
    return to_rome(first).replace(second=0, microsecond=0, fold=0, tzinfo=None) == to_rome(second).replace(
        second=0, microsecond=0, fold=0, tzinfo=None)
