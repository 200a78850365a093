"""Inclusion pathways (L. 381/1991 art. 4; tirocini di inclusione, DGR Lombardia X/5451/2016): a restricted
record of a person's pathway, special-category data (GDPR art. 9; convictions, art. 10) kept apart.

* :mod:`.rules` — pure: types, L. 381/1991 art. 4 categories, durations with their sources and the month
  arithmetic, review and outcome codes, groups of at least five;
* :mod:`.tables` — the feature's own tables (pathway, objectives, reviews, outcomes per objective,
  competences), read only through :mod:`.access`;
* :mod:`.access` — the one access function every route uses (404 for anyone not allowed) and the audit;
* :mod:`.records` — create, correct, read and list a pathway; :mod:`.training` — the courses attended
  during it, from the first wave's tables;
* :mod:`.reviews` — periodic reviews and the overdue-review reminder; :mod:`.outcomes` — competences and
  outcome; :mod:`.documents` — the PDFs; :mod:`.aggregates` — counts for the office;
* :mod:`.schemas`, :mod:`.api`, :mod:`.pages` — HTTP; :mod:`.demo_data` — the demo tutor's two pathways.
"""
