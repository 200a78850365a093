"""Catalogue and scheduling: training paths, courses (editions), sessions, locations.

One module per aggregate; what other features import:

* :mod:`.access` — who sees a course (``visible_courses_sql`` / ``visible_courses_condition`` for
  lists, ``can_view_course`` and ``get_viewable_course`` — 404 when hidden — for one), who manages it
  (``can_manage_course``, ``get_manageable_course``, ``managed_courses_condition``) and who teaches it
  (``teaches`` on the facts, ``is_course_trainer`` in the database). They read
  ``seats.facts.CourseFacts``, the course as loaded once per request;
* :mod:`.courses` — ``course_view`` / ``get_course_detail`` (course, sessions, seats, trainers; the
  online link only for confirmed participants, trainers, managers and admins) and the course's writes
  and lifecycle (create, update, publish, cancel, complete, delete a draft, copy);
* :mod:`.sessions` — ``create_session``, ``create_series``, ``update_session`` (= ``move_session``),
  ``cancel_session``, ``check_sessions`` / ``check_session_change`` (dry runs returning ``Issue`` lists),
  ``recompute_course_dates``; :mod:`.scheduling` is the pure check, :mod:`.holidays` the calendar;
* :mod:`.listing` — the catalogue's query and its cache, and the managers' list;
* :mod:`.paths`, :mod:`.locations` — training paths (and who may own one) and places;
* :mod:`.course_rows` — the SQL and the dictionaries a course and a session are shown with.

Seats (capacity, the waiting list, the course lock) are the seats feature's, below this one; who is
eligible for a course is the enrolment's (``enrolment.eligibility``).

Templates: ``catalogue/course.html`` includes ``enrolment/_course_panel.html`` (else a default text) and,
for trainers and managers, ``attendance/_course_panel.html``; both receive ``course``, ``sessions``,
``user``, ``is_trainer``, ``can_manage``, ``calendar_url``.
"""
