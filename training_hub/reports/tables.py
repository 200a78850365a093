"""Report tables: the aggregated rows of :mod:`.queries` turned into titled tables with typed columns.

Every output — the page, the CSV and XLSX exports, the PDF, the API — is built from these
:class:`ReportTable` rows, so they cannot disagree. Rules kept here, and why:

* Rates are divided here from two totals the database summed (``rate``): never an average of rates.
* Every month of the period, every path kind, every province and area has its row even when empty,
  so a gap shows as a zero and not as a missing line.
* Survey averages come from (count, sum) pairs of the questions rated by at least 5 people in closed
  surveys (``queries``), and are shown only for those (see :mod:`training_hub.surveys.results`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from training_hub.core.i18n import N_
from training_hub.core.tables import Area, PathKind, Province, SurveyStatus
from training_hub.reports.period import Period
from training_hub.reports.scope import Scope
from training_hub.surveys.questions import SHORT_LABELS


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # an Italian msgid
    kind: str = "text"  # text, int, minutes, percent, rating, date, month, path_kind, province, area


@dataclass
class ReportTable:
    key: str
    title: str  # msgid
    columns: list[Column]
    rows: list[dict[str, Any]]
    chart: tuple[str, str] | None = None  # (label column, value column)
    note: str | None = None  # msgid
    link: str | None = None  # a column whose row has ``<column>_href``


@dataclass
class Report:
    view: str
    period: Period
    scope: Scope
    summary: dict[str, Any] = field(default_factory=dict)
    tables: list[ReportTable] = field(default_factory=list)

    def table(self, key: str) -> ReportTable:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def rate(part: float | None, whole: float | None) -> float | None:
    if not whole:
        return None
    return (part or 0) / whole


def _by(rows: list[dict[str, Any]], dim: str) -> dict[str, dict[str, Any]]:
    return {str(row["key"]): row for row in rows if row["dim"] == dim}


def _total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    for row in rows:
        if row["dim"] == "total":
            return row
    return {}


_EMPTY_SESS = {"courses": 0, "sessions": 0, "delivered_minutes": 0}
_EMPTY_PM = {"participants": 0, "enrolments": 0, "scheduled_minutes": 0, "attended_minutes": 0}


def _participant_figures(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    figures = {key: int(row.get(key) or 0) for key in _EMPTY_PM}
    figures["attendance_rate"] = rate(figures["attended_minutes"], figures["scheduled_minutes"])
    return figures


def _completion_figures(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    cohort = int(row.get("cohort") or 0)
    completed, dropped = int(row.get("completed") or 0), int(row.get("dropped") or 0)
    return {"cohort": cohort, "completed": completed, "dropped": dropped,
            "completion_rate": rate(completed, cohort), "dropout_rate": rate(dropped, cohort)}


def monthly_table(period: Period, sess: list[dict[str, Any]], pm: list[dict[str, Any]]) -> ReportTable:
    by_sess, by_pm = _by(sess, "month"), _by(pm, "month")
    rows = []
    for label, _start, _end in period.months():
        row = {"month": label, **_EMPTY_SESS, **{k: int(v) for k, v in by_sess.get(label, {}).items()
                                                   if k in _EMPTY_SESS}}
        row.update(_participant_figures(by_pm.get(label)))
        rows.append(row)
    return ReportTable(
        "monthly", N_("Ore di formazione per mese"),
        [Column("month", N_("Mese"), "month"), Column("courses", N_("Corsi"), "int"),
         Column("sessions", N_("Incontri"), "int"), Column("delivered_minutes", N_("Ore erogate"), "minutes"),
         Column("participants", N_("Partecipanti"), "int"),
         Column("attended_minutes", N_("Ore di presenza"), "minutes")],
        rows, chart=("month", "delivered_minutes"),
    )


def kind_table(sess: list[dict[str, Any]], pm: list[dict[str, Any]], done: list[dict[str, Any]]) -> ReportTable:
    by_sess, by_pm, by_done = _by(sess, "kind"), _by(pm, "kind"), _by(done, "kind")
    rows = []
    for kind in PathKind:
        row = {"kind": kind.value, **_EMPTY_SESS,
               **{k: int(v) for k, v in by_sess.get(kind.value, {}).items() if k in _EMPTY_SESS}}
        row.update(_participant_figures(by_pm.get(kind.value)))
        row.update(_completion_figures(by_done.get(kind.value)))
        rows.append(row)
    return ReportTable(
        "by_kind", N_("Per tipo di percorso"),
        [Column("kind", N_("Tipo di percorso"), "path_kind"), Column("courses", N_("Corsi"), "int"),
         Column("sessions", N_("Incontri"), "int"), Column("delivered_minutes", N_("Ore erogate"), "minutes"),
         Column("participants", N_("Partecipanti"), "int"),
         Column("attended_minutes", N_("Ore di presenza"), "minutes"),
         Column("completion_rate", N_("Completamento"), "percent"),
         Column("dropout_rate", N_("Abbandono"), "percent")],
        rows, chart=("kind", "delivered_minutes"),
    )


_GROUP_COLUMNS = [
    Column("participants", N_("Partecipanti"), "int"),
    Column("scheduled_minutes", N_("Ore previste"), "minutes"),
    Column("attended_minutes", N_("Ore di presenza"), "minutes"),
    Column("attendance_rate", N_("Presenza"), "percent"),
]


def province_table(pm: list[dict[str, Any]]) -> ReportTable:
    by_pm = _by(pm, "province")
    keys = [p.value for p in Province] + ([""] if "" in by_pm else [])
    rows = [{"province": key, **_participant_figures(by_pm.get(key))} for key in keys]
    return ReportTable("by_province", N_("Partecipanti per provincia"),
                       [Column("province", N_("Provincia"), "province"), *_GROUP_COLUMNS],
                       rows, chart=("province", "participants"),
                       note=N_("La provincia è quella della cooperativa del partecipante."))


def area_table(pm: list[dict[str, Any]]) -> ReportTable:
    by_pm = _by(pm, "area")
    keys = [a.value for a in Area] + ([""] if "" in by_pm else [])
    rows = [{"area": key, **_participant_figures(by_pm.get(key))} for key in keys]
    return ReportTable("by_area", N_("Partecipanti per area di lavoro"),
                       [Column("area", N_("Area"), "area"), *_GROUP_COLUMNS],
                       rows, chart=("area", "participants"))


def cooperative_table(pm: list[dict[str, Any]]) -> ReportTable:
    rows = sorted(
        ({"cooperative": row["label"] or "", "cooperative_id": int(row["key"]) if row["key"] else None,
          **_participant_figures(row)} for row in pm if row["dim"] == "cooperative"),
        key=lambda row: (row["cooperative"] == "", row["cooperative"].lower()),
    )
    return ReportTable("by_cooperative", N_("Per cooperativa"),
                       [Column("cooperative", N_("Cooperativa")), *_GROUP_COLUMNS],
                       rows, chart=("cooperative", "attended_minutes"))


def waiting_table(rows: list[dict[str, Any]], *, scoped: bool) -> ReportTable:
    columns = [Column("title", N_("Corso")), Column("starts_at", N_("Inizio"), "date"),
               Column("capacity", N_("Posti"), "int"), Column("confirmed", N_("Confermati"), "int"),
               Column("waitlisted", N_("In attesa"), "int")]
    if scoped:
        columns.append(Column("waitlisted_in_scope", N_("In attesa (vostre persone)"), "int"))
    out = [{"title": row["title"], "course_id": row["id"], "starts_at": row["starts_at"],
            "capacity": int(row["capacity"]), "confirmed": int(row["confirmed"]),
            "waitlisted": int(row["waitlisted"]), "waitlisted_in_scope": int(row["waitlisted_in_scope"])}
           for row in rows]
    return ReportTable("waiting_lists", N_("Liste d'attesa: corsi al completo con persone in attesa"),
                       columns, out, note=N_("Corsi pubblicati che iniziano nel periodo."))


def _averages(rows: list[dict[str, Any]], key_name: str, key: Any, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Average per rating question, from (count, sum) rows already aggregated by the database."""
    out: dict[str, Any] = {}
    for question in questions:
        match = next((row for row in rows if row[key_name] == key and int(row["question"]) == question["id"]), None)
        out[f"q_{question['code']}"] = (int(match["total"]) / int(match["n"])) if match and int(match["n"]) else None
    return out


def _question_columns(questions: list[dict[str, Any]]) -> list[Column]:
    return [Column(f"q_{q['code']}", SHORT_LABELS.get(q["code"], q["text"]), "rating") for q in questions]


def survey_course_table(
    surveys: list[dict[str, Any]], ratings: list[dict[str, Any]], questions: list[dict[str, Any]],
    now: datetime, *, link_results: bool,
) -> ReportTable:
    survey_rows = [row for row in ratings if row["dim"] == "survey"]
    responses = {str(row["key"]): int(row["n"]) for row in survey_rows if int(row["question"]) == 0}
    rows = []
    for survey in surveys:
        key = str(survey["id"])
        closed = survey["status"] == SurveyStatus.CLOSED.value or survey["closes_at"] <= now
        row = {"title": survey["title"], "course_id": survey["course_id"], "survey_id": survey["id"],
               "kind": survey["kind"], "status": "closed" if closed else "open",
               "invited": int(survey["invited"]), "responses": int(survey["responses"]),
               "visible": key in responses}
        row.update(_averages(survey_rows, "key", key, questions) if key in responses
                   else {f"q_{q['code']}": None for q in questions})
        if link_results:
            row["title_href"] = f"/reports/surveys/{survey['id']}"
        rows.append(row)
    return ReportTable(
        "survey_courses", N_("Questionari di gradimento per corso"),
        [Column("title", N_("Corso")), Column("status", N_("Stato"), "survey_status"),
         Column("invited", N_("Invitati"), "int"), Column("responses", N_("Risposte"), "int"),
         *_question_columns(questions)],
        rows, note=N_("Medie da 1 a 5, mostrate solo per i questionari chiusi con almeno 5 risposte."),
        link="title" if link_results else None,
    )


def survey_trainer_table(rows: list[dict[str, Any]], questions: list[dict[str, Any]]) -> ReportTable:
    trainers: dict[int, dict[str, Any]] = {}
    for row in rows:
        if int(row["question"]) == 0:
            trainers[int(row["trainer"])] = {"trainer": row["full_name"], "trainer_id": int(row["trainer"]),
                                             "responses": int(row["n"]), "surveys": int(row["total"])}
    for trainer_id, out in trainers.items():
        out.update(_averages(rows, "trainer", trainer_id, questions))
    ordered = sorted(trainers.values(), key=lambda row: row["trainer"].lower())
    return ReportTable(
        "survey_trainers", N_("Questionari di gradimento per formatore"),
        [Column("trainer", N_("Formatore")), Column("surveys", N_("Corsi valutati"), "int"),
         Column("responses", N_("Risposte"), "int"), *_question_columns(questions)],
        ordered, note=N_("Solo questionari chiusi con almeno 5 risposte."),
    )


def satisfaction_kind_table(ratings: list[dict[str, Any]], questions: list[dict[str, Any]]) -> ReportTable:
    kind_rows = [row for row in ratings if row["dim"] == "kind"]
    responses = {str(row["key"]): int(row["n"]) for row in kind_rows if int(row["question"]) == 0}
    rows = []
    for kind in PathKind:
        if kind.value not in responses:
            continue
        rows.append({"kind": kind.value, "responses": responses[kind.value],
                     **_averages(kind_rows, "key", kind.value, questions)})
    return ReportTable(
        "satisfaction", N_("Gradimento per tipo di percorso"),
        [Column("kind", N_("Tipo di percorso"), "path_kind"), Column("responses", N_("Risposte"), "int"),
         *_question_columns(questions)],
        rows, note=N_("Medie da 1 a 5 dei questionari chiusi con almeno 5 risposte."),
    )


def course_table(rows: list[dict[str, Any]], *, link_surveys: dict[int, int] | None = None) -> ReportTable:
    out = []
    for row in rows:
        item = {"title": row["title"], "course_id": row["id"], "kind": row["kind"],
                "starts_at": row["starts_at"], "ends_at": row["ends_at"], "sessions": int(row["sessions"]),
                "delivered_minutes": int(row["delivered_minutes"]), "participants": int(row["participants"]),
                "scheduled_minutes": int(row["scheduled_minutes"]), "attended_minutes": int(row["attended_minutes"])}
        item["attendance_rate"] = rate(item["attended_minutes"], item["scheduled_minutes"])
        out.append(item)
    return ReportTable(
        "courses", N_("Corsi svolti nel periodo"),
        [Column("title", N_("Corso")), Column("kind", N_("Tipo di percorso"), "path_kind"),
         Column("starts_at", N_("Inizio"), "date"), Column("ends_at", N_("Fine"), "date"),
         Column("sessions", N_("Incontri"), "int"), Column("delivered_minutes", N_("Ore erogate"), "minutes"),
         Column("participants", N_("Partecipanti"), "int"),
         Column("attended_minutes", N_("Ore di presenza"), "minutes"),
         Column("attendance_rate", N_("Presenza"), "percent")],
        out, chart=("title", "attended_minutes"),
    )


def worker_table(rows: list[dict[str, Any]]) -> ReportTable:
    out = []
    for row in rows:
        item = {"full_name": row["full_name"], "person_id": row["id"], "area": row["area"] or "",
                "courses": int(row["courses"]), "scheduled_minutes": int(row["scheduled_minutes"]),
                "attended_minutes": int(row["attended_minutes"])}
        item["attendance_rate"] = rate(item["attended_minutes"], item["scheduled_minutes"])
        out.append(item)
    return ReportTable(
        "workers", N_("Ore di formazione di ogni persona della cooperativa"),
        [Column("full_name", N_("Nome")), Column("area", N_("Area"), "area"), Column("courses", N_("Corsi"), "int"),
         Column("scheduled_minutes", N_("Ore previste"), "minutes"),
         Column("attended_minutes", N_("Ore di presenza"), "minutes"),
         Column("attendance_rate", N_("Presenza"), "percent")],
        out,
    )


def summary_figures(sess: list[dict[str, Any]], pm: list[dict[str, Any]], done: list[dict[str, Any]] | None,
                    ratings: list[dict[str, Any]] | None, waiting: list[dict[str, Any]] | None,
                    questions: list[dict[str, Any]] | None) -> dict[str, Any]:
    """The figures "In sintesi" above a dashboard's tables (those of the parts given)."""
    total = _total(sess)
    summary: dict[str, Any] = {key: int(total.get(key) or 0) for key in _EMPTY_SESS}
    summary.update(_participant_figures(_total(pm)))
    if done is not None:
        summary.update(_completion_figures(_total(done)))
        unrecorded = next((row for row in done if row["dim"] == "unrecorded"), None)
        summary["courses_without_register"] = int(unrecorded["cohort"]) if unrecorded else 0
    if waiting is not None:
        summary["full_courses_with_waitlist"] = len(waiting)
        summary["waitlisted"] = sum(int(row["waitlisted"]) for row in waiting)
    if ratings is not None and questions is not None:
        totals = [row for row in ratings if row["dim"] == "total"]
        summary["survey_responses"] = next((int(row["n"]) for row in totals if int(row["question"]) == 0), 0)
        overall = next((q for q in questions if q["code"] == "overall"), questions[0] if questions else None)
        summary["overall_rating"] = (
            _averages(totals, "dim", "total", [overall]).get(f"q_{overall['code']}") if overall else None
        )
    return summary

