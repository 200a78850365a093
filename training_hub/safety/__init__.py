"""Safety training under D.Lgs. 81/2008 and the Accordo Stato-Regioni 17/04/2025.

* :mod:`.course_types` — the course types, reference data with their sources (imports only ``core``:
  catalogue and attendance may import it, the one exception to the layers);
* :mod:`.roles` — safety roles with level or group, risk class from ATECO, checks on a role entered;
* :mod:`.trainings` — a completed training (end date on the attestato, hours), checks on one entered;
* :mod:`.due` — the refresh tracker's rules: status per person and requirement, refreshers falling due;
* :mod:`.inputs` — reading roles, external attestati and the courses held here (attestato: attendance
  AND final test) for a person, a cooperative, a page or everyone, in three statements;
* :mod:`.status` — the tracker as people read it: a person's, a cooperative's and the office's lists,
  with the next edition to enrol in; :mod:`.status_export` — the same rows as XLSX;
* :mod:`.needs` — ``refreshers_due()``, the refreshers falling due, for the training year;
* :mod:`.reminders` — e-mails 90 and 30 days before a due date and on the day, once each (hourly job);
* :mod:`.due_events` — the due dates as all-day events of the personal calendar feed (hooks);
* :mod:`.schemas`, :mod:`.api` — ``GET /api/safety/course-types``, ``GET /api/people/{id}/safety-status``,
  ``GET /api/cooperatives/{id}/safety-status``.
"""
