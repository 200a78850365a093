"""The refreshers falling due, as the training year (planning, issue 19) reads them.

:func:`refreshers_due` answers, for one cooperative or for all of them, the refreshers that fall due
within ``months`` of ``today`` and those already overdue (still within the 10 years that keep the
credit), grouped by cooperative and course type: how many people, who, how many hours each still owes
(the most any of them does) and the earliest due date. The rules are
:func:`training_hub.safety.due.refresher_needs`; the inputs are read as the tracker reads them
(:mod:`.inputs`: roles, attestati obtained elsewhere, courses completed here with their attestato).

A missing first course is not a refresher and is left to the tracker's lists. No permission check:
this is a service for other services (planning decides who sees its figures); no names, only ids.
"""

from __future__ import annotations

from datetime import date

from training_hub.core.timeutil import rome_day_bounds, utcnow
from training_hub.safety.due import RefresherNeed, refresher_needs
from training_hub.safety.inputs import EVERYONE, cooperative_scope, iter_inputs, load_inputs
from training_hub.safety.status import current_policy, person_rows

__all__ = ["RefresherNeed", "refreshers_due"]


async def refreshers_due(cooperative_id: int | None, today: date, months: int = 12) -> list[RefresherNeed]:
    """The refreshers due in the next ``months`` months (and the overdue ones) of one cooperative
    (``None``: every cooperative), sorted by cooperative then earliest due date.

    Each :class:`~training_hub.safety.due.RefresherNeed` carries ``cooperative_id``, ``course_type`` (a
    ``safety/course_types.py`` code), ``people`` (how many; ``person_ids`` who), ``hours`` (each), the
    number ``overdue`` and ``earliest_due_on``. Three statements for one cooperative; for all of them,
    one more and three per two thousand people.
    """
    # Courses that ended by the end of ``today`` count (an attestato is dated at the course's end).
    now = min(utcnow(), rome_day_bounds(today)[1])
    scope = cooperative_scope(cooperative_id) if cooperative_id is not None else EVERYONE
    policy = current_policy()
    if cooperative_id is not None:
        people = await load_inputs(scope, today=today, now=now)
    else:  # every cooperative: a few thousand people at a time (inputs.iter_inputs)
        people = [person async for chunk in iter_inputs(scope, today=today, now=now) for person in chunk]
    rows = [row for person in people for row in person_rows(person, today, policy)]
    return refresher_needs(rows, today, months)
