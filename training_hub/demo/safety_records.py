"""The demo's safety records (issue 16), so that the scadenzario shows every status on a new database:

* **risk classes**: the home cooperative's ATECO 88.10.00 gives "medio" (Allegato IV); Terre Virgiliane
  runs residential care (ATECO 87.30.00, which the annex does not classify), so the office set "alto" by
  hand; the others have a class set by hand;
* **headcounts** for last year and this year: the home cooperative has 48 people last year (RLS refresher
  4 h) and 56 this year (8 h); every total at least the active people the directory holds;
* **roles and attestati obtained elsewhere** (relative to the day the demo is loaded):
  - Luca Rossi (``worker@demo.test``): worker since 2019, with no general course yet (``missing``: he is
    enrolled in the coming edition); preposto trained on 10/06/2025 (``valid``, with the scan of the
    attestato); fire warden level 2, course ended five years ago less 40 days (``due_soon``); first
    aider of group B/C, course ended three years and 45 days ago (``overdue``);
  - Chiara Fontana: worker and RLS, the 32-hour RLS course ended six months ago (``valid``);
  - Stefano Moretti: worker and preposto (his refresher is the demo's course of last week);
  - Roberto Galli: dirigente with no course (``missing``);
  - two workers of Il Sentiero (Bergamo, low risk by hand) with the general and specific courses taken
    elsewhere in 2023.

Called at the end of :func:`training_hub.demo.loader.load_demo_data`, after the safety courses.
"""

from __future__ import annotations

from datetime import date, timedelta

from fpdf import FPDF

from training_hub.core.risk_class import risk_class_from_ateco
from training_hub.core.tables import Cooperative, CooperativeHeadcount, Person
from training_hub.safety.due import add_years
from training_hub.safety.tables import ExternalTraining, SafetyRole

HOME = "Cooperativa Sociale Spazio Aperto"
RESIDENTIAL = "Terre Virgiliane Cooperativa Sociale"
LOW_RISK = "Cooperativa Sociale Il Sentiero"
HOME_HEADCOUNT = {-1: (48, 34, 14, 9), 0: (56, 39, 17, 11)}  # year offset: total, women, men, disadvantaged


def _scan(title: str, name: str, day: date) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=16)
    pdf.cell(0, 12, "ATTESTATO DI FORMAZIONE", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("helvetica", size=12)
    for line in (f"Si attesta che {name}", f"ha frequentato il corso: {title}",
                 f"concluso il {day.strftime('%d/%m/%Y')}", "Ente Bilaterale Lombardia (scansione dimostrativa)"):
        pdf.cell(0, 9, line, new_x="LMARGIN", new_y="NEXT", align="C")
    return bytes(pdf.output())


async def _people_by_name(*names: str) -> dict[str, int]:
    rows = await Person.select(Person.id, Person.full_name).where(Person.full_name.is_in(list(names)))
    return {row["full_name"]: row["id"] for row in rows}


async def _cooperatives(today: date) -> None:
    rows = await Cooperative.select(Cooperative.id, Cooperative.name, Cooperative.ateco).order_by(Cooperative.id)
    await Cooperative.update({Cooperative.ateco: "87.30.00", Cooperative.risk_class: "alto"}) \
        .where(Cooperative.name == RESIDENTIAL)
    for row in rows:
        if row["name"] == RESIDENTIAL:
            continue
        derived = risk_class_from_ateco(row["ateco"])
        chosen = derived or ("basso" if row["name"] == LOW_RISK else "medio")
        await Cooperative.update({Cooperative.risk_class: chosen}).where(Cooperative.id == row["id"])
    active: dict[int, int] = {}
    for person in await Person.select(Person.cooperative).where(Person.active.eq(True)):
        active[person["cooperative"]] = active.get(person["cooperative"], 0) + 1
    headcounts = []
    for index, row in enumerate(rows):
        for offset in (-1, 0):
            if row["name"] == HOME:
                total, women, men, disadvantaged = HOME_HEADCOUNT[offset]
            else:
                total = 12 + (index * 7) % 40 + offset * -2
                women = total * 2 // 3
                men, disadvantaged = total - women, total // 5
            total = max(total, active.get(row["id"], 0))
            headcounts.append(CooperativeHeadcount(cooperative=row["id"], year=today.year + offset, total=total,
                                                   women=women, men=min(men, total - women),
                                                   disadvantaged=disadvantaged))
    await CooperativeHeadcount.insert(*headcounts)


async def load_safety_records_demo(today: date) -> dict[str, int]:
    await _cooperatives(today)
    office = await Person.select(Person.id).where(Person.email == "admin@demo.test").first()
    worker = await Person.select(Person.id, Person.full_name).where(Person.email == "worker@demo.test").first()
    people = await _people_by_name("Chiara Fontana", "Stefano Moretti", "Roberto Galli")
    if office is None or worker is None:
        return {"safety_roles": 0, "external_trainings": 0}
    by = office["id"]
    luca = worker["id"]
    roles = [
        SafetyRole(person=luca, role="worker", since=date(2019, 9, 1), recorded_by=by),
        SafetyRole(person=luca, role="preposto", since=date(2025, 3, 1), recorded_by=by),
        SafetyRole(person=luca, role="antincendio", level="2", since=date(2021, 5, 3), recorded_by=by),
        SafetyRole(person=luca, role="primo_soccorso", level="bc", since=date(2020, 10, 1), recorded_by=by),
    ]
    preposto_day = date(2025, 6, 10)
    trainings = [
        ExternalTraining(person=luca, course_type="preposto", completed_on=preposto_day, minutes=12 * 60,
                         provider="Ente Bilaterale Lombardia", certificate_number="EBL-2025-0412",
                         scan=_scan("Preposto (12 ore)", worker["full_name"], preposto_day),
                         scan_filename="attestato-preposto-2025.pdf", recorded_by=by),
        ExternalTraining(person=luca, course_type="antincendio_2", completed_on=add_years(today + timedelta(days=40), -5),
                         minutes=8 * 60, provider="Comando provinciale dei Vigili del fuoco di Milano",
                         certificate_number="VVF-MI-3381", recorded_by=by),
        ExternalTraining(person=luca, course_type="primo_soccorso_bc",
                         completed_on=add_years(today - timedelta(days=45), -3), minutes=12 * 60,
                         provider="Croce Rossa Italiana, comitato di Milano", certificate_number="CRI-MI-7720",
                         recorded_by=by),
    ]
    if "Chiara Fontana" in people:
        chiara = people["Chiara Fontana"]
        roles += [SafetyRole(person=chiara, role="worker", since=date(2018, 2, 1), recorded_by=by),
                  SafetyRole(person=chiara, role="rls", since=date(2025, 4, 1), recorded_by=by)]
        trainings.append(ExternalTraining(person=chiara, course_type="rls", completed_on=today - timedelta(days=182),
                                          minutes=32 * 60, provider="Legacoop Lombardia",
                                          certificate_number="LC-RLS-118", recorded_by=by))
    if "Stefano Moretti" in people:
        roles += [SafetyRole(person=people["Stefano Moretti"], role="worker", since=date(2015, 1, 12), recorded_by=by),
                  SafetyRole(person=people["Stefano Moretti"], role="preposto", since=date(2021, 5, 1), recorded_by=by)]
    if "Roberto Galli" in people:
        roles.append(SafetyRole(person=people["Roberto Galli"], role="dirigente", since=date(2020, 1, 7), recorded_by=by))
    sentiero = await Person.select(Person.id).where(
        (Person.cooperative.name == LOW_RISK) & (Person.roles == "worker")).order_by(Person.id).limit(2)
    for row in sentiero:
        roles.append(SafetyRole(person=row["id"], role="worker", since=date(2022, 3, 1), recorded_by=by))
        for code, hours in (("lavoratori_generale", 4), ("lavoratori_specifica_basso", 4)):
            trainings.append(ExternalTraining(person=row["id"], course_type=code, completed_on=date(2023, 4, 18),
                                              minutes=hours * 60, provider="Ente Scuola Edile Bergamo",
                                              certificate_number=f"ESE-23-{row['id']}-{hours}", recorded_by=by))
    await SafetyRole.insert(*roles)
    await ExternalTraining.insert(*trainings)
    return {"safety_roles": len(roles), "external_trainings": len(trainings)}
