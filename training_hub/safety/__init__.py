"""Safety training under D.Lgs. 81/2008 and the Accordo Stato-Regioni 17/04/2025.

* :mod:`.course_types` — the course types, reference data with their sources (imports only ``core``:
  catalogue and attendance may import it, the one exception to the layers);
* :mod:`.roles` — safety roles with level or group, risk class from ATECO, checks on a role entered;
* :mod:`.trainings` — a completed training (end date on the attestato, hours), checks on one entered;
* :mod:`.due` — the refresh tracker's rules: status per person and requirement, refreshers falling due;
* :mod:`.schemas`, :mod:`.api` — ``GET /api/safety/course-types``.
"""
