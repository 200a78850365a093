"""Attendance: roll calls, self check-in, progress, registers, certificates and training records.

One module per aggregate, each saying which rules it keeps and why:

* :mod:`.rules` — the pure arithmetic and decisions (minutes, windows, codes, progress, who takes
  attendance), tested without a database;
* :mod:`.access` — loading a course or a session and :func:`~.access.can_take_attendance`, the one
  answer the routes enforce and the pages show (``can_take_attendance`` in the templates);
* :mod:`.recording` — the trainer's roll call, "all present", audited corrections;
* :mod:`.check_in` — the code on the trainer's screen and the participant's check-in and out;
* :mod:`.progress` — each participant's hours against the threshold;
* :mod:`.registers`, :mod:`.certificates`, :mod:`.records` — the register's data, certificates and
  their public check, a person's training record and a cooperative's overview;
* :mod:`.documents` — rendering them as PDF, CSV and XLSX.
"""
