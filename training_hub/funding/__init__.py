"""Funded plans (Fon.Coop, Fondimpresa and the like) and the online attendance evidence they accept.

The modules here are pure rules over plain data: reading videoconference reports
(``online_reports``), turning them into minutes per enrolment (``online_minutes``), the schedule
change notice (``short_notice``), the closing report (``closing``), the funds' participant layouts
(``layouts``) and the checks before sending (``checks``). Tables, services and pages build on them.
"""
