"""API input and output of the directory: cooperatives and people."""

from __future__ import annotations

import msgspec

UNSET = msgspec.UNSET
UnsetType = msgspec.UnsetType


class CooperativeIn(msgspec.Struct):
    name: str
    province: str
    tax_code: str | None = None
    comune: str = ""
    areas: list[str] = msgspec.field(default_factory=list)
    active: bool = True
    risk_class: str | None = None


class CooperativePatch(msgspec.Struct):
    name: str | UnsetType = UNSET
    province: str | UnsetType = UNSET
    tax_code: str | None | UnsetType = UNSET
    comune: str | UnsetType = UNSET
    areas: list[str] | UnsetType = UNSET
    active: bool | UnsetType = UNSET
    risk_class: str | None | UnsetType = UNSET


class Cooperative(msgspec.Struct):
    id: int
    name: str
    tax_code: str | None
    province: str
    comune: str
    areas: list[str]
    active: bool
    ateco: str
    # The class that applies ("" when not set) and where it comes from: "ateco" (the Accordo's Allegato IV
    # classifies the division, e.g. 88) or "manual" (set by the office, e.g. for 86 and 87).
    risk_class: str
    risk_class_source: str


class PersonIn(msgspec.Struct):
    full_name: str
    email: str
    roles: list[str] = msgspec.field(default_factory=lambda: ["worker"])
    cooperative_id: int | None = None
    codice_fiscale: str | None = None
    area: str | None = None
    active: bool = True
    # Refused when given: the person chooses it through the invitation (issue 14 item 2).
    password: str | None = None


class PersonPatch(msgspec.Struct):
    full_name: str | UnsetType = UNSET
    email: str | UnsetType = UNSET
    roles: list[str] | UnsetType = UNSET
    cooperative_id: int | None | UnsetType = UNSET
    codice_fiscale: str | None | UnsetType = UNSET
    area: str | None | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class Person(msgspec.Struct):
    id: int
    full_name: str
    email: str
    codice_fiscale: str | None
    cooperative_id: int | None
    area: str | None
    roles: list[str]
    active: bool


class InvitationSent(msgspec.Struct):
    queued: bool


class ImportRowError(msgspec.Struct):
    row: int
    field: str
    message: str


class ImportRow(msgspec.Struct):
    row: int
    action: str  # "create" | "update"
    full_name: str
    email: str
    errors: int


class ImportResult(msgspec.Struct):
    created: int
    updated: int
    errors: list[ImportRowError]
    rows: list[ImportRow]


class HeadcountIn(msgspec.Struct):
    total: int
    women: int = 0
    men: int = 0
    disadvantaged: int = 0


class Headcount(msgspec.Struct):
    """A cooperative's people in a calendar year (counts only)."""

    cooperative_id: int
    year: int
    total: int
    women: int
    men: int
    disadvantaged: int
