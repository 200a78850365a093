"""Reports: the dashboards of the training office, of a cooperative and of a trainer, their exports,
and the consortium's activity report (the office's and the public one).

* :mod:`.period` — the period a report covers, and how it is typed;
* :mod:`.scope` — whose figures, and who may open which report (the pages show what it decided);
* :mod:`.queries` — every figure as one aggregated SQL statement, with the definitions;
* :mod:`.tables` — those rows as titled tables with typed columns, the same for every output;
* :mod:`.dashboards` — the three dashboards; :mod:`.activity` — the activity reports;
* :mod:`.present`, :mod:`.pdf` — CSV, XLSX, charts and PDF; :mod:`.web` — what pages and API share.
"""
