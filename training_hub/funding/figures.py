"""A plan's data read once and turned into what the funds ask: checks, closing report, export lines.

One read of the plan (five queries whatever its size: actions, sessions, participants with their fund
data and cooperative, attendance) feeds the pure rules of ``checks``, ``closing`` and ``layouts``, so the
page, the API and every file show the same figures: the participants file's hours per action are the
closing report's figures per action (a test compares them).

Participants are the confirmed enrolments of the plan's actions. Coordinators see their own
cooperative's people only; gross hourly costs are for admins only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from training_hub.core.cache import MISSING, ReadCache, data_generation
from training_hub.core.db import fetch_all
from training_hub.core.identity import CurrentUser
from training_hub.core.sql import minutes_between_sql
from training_hub.funding import checks, closing, layouts, plans

# ``funded_action fa CROSS JOIN enrolment e … WHERE e.course = fa.course``: SQLite's planner takes a
# CROSS JOIN's order as written, so it starts from the plan's few actions instead of walking every
# confirmed enrolment of the database through the status index; PostgreSQL plans it as an inner join.
ACTIONS_SQL = (
    "SELECT fa.course AS course_id, fa.action_code, c.title, c.starts_at, c.ends_at FROM funded_action fa "
    "JOIN course c ON c.id = fa.course WHERE fa.plan = {} ORDER BY c.starts_at, c.id"
)
def sessions_sql() -> str:
    """The plan's sessions with their length in whole minutes (``timeutil.minutes_between``, in SQL)."""
    return (
        f"SELECT s.id, s.course AS course_id, {minutes_between_sql('s.starts_at', 's.ends_at')} AS minutes, "
        "s.status FROM funded_action fa CROSS JOIN course_session s WHERE fa.plan = {} AND s.course = fa.course"
    )
PARTICIPANTS_SQL = (
    "SELECT e.id AS enrolment_id, e.course AS course_id, p.id AS person_id, p.full_name, p.email, "
    "p.codice_fiscale, p.cooperative AS cooperative_id, d.family_name, d.given_names, d.citizenship, "
    "d.education_level, d.contract_type, d.job_grade, d.ccnl, d.ccnl_level, d.hire_date, d.hourly_cost, "
    "co.name AS cooperative_name, co.tax_code AS co_tax_code, co.vat_number AS co_vat_number, "
    "co.inps_number AS co_inps_number, co.ateco AS co_ateco, co.size AS co_size, co.province AS co_province "
    "FROM funded_action fa CROSS JOIN enrolment e JOIN person p ON p.id = e.person "
    "LEFT JOIN participant_fund_data d ON d.person = p.id LEFT JOIN cooperative co ON co.id = p.cooperative "
    "WHERE fa.plan = {} AND e.course = fa.course AND e.status = 'confirmed'"
)
# What the closing report needs of each participant, and no more (it is asked of plans of 500 people).
PARTICIPANTS_LEAN_SQL = (
    "SELECT e.id AS enrolment_id, e.course AS course_id, p.id AS person_id, p.full_name, "
    "p.cooperative AS cooperative_id, d.hourly_cost, co.name AS cooperative_name "
    "FROM funded_action fa CROSS JOIN enrolment e JOIN person p ON p.id = e.person "
    "LEFT JOIN participant_fund_data d ON d.person = p.id LEFT JOIN cooperative co ON co.id = p.cooperative "
    "WHERE fa.plan = {} AND e.course = fa.course AND e.status = 'confirmed'"
)
# Minutes attended per enrolment on the held sessions, each session's minutes clipped to [0, its length]:
# the closing rule (closing.py) summed by the database, one row per enrolment instead of one per session.
# Minutes recorded per enrolment on the held sessions, with the smallest and largest value: one row per
# enrolment instead of one per session. The closing rule clips each session's minutes to [0, its
# length]; when every value is already inside [0, the course's shortest held session] the sum is the
# rule's, otherwise (old or odd data) that enrolment's rows are read one by one (ATTENDANCE_ROWS_SQL).
ATTENDED_SQL = (
    "SELECT a.enrolment AS enrolment_id, SUM(a.minutes) AS minutes, MIN(a.minutes) AS low, MAX(a.minutes) AS high "
    "FROM funded_action fa CROSS JOIN course_session s JOIN attendance a ON a.session = s.id "
    "WHERE fa.plan = {} AND s.course = fa.course AND s.status = 'scheduled' GROUP BY a.enrolment"
)
ATTENDANCE_ROWS_SQL = "SELECT a.session AS session_id, a.enrolment AS enrolment_id, a.minutes FROM attendance a WHERE a.enrolment IN "


@dataclass
class PlanData:
    plan: dict[str, Any]
    actions: list[layouts.ActionData]
    sessions: list[closing.SessionPlan]
    participants: dict[int, layouts.ParticipantData]
    companies: dict[int, layouts.CompanyData]
    enrolled: list[closing.Enrolled]
    names: dict[int, str]  # person id → full name, for pages
    reference: date

    @property
    def report(self) -> closing.ClosingReport:
        return closing.closing_report(self.sessions, self.enrolled, threshold=self.plan["trained_threshold"])

    def lines(self, report: closing.ClosingReport | None = None) -> list[layouts.ExportLine]:
        """One line per participant and action, with the closing report's figures of that action."""
        report = report or self.report
        actions = {action.course_id: action for action in self.actions}
        out = []
        for row in sorted(report.participants, key=lambda r: (self.names.get(r.person_id, "").casefold(), r.person_id)):
            person = self.participants[row.person_id]
            company = self.companies.get(person.cooperative_id) if person.cooperative_id else None
            for action in row.actions:
                out.append(layouts.ExportLine(person, company, actions[action.course_id],
                                              action.figures.planned_minutes, action.figures.attended_minutes,
                                              self.reference))
        return out


async def load_plan_data(user: CurrentUser, plan_id: int, *, lean: bool = False,
                         plan: dict[str, Any] | None = None) -> PlanData:
    """Everything about the plan ``user`` may see (coordinators: their cooperative's people).

    ``lean``: only what the closing report shows (names, cooperatives, costs): the participants' other
    fund data and the companies' codes stay empty."""
    plan = plan or await plans.open_plan(user, plan_id)
    own = None if user.is_admin else user.cooperative_id
    action_rows = await fetch_all(ACTIONS_SQL, plan_id)
    actions = [layouts.ActionData(row["course_id"], row["title"], plan["code"], plan["title"], row["action_code"] or "",
                                  row["starts_at"] and plans_day(row["starts_at"]),
                                  row["ends_at"] and plans_day(row["ends_at"])) for row in action_rows]
    sessions = [closing.SessionPlan(row["id"], row["course_id"], int(row["minutes"]), row["status"] != "scheduled")
                for row in await fetch_all(sessions_sql(), plan_id)]
    shortest: dict[int, int] = {}
    for session in sessions:
        if not session.cancelled:
            shortest[session.course_id] = min(shortest.get(session.course_id, session.minutes), session.minutes)
    totals = {row["enrolment_id"]: row for row in await fetch_all(ATTENDED_SQL, plan_id)}
    participants: dict[int, layouts.ParticipantData] = {}
    companies: dict[int, layouts.CompanyData] = {}
    enrolled: list[closing.Enrolled] = []
    odd: dict[int, int] = {}  # index in ``enrolled`` → enrolment id, when its minutes need clipping
    names: dict[int, str] = {}
    show_cost = user.is_admin
    for row in await fetch_all(PARTICIPANTS_LEAN_SQL if lean else PARTICIPANTS_SQL, plan_id):
        if own is not None and row["cooperative_id"] != own:
            continue
        cost = Decimal(str(row["hourly_cost"])).quantize(Decimal("0.01")) if row["hourly_cost"] is not None and show_cost else None
        person_id = row["person_id"]
        if person_id not in participants:
            participants[person_id] = _participant(row, cost) if not lean else layouts.ParticipantData(
                person_id=person_id, full_name=row["full_name"], hourly_cost=cost, cooperative_id=row["cooperative_id"])
            names[person_id] = row["full_name"]
        if row["cooperative_id"] is not None and row["cooperative_id"] not in companies:
            companies[row["cooperative_id"]] = layouts.CompanyData(
                row["cooperative_id"], row["cooperative_name"], row["co_tax_code"] or "", row["co_vat_number"] or "",
                row["co_inps_number"] or "", row["co_ateco"] or "", row["co_size"] or "", row["co_province"] or "",
            ) if not lean else layouts.CompanyData(row["cooperative_id"], row["cooperative_name"])
        total = totals.get(row["enrolment_id"])
        inside = total is None or (total["low"] >= 0 and total["high"] <= shortest.get(row["course_id"], 0))
        if not inside:
            odd[len(enrolled)] = row["enrolment_id"]
        enrolled.append(closing.Enrolled(person_id, row["cooperative_id"], row["course_id"], {}, cost,
                                         attended_total=(int(total["minutes"]) if total else 0) if inside else None))
    if odd:  # minutes outside [0, the session's length] somewhere: the rule applied session by session
        per_session: dict[int, dict[int, int]] = {}
        ids = sorted(set(odd.values()))
        for row in await fetch_all(ATTENDANCE_ROWS_SQL + "(" + ", ".join("{}" for _ in ids) + ")", *ids):
            per_session.setdefault(row["enrolment_id"], {})[row["session_id"]] = int(row["minutes"] or 0)
        for index, enrolment_id in odd.items():
            entry = enrolled[index]
            enrolled[index] = closing.Enrolled(entry.person_id, entry.cooperative_id, entry.course_id,
                                               per_session.get(enrolment_id, {}), entry.hourly_cost)
    return PlanData(plan, actions, sessions, participants, companies, enrolled, names, plans.today())


def _participant(row: dict[str, Any], cost: Decimal | None) -> layouts.ParticipantData:
    return layouts.ParticipantData(
        person_id=row["person_id"], full_name=row["full_name"],
        family_name=row["family_name"] if row["family_name"] is not None else "",
        given_names=row["given_names"] if row["given_names"] is not None else "",
        codice_fiscale=(row["codice_fiscale"] or "").upper(), email=row["email"],
        citizenship=row["citizenship"] or "", education_level=row["education_level"] or "",
        contract_type=row["contract_type"] or "", job_grade=row["job_grade"] or "", ccnl=row["ccnl"] or "",
        ccnl_level=row["ccnl_level"] or "", hire_date=_as_date(row["hire_date"]), hourly_cost=cost,
        cooperative_id=row["cooperative_id"],
    )


def plans_day(instant: Any) -> date:
    from training_hub.core.timeutil import to_rome
    return to_rome(instant).date()


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


async def plan_checks(user: CurrentUser, plan_id: int) -> list[dict[str, Any]]:
    """Every missing or invalid datum of the plan's participants and companies (API shape + names)."""
    data = await load_plan_data(user, plan_id)
    findings = checks.check_plan(data.lines(), reference=data.reference,
                                 aid_regime=data.plan["aid_regime"] if user.is_admin else "")
    out = []
    for finding in findings:
        row = finding.as_dict()
        if finding.subject == "person":
            row["name"] = data.names.get(finding.subject_id or 0, "")
        else:
            company = data.companies.get(finding.subject_id or 0)
            row["name"] = company.name if company else ""
        out.append(row)
    return out


def closing_rows(data: PlanData, report: closing.ClosingReport, *, include_cost: bool) -> dict[str, Any]:
    """The closing report with names, as the page, the API and the CSV show it."""
    out = report.as_dict(include_cost=include_cost)
    for row in out["participants"]:
        row["full_name"] = data.names.get(row["person_id"], "")
        company = data.companies.get(row["cooperative_id"] or 0)
        row["cooperative_name"] = company.name if company else ""
    out["participants"].sort(key=lambda r: (r["cooperative_name"].casefold(), r["full_name"].casefold(), r["person_id"]))
    for row in out["companies"]:
        company = data.companies.get(row["cooperative_id"] or 0)
        row["cooperative_name"] = company.name if company else ""
    out["companies"].sort(key=lambda r: (r["cooperative_name"].casefold(), r["cooperative_id"] or 0))
    out["threshold"] = data.plan["trained_threshold"]
    return out


# The office reads a plan's closing report again and again while fixing data before a deadline; it is
# kept for a few seconds, and any write made by this process drops it at once (core/cache.py), so a
# correction shows on the next request. Keyed by who may see what (a coordinator's own people; costs).
CLOSING_CACHE_SECONDS = 10
_closing_cache: ReadCache[dict[str, Any]] = ReadCache(ttl=CLOSING_CACHE_SECONDS, size=64)


async def closing_report(user: CurrentUser, plan_id: int) -> dict[str, Any]:
    plan = await plans.open_plan(user, plan_id)  # who may see it is decided on every request
    key = (plan_id, None if user.is_admin else user.cooperative_id, user.is_admin)
    cached = _closing_cache.get(key)
    if cached is not MISSING:
        return cached
    generation = data_generation()
    data = await load_plan_data(user, plan_id, lean=True, plan=plan)
    report = closing_rows(data, data.report, include_cost=user.is_admin)
    _closing_cache.put(key, report, generation=generation)
    return report
