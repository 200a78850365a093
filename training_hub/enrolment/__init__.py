"""Enrolment: who may enrol whom, the decisions on seats that never overbook, and what pages show.

* :mod:`.eligibility` — the rules that only read: who may enrol or cancel for whom, opening,
  eligibility, overlaps, until when a seat may be given back, who decides on requests;
* :mod:`.actions` — enrol, cancel, approve, reject, change the seats, release a deactivated person's
  enrolments (connected to ``core.events.person_deactivated`` in ``training_hub/hooks.py``);
* :mod:`.lists` — participants, one's own enrolments, a cooperative's, a tutor's people, requests;
* :mod:`.needs` — accessibility needs (special-category data);
* :mod:`.panel` — the course page's panel and the confirmation pages' previews.

Seats, the course lock and the waiting list are the seats feature's (``training_hub.seats``), below
the catalogue; this feature sits above the catalogue and reads its access rules.
"""
