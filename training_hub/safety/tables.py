"""The tables of the refresh tracker (scadenzario): the safety roles people hold and the attestati
obtained elsewhere.

Courses completed here count through their attestato (``safety/attestati.py``); these tables hold what
only the office or a coordinator knows. Neither is special-category data: a role and a training record
are what the employer must show an inspector (art. 37 c. 14-bis D.Lgs. 81/2008, the libretto formativo).
"""

from __future__ import annotations

from piccolo.columns import Bytea, Date, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from training_hub.core.tables import Person


class SafetyRole(Table):
    """A role a person holds (safety/roles.py ROLES), with the level or group where the role has one and
    the date appointed. One row per person and role; the whole list is replaced at once."""

    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=20)
    # antincendio "1"/"2"/"3", primo soccorso "a"/"bc" (roles.LEVELS); null for the other roles.
    level = Varchar(length=2, null=True, default=None)
    since = Date()
    recorded_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    recorded_at = Timestamptz(default=TimestamptzNow())


class ExternalTraining(Table):
    """An attestato obtained elsewhere, entered by the office (trainings.check_external_training)."""

    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    # A safety/course_types.py code.
    course_type = Varchar(length=40)
    # The end date printed on the attestato: the refresh clock starts there.
    completed_on = Date()
    # Whole minutes, as everywhere else (the API speaks hours).
    minutes = Integer()
    provider = Varchar(length=200, default="")
    certificate_number = Varchar(length=60, default="")
    # The scanned attestato, optional (a PDF of at most a few megabytes).
    scan = Bytea(null=True, default=None)
    scan_filename = Varchar(length=200, default="")
    recorded_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    recorded_at = Timestamptz(default=TimestamptzNow())


class SafetyReminder(Table):
    """A reminder of a refresher's due date sent (``safety/reminders.py``): one row per person,
    requirement, due date and stage (90 or 30 days before, or the day itself; unique index in a raw
    migration), claimed before the messages are queued so that two runs send it once."""

    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    # A requirement code of safety/due.py REQUIREMENTS.
    requirement = Varchar(length=40)
    due_on = Date()
    # Days before the due date: "90", "30", "0".
    stage = Varchar(length=4)
    sent_at = Timestamptz(default=TimestamptzNow())
