"""Seats: the course lock, the seat counts, the capacity and the waiting list — one home for each.

A layer below the catalogue and the enrolment (it imports only ``core`` and ``notifications``), so
both decide on seats the same way and neither has to import the other to do it:

* :mod:`.locking` — ``lock_course`` (the lock every seat decision and every course change takes
  first) and the locking note: read it before changing anything that decides on seats;
* :mod:`.state` — the one way seats are counted (``seat_state``, ``seat_columns``, ``count_sql``)
  and waiting-list positions;
* :mod:`.facts` — ``CourseFacts``: what the rules of every feature need to know about one course,
  read once per request and passed down;
* :mod:`.capacity` — the one capacity change (its limits, its message, its audit event);
* :mod:`.waitlist` — ``promote_waitlist``: a freed seat goes to the first in line at once.
"""
