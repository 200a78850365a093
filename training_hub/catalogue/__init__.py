"""Catalogue and scheduling: training paths, courses (editions), sessions, locations.

What other features import from :mod:`training_hub.catalogue.service`:

* visibility — ``visible_courses_sql(user, path_alias=None)`` (SQL fragment on ``"course"``) and
  ``visible_courses_condition(user)`` (the same rule as a Piccolo ``where``), ``load_course_access(id)``
  → ``CourseAccess``, ``can_view_course(user, access, enrolled=False)``, ``get_viewable_course(user, id)``
  (404 when hidden);
* management — ``can_manage_course(user, access)``, ``get_manageable_course(user, id)`` (404/403) and
  ``get_manageable_course_detail(user, id)`` (the same answers, with the detail),
  ``is_course_trainer(person_id, course_id)``, ``managed_courses_condition(user)``;
* reading — ``get_course_detail(user, id)`` (course, sessions, seats, trainers; the online link only for
  confirmed participants, trainers, managers and admins), ``enrolment_counts(ids)``; who is eligible
  for a course is decided by the enrolment feature (``enrolment.access.eligibility_refusal``);
* scheduling — ``create_session``, ``create_series``, ``update_session`` (= ``move_session``),
  ``cancel_session``, ``check_sessions`` / ``check_session_change`` (dry runs returning ``Issue`` lists),
  ``recompute_course_dates(course_id)``; ``scheduling.check_schedule`` is the pure check;
* raising the capacity calls ``enrolment.service.promote_waitlist`` inside the same locked transaction.

Templates: ``catalogue/course.html`` includes ``enrolment/_course_panel.html`` (else a default text) and,
for trainers and managers, ``attendance/_course_panel.html``; both receive ``course``, ``sessions``,
``user``, ``is_trainer``, ``can_manage``, ``calendar_url``.
"""
