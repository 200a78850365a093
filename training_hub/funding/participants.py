"""The fund data of participants and of beneficiary cooperatives, and the forms that fill them.

* A participant's data (``ParticipantFundData``) are filled by admins, or by the coordinator of the
  person's cooperative for their own people; the gross hourly cost only by admins, and only admins see
  it (a coordinator's form has no such field and the service ignores it from them).
* A cooperative's ATECO, INPS number, VAT number and size are filled by admins or by its coordinator.
* Values are checked as they are typed (codes from ``codes.py``, formats from ``checks.py``); what is
  still missing is listed next to the form, with the same messages as the checks before sending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.codice_fiscale import partita_iva_problem
from training_hub.core.db import fetch_one, is_possible_id, write_transaction
from training_hub.core.errors import NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import parse_day, single_line
from training_hub.core.risk_class import risk_class_from_ateco
from training_hub.core.tables import Cooperative, Role
from training_hub.core.timeutil import utcnow
from training_hub.funding import checks, codes, layouts, plans
from training_hub.funding.tables import ParticipantFundData

TEXT_FIELDS = (("family_name", 120), ("given_names", 120), ("ccnl", 120), ("ccnl_level", 20))
CODED_FIELDS = (("education_level", codes.EDUCATION_LEVELS), ("contract_type", codes.CONTRACT_TYPES),
                ("job_grade", codes.JOB_GRADES))
MAX_HOURLY_COST = Decimal("999999.99")
CENT = Decimal("0.01")
INVALID = N_("Controlla i campi segnalati.")


@dataclass
class FundDataInput:
    family_name: Any = ""
    given_names: Any = ""
    citizenship: Any = ""
    education_level: Any = ""
    contract_type: Any = ""
    job_grade: Any = ""
    ccnl: Any = ""
    ccnl_level: Any = ""
    hire_date: Any = None
    hourly_cost: Any = None


@dataclass
class CompanyInput:
    ateco: Any = ""
    inps_number: Any = ""
    vat_number: Any = ""
    size: Any = ""


PERSON_SQL = (
    "SELECT p.id, p.full_name, p.email, p.codice_fiscale, p.cooperative AS cooperative_id, co.name AS cooperative_name, "
    "d.family_name, d.given_names, d.citizenship, d.education_level, d.contract_type, d.job_grade, d.ccnl, "
    "d.ccnl_level, d.hire_date, d.hourly_cost, d.updated_at FROM person p LEFT JOIN cooperative co ON co.id = p.cooperative "
    "LEFT JOIN participant_fund_data d ON d.person = p.id WHERE p.id = {}"
)


async def _person_for(user: CurrentUser, person_id: int) -> dict[str, Any]:
    row = await fetch_one(PERSON_SQL, person_id) if is_possible_id(person_id) else None
    if row is None:
        raise NotFound(N_("Persona non trovata."))
    if user.is_admin:
        return row
    if user.has_role(Role.COORDINATOR) and user.cooperative_id and row["cooperative_id"] == user.cooperative_id:
        return row
    raise NotFound(N_("Persona non trovata."))


def _participant(row: dict[str, Any], *, with_cost: bool) -> layouts.ParticipantData:
    from training_hub.funding.figures import _as_date
    return layouts.ParticipantData(
        person_id=row["id"], full_name=row["full_name"], family_name=row["family_name"] or "",
        given_names=row["given_names"] or "", codice_fiscale=(row["codice_fiscale"] or "").upper(),
        email=row["email"], citizenship=row["citizenship"] or "", education_level=row["education_level"] or "",
        contract_type=row["contract_type"] or "", job_grade=row["job_grade"] or "", ccnl=row["ccnl"] or "",
        ccnl_level=row["ccnl_level"] or "", hire_date=_as_date(row["hire_date"]),
        hourly_cost=Decimal(str(row["hourly_cost"])).quantize(CENT) if with_cost and row["hourly_cost"] is not None
        else None,
        cooperative_id=row["cooperative_id"],
    )


async def fund_data(user: CurrentUser, person_id: int) -> dict[str, Any]:
    """The person's fund data, what is still missing or wrong, and whether the cost is shown."""
    row = await _person_for(user, person_id)
    participant = _participant(row, with_cost=user.is_admin)
    missing = [finding.as_dict() for finding in checks.check_participant(participant, reference=plans.today())]
    values = {name: getattr(participant, name) for name in FundDataInput.__dataclass_fields__}
    if not user.is_admin:
        values.pop("hourly_cost")
    return {"person": {key: row[key] for key in ("id", "full_name", "email", "codice_fiscale", "cooperative_id",
                                                 "cooperative_name")},
            "values": values, "missing": missing, "show_cost": user.is_admin, "updated_at": row["updated_at"]}


def _validated(user: CurrentUser, data: FundDataInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name, length in TEXT_FIELDS:
        out[name] = single_line(getattr(data, name) or "", name, errors, max_length=length)
    citizenship = single_line(data.citizenship or "", "citizenship", errors, max_length=2).upper()
    if citizenship and codes.citizenship_group(citizenship) is None:
        errors["citizenship"] = N_("La cittadinanza non è un codice di paese valido (es. IT, RO, MA).")
    out["citizenship"] = citizenship
    for name, table in CODED_FIELDS:
        value = (getattr(data, name) or "").strip() if isinstance(getattr(data, name), str | None) else ""
        if value and value not in table:
            errors[name] = N_("Valore non previsto: scegli tra quelli dell'elenco.")
        out[name] = value
    out["hire_date"] = parse_day(data.hire_date, "hire_date", errors)
    if out["hire_date"] and out["hire_date"] > plans.today():
        errors["hire_date"] = N_("La data di assunzione è nel futuro.")
    if user.is_admin:
        cost = data.hourly_cost
        if cost in (None, ""):
            out["hourly_cost"] = None
        else:
            try:
                value = Decimal(str(cost).strip().replace(",", "."))
                if not value.is_finite() or value <= 0 or value > MAX_HOURLY_COST or value != value.quantize(Decimal("0.01")):
                    raise InvalidOperation
                out["hourly_cost"] = value
            except InvalidOperation:
                errors["hourly_cost"] = N_("Il costo orario lordo è un importo in euro maggiore di zero, es. 18,50.")
    if errors:
        raise ValidationFailed(INVALID, errors=errors)
    return out


async def save_fund_data(user: CurrentUser, person_id: int, data: FundDataInput) -> None:
    await _person_for(user, person_id)
    values = _validated(user, data)
    async with write_transaction():
        existing = await ParticipantFundData.select(ParticipantFundData.id).where(
            ParticipantFundData.person == person_id).first()
        values_now = {**values, "updated_by": user.id, "updated_at": utcnow()}
        if existing:
            await ParticipantFundData.update({getattr(ParticipantFundData, k): v for k, v in values_now.items()}).where(
                ParticipantFundData.id == existing["id"])
        else:
            await ParticipantFundData.insert(ParticipantFundData(person=person_id, **values_now))
        # Which fields changed, never their values (a cost is personal data).
        await record_audit_event("fund_data.updated", actor_id=user.id, entity="person", entity_id=person_id,
                                 data={"fields": sorted(values)})


# Cooperatives ---------------------------------------------------------------------------------------

COMPANY_SQL = "SELECT id, name, tax_code, province, ateco, inps_number, vat_number, size FROM cooperative WHERE id = {}"


async def _cooperative_for(user: CurrentUser, cooperative_id: int) -> dict[str, Any]:
    row = await fetch_one(COMPANY_SQL, cooperative_id) if is_possible_id(cooperative_id) else None
    if row is None or not (user.is_admin or (user.has_role(Role.COORDINATOR) and user.cooperative_id == row["id"])):
        raise NotFound(N_("Cooperativa non trovata."))
    return row


async def company_data(user: CurrentUser, cooperative_id: int) -> dict[str, Any]:
    row = await _cooperative_for(user, cooperative_id)
    company = layouts.CompanyData(row["id"], row["name"], row["tax_code"] or "", row["vat_number"] or "",
                                  row["inps_number"] or "", row["ateco"] or "", row["size"] or "")
    return {"cooperative": row, "missing": [finding.as_dict() for finding in checks.check_company(company)]}


async def save_company_data(user: CurrentUser, cooperative_id: int, data: CompanyInput) -> None:
    if not (user.is_admin or user.has_role(Role.COORDINATOR)):
        raise PermissionDenied(N_("I dati della cooperativa sono gestiti dall'ufficio formazione e dal coordinatore."))
    await _cooperative_for(user, cooperative_id)
    errors: dict[str, str] = {}
    ateco = checks.normalise_ateco(single_line(data.ateco or "", "ateco", errors, max_length=8))
    if ateco and not checks.ATECO_FULL.fullmatch(ateco):
        errors["ateco"] = N_("Il codice ATECO deve essere completo, nella forma 88.10.00.")
    inps = re.sub(r"\s+", "", single_line(data.inps_number or "", "inps_number", errors, max_length=20))
    if inps and not checks.INPS_NUMBER.fullmatch(inps):
        errors["inps_number"] = N_("La matricola INPS deve avere 10 cifre.")
    vat = re.sub(r"\s+", "", single_line(data.vat_number or "", "vat_number", errors, max_length=20))
    if vat and (problem := partita_iva_problem(vat)):
        errors["vat_number"] = problem
    size = (data.size or "").strip() if isinstance(data.size, str | None) else ""
    if size and size not in codes.COMPANY_SIZES:
        errors["size"] = N_("Valore non previsto: scegli tra quelli dell'elenco.")
    if errors:
        raise ValidationFailed(INVALID, errors=errors)
    async with write_transaction():
        # A division the Accordo's Allegato IV classifies also sets the safety risk class (core/risk_class.py).
        derived = risk_class_from_ateco(ateco)
        await Cooperative.update({Cooperative.ateco: ateco, Cooperative.inps_number: inps,
                                  Cooperative.vat_number: vat, Cooperative.size: size,
                                  **({Cooperative.risk_class: derived} if derived else {})}).where(Cooperative.id == cooperative_id)
        await record_audit_event("cooperative.fund_data_updated", actor_id=user.id, entity="cooperative",
                                 entity_id=cooperative_id)
