"""Funded plans (Fon.Coop, Fondimpresa and the like) and the online attendance evidence they accept.

The modules here are pure rules over plain data: reading videoconference reports
(``online_reports``), turning them into minutes per enrolment (``online_minutes``), the schedule
change notice (``short_notice``), the closing report (``closing``), the funds' participant layouts
(``layouts``) and the checks before sending (``checks``). Tables, services and pages build on them:
``tables`` (plans, actions, participants' fund data, schedule changes, online connections, frozen
submissions), ``plans`` (plans and actions, who sees them), ``participants`` (the fund data forms),
``figures`` (a plan read once: checks and closing report), ``exports`` (the fund's files and the frozen
submissions), ``registers`` (the registers a fund accepts), ``schedule`` (the change log, fed by the
``session_rescheduled`` hook) and ``online`` (importing a videoconference's report).
"""
