"""The plan's files for the fund: the participants file (CSV, XLSX) in the fund's layout, the closing
report (CSV), and the frozen submissions (a ZIP of the files and the registers, with its SHA-256).

All of them come from one :class:`~training_hub.funding.figures.PlanData`, so a figure in a file is the
figure the page shows. None of them holds special-category data: the rows are built from
``layouts.ParticipantData``, which has no field for it. Files for the fund are for admins only (they
carry hourly costs and codici fiscali of several cooperatives).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import zipfile
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one, is_possible_id, write_transaction
from training_hub.core.errors import NotFound
from training_hub.core.exports import csv_bytes, simple_xlsx
from training_hub.core.i18n import N_, language
from training_hub.core.identity import CurrentUser
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.funding import figures, layouts, plans
from training_hub.funding.tables import FundSubmission

CLOSING_HEADINGS = ("Tipo", "Cooperativa", "Partecipante", "Codice fiscale", "Ore previste", "Ore frequentate",
                    "Frequenza %", "Formato", "Costo (EUR)")
# The timestamp written on every member of a submission ZIP: the members' bytes and names decide the hash.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def layout_for(plan: dict[str, Any], requested: str | None) -> layouts.Layout:
    name = requested if requested in layouts.LAYOUTS else plans.LAYOUT_OF_FUND.get(plan["fund"], "generic")
    return layouts.LAYOUTS[name]


def participants_table(data: figures.PlanData, layout: layouts.Layout) -> tuple[list[str], list[list[Any]]]:
    return layout.headings, layouts.participant_rows(layout, data.lines())


def participants_csv(data: figures.PlanData, layout: layouts.Layout) -> bytes:
    headings, rows = participants_table(data, layout)
    return csv_bytes(headings, ([layouts.as_text(value) for value in row] for row in rows))


def participants_xlsx(data: figures.PlanData, layout: layouts.Layout) -> bytes:
    headings, rows = participants_table(data, layout)
    return simple_xlsx(headings, ([float(v) if hasattr(v, "as_tuple") else v for v in row] for row in rows),
                       title=f"Partecipanti {data.plan['code']}")


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def closing_table(data: figures.PlanData) -> list[list[str]]:
    rows = figures.closing_rows(data, data.report, include_cost=True)
    out: list[list[str]] = []
    hours = layouts.hours
    for row in rows["participants"]:
        person = data.participants[row["person_id"]]
        out.append(["partecipante", row["cooperative_name"], row["full_name"], person.codice_fiscale,
                    layouts.as_text(hours(row["planned_minutes"])), layouts.as_text(hours(row["attended_minutes"])),
                    _percent(row["percent"]), "sì" if row["trained"] else "no",
                    "" if row.get("cost") is None else row["cost"].replace(".", ",")])
    for row in rows["companies"]:
        out.append(["cooperativa", row["cooperative_name"], f"{row['trained']} formati su {row['participants']}", "",
                    layouts.as_text(hours(row["planned_minutes"])), layouts.as_text(hours(row["attended_minutes"])),
                    _percent(row["percent"]), "", row["cost"].replace(".", ",") + ("" if row["cost_complete"] else " *")])
    return out


def closing_csv(data: figures.PlanData) -> bytes:
    return csv_bytes(CLOSING_HEADINGS, closing_table(data))


async def plan_file(user: CurrentUser, plan_id: int, kind: str, layout: str | None = None) -> tuple[bytes, str]:
    """``participants.csv``, ``participants.xlsx`` or ``closing-report.csv`` of the plan (admins)."""
    plans.require_office(user)
    data = await figures.load_plan_data(user, plan_id)
    chosen = layout_for(data.plan, layout)
    name = f"piano-{_slug(data.plan['code'])}"
    with language("it"):
        if kind == "participants.csv":
            return participants_csv(data, chosen), f"{name}-partecipanti.csv"
        if kind == "participants.xlsx":
            return await asyncio.to_thread(participants_xlsx, data, chosen), f"{name}-partecipanti.xlsx"
        return closing_csv(data), f"{name}-rendiconto.csv"


def _slug(code: str) -> str:
    return "".join(char if char.isalnum() or char in "-_" else "-" for char in code)[:60] or "piano"


# Frozen submissions --------------------------------------------------------------------------------


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


async def freeze_submission(user: CurrentUser, plan_id: int, note: str = "") -> dict[str, Any]:
    """Freeze what is sent to the fund: participants (CSV, XLSX), closing report, each action's register.

    The ZIP's bytes are stored with their SHA-256: later corrections of attendance change the next
    export, never this one.
    """
    from training_hub.funding.registers import action_register_pdf

    plans.require_office(user)
    data = await figures.load_plan_data(user, plan_id)
    layout = layout_for(data.plan, None)
    slug = _slug(data.plan["code"])
    with language("it"):
        members = [
            (f"{slug}-partecipanti.csv", participants_csv(data, layout)),
            (f"{slug}-partecipanti.xlsx", await asyncio.to_thread(participants_xlsx, data, layout)),
            (f"{slug}-rendiconto.csv", closing_csv(data)),
        ]
        for action in data.actions:
            members.append((f"registri/corso-{action.course_id}-registro.pdf",
                            await action_register_pdf(user, action.course_id, blank=False)))
    content = await asyncio.to_thread(_zip, members)
    digest = hashlib.sha256(content).hexdigest()
    now = utcnow()
    filename = f"{slug}-invio-{to_rome(now):%Y%m%d-%H%M}.zip"
    async with write_transaction():
        row = await FundSubmission.insert(FundSubmission(
            plan=plan_id, sha256=digest, filename=filename, content=content, size_bytes=len(content),
            note=(note or "")[:1000], created_by=user.id, created_at=now,
        )).returning(FundSubmission.id)
        await record_audit_event("funded_plan.submitted", actor_id=user.id, entity="funded_plan", entity_id=plan_id,
                                 data={"submission_id": row[0]["id"], "sha256": digest})
    return {"id": row[0]["id"], "sha256": digest, "created_at": now, "filename": filename, "size_bytes": len(content)}


async def list_submissions(user: CurrentUser, plan_id: int) -> list[dict[str, Any]]:
    plans.require_office(user)
    return await fetch_all(
        "SELECT s.id, s.sha256, s.created_at, s.filename, s.size_bytes, p.full_name AS created_by_name "
        "FROM fund_submission s LEFT JOIN person p ON p.id = s.created_by WHERE s.plan = {} ORDER BY s.created_at DESC, s.id DESC",
        plan_id,
    )


async def submission_file(user: CurrentUser, plan_id: int, submission_id: int) -> tuple[bytes, str]:
    plans.require_office(user)
    row = await fetch_one("SELECT content, filename FROM fund_submission WHERE id = {} AND plan = {}",
                          submission_id, plan_id) if is_possible_id(submission_id) else None
    if row is None:
        raise NotFound(N_("Invio non trovato."))
    return bytes(row["content"]), row["filename"]

