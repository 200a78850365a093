"""What the report pages and the API share: query parameters, and turning them into a scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from litestar.params import QueryParameter

from training_hub.core.db import form_id, is_possible_id
from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.reports.period import Period, parse_period
from training_hub.reports.scope import Scope, resolve_scope

FromDate = Annotated[
    str | None,
    QueryParameter(name="from", description="Primo giorno del periodo (AAAA-MM-GG, Europe/Rome); "
                                            "predefinito: 1° gennaio dell'anno in corso"),
]
ToDate = Annotated[
    str | None,
    QueryParameter(name="to", description="Ultimo giorno del periodo, incluso (AAAA-MM-GG); "
                                          "predefinito: 31 dicembre dell'anno in corso"),
]


@dataclass
class Filters:
    """The filter form's values as typed, kept to show them again next to an error."""

    start: str = ""
    end: str = ""
    cooperative_id: str = ""
    province: str = ""
    kind: str = ""
    trainer_id: str = ""

    def query(self, **extra: str) -> str:
        values = {"from": self.start, "to": self.end, "cooperative_id": self.cooperative_id,
                  "province": self.province, "kind": self.kind, "trainer_id": self.trainer_id, **extra}
        return urlencode({key: value for key, value in values.items() if value})


def _int_or_none(raw: str, field: str) -> int | None:
    text = (raw or "").strip()
    if not text:
        return None
    number = form_id(text)
    if number is None or not is_possible_id(number):
        raise ValidationFailed(N_("Valore non valido."), field=field)
    return number


async def page_scope(user: CurrentUser, view: str, filters: Filters) -> tuple[Scope, Period]:
    """Validate a page's filters (raises ValidationFailed/PermissionDenied like the API)."""
    errors: dict[str, str] = {}
    cooperative_id = trainer_id = None
    try:
        cooperative_id = _int_or_none(filters.cooperative_id, "cooperative_id")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        trainer_id = _int_or_none(filters.trainer_id, "trainer_id")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(N_("Controlla i filtri."), errors=errors)
    period = parse_period(filters.start, filters.end)
    scope = await resolve_scope(user, view, cooperative_id=cooperative_id, province=filters.province or None,
                                path_kind=filters.kind or None, trainer_id=trainer_id)
    return scope, period


def filename(prefix: str, period: Period, suffix: str) -> str:
    return f"{prefix}-{period.first.isoformat()}-{period.last.isoformat()}{suffix}"


def attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}
