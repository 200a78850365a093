"""The bilancio sociale's training section, per cooperative or for the whole consortium, and the
consortium's public yearly account to the community.

Rules kept here, and why:

* **Who sees what.** The training office sees any cooperative, or the consortium as a whole (no
  cooperative chosen); a coordinator sees their own cooperative only (another one's is refused, not
  silently swapped); nobody else opens it. Costs come from the gross hourly costs of the funded plans,
  which are for admins only (``funding/tables.py``): only the office sees them.
* **One year, the calendar year** (D.M. 4 luglio 2019: the bilancio sociale covers the financial year,
  which for the consortium's cooperatives is the calendar year). A year is typed as four digits, from
  :data:`FIRST_YEAR` to the current one: anything else is a mistake shown next to the field.
* **The public account** (no login) covers a whole year or one of its quarters, the consortium as a
  whole, no name of any person or cooperative, no cost; people-side figures only in groups of at least
  5 (:data:`MIN_GROUP`): smaller path-kind and area groups are merged into "altri" with the inclusion
  feature's rule (``inclusion.rules.merge_small_groups``), a quarter or a total under 5 people prints
  "< 5". Of special-category data only the aggregate of the people on inclusion pathways appears, and
  only when they are at least 5 (in the office's and coordinators' reports too).
* Every figure comes from :mod:`.social_figures` (what each counts is written there and on the page);
  the page, the XLSX and the PDF all print this module's :class:`SocialReport`, so they cannot differ.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from training_hub.calendars.cache import VersionMemo
from training_hub.core.errors import NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import (
    N_,
    format_hours,
    format_number,
    format_percentage,
    get_language,
    gettext,
    ngettext,
)
from training_hub.core.identity import CurrentUser
from training_hub.core.labels import AREA_LABELS, PATH_KIND_LABELS, label
from training_hub.core.settings import get_settings
from training_hub.core.sql import Period
from training_hub.core.tables import PathKind, Role
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.inclusion import rules as inclusion_rules
from training_hub.inclusion.aggregates import count_rows
from training_hub.planning import social_figures as q
from training_hub.planning.social_figures import LEGAL_SOURCE

FIRST_YEAR = 2000
MIN_GROUP = inclusion_rules.MIN_GROUP
OTHER = inclusion_rules.OTHER_GROUP  # "altri"
SUPPRESSED = "<5"
YEAR_MESSAGE = N_("Anno non valido: scrivi un anno di quattro cifre dal 2000 a quello in corso (per esempio 2025).")
QUARTER_MESSAGE = N_("Trimestre non valido: scegli da 1 a 4, o lascia vuoto per l'anno intero.")
NO_ACCESS = N_("Il bilancio sociale della formazione è riservato all'ufficio formazione e ai coordinatori.")
OTHER_COOPERATIVE = N_("Puoi vedere solo i dati della tua cooperativa.")


@dataclass
class Figure:
    key: str
    label: str  # an Italian msgid
    value: Any
    kind: str  # minutes | int | percent | rating | euro
    note: str = ""  # an Italian msgid: what the figure counts


@dataclass
class Column:
    key: str
    label: str
    kind: str  # text | kind | area | quarter | minutes | int | percent | rating


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    note: str = ""
    chart: tuple[str, str] | None = None  # (label column, value column) of the bar chart


@dataclass
class SocialReport:
    year: int
    quarter: int | None
    cooperative_id: int | None
    cooperative_name: str | None
    public: bool
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source: str = LEGAL_SOURCE

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


# Input ------------------------------------------------------------------------------------------


def parse_year(raw: str | None, *, today: date | None = None) -> int:
    """The calendar year asked for; by default the current one."""
    today = today or to_rome(utcnow()).date()
    text = (raw or "").strip()
    if not text:
        return today.year
    if not (len(text) == 4 and text.isascii() and text.isdigit()) or not FIRST_YEAR <= int(text) <= today.year:
        raise ValidationFailed(YEAR_MESSAGE, field="year")
    return int(text)


def parse_quarter(raw: str | None) -> int | None:
    text = (raw or "").strip()
    if not text:
        return None
    if text not in ("1", "2", "3", "4"):
        raise ValidationFailed(QUARTER_MESSAGE, field="quarter")
    return int(text)


def window_of(year: int, quarter: int | None = None) -> Period:
    if quarter is None:
        return Period(date(year, 1, 1), date(year, 12, 31))
    first = date(year, 3 * quarter - 2, 1)
    following = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return Period(first, date.fromordinal(following.toordinal() - 1))


def may_open(user: CurrentUser) -> bool:
    return user.is_admin or (user.has_role(Role.COORDINATOR) and user.cooperative_id is not None)


def resolve_cooperative(user: CurrentUser, cooperative_id: int | None) -> int | None:
    """The cooperative whose figures ``user`` gets; None for the consortium as a whole (the office only)."""
    if not may_open(user):
        raise PermissionDenied(NO_ACCESS)
    if user.is_admin:
        return cooperative_id
    if cooperative_id is not None and cooperative_id != user.cooperative_id:
        raise PermissionDenied(OTHER_COOPERATIVE)
    return user.cooperative_id


# Services ---------------------------------------------------------------------------------------


# A report is reused by the worker that computed it for ``social_report_cache_seconds`` (60 by default, 0
# in the tests), as long as this worker writes nothing (``core/cache.py``): the office looking at the
# consolidated year, then its XLSX and PDF, computes it once. Another worker's change shows at most that
# late (at once on PostgreSQL, where writes are announced between instances).
REPORTS = VersionMemo(max_entries=128)


def report_cache_seconds() -> int:
    settings = get_settings()
    return 0 if settings.mode == "test" else settings.social_report_cache_seconds


async def social_report(user: CurrentUser, year: int, cooperative_id: int | None = None,
                        now: datetime | None = None) -> SocialReport:
    """The training figures of ``year`` for one cooperative, or consolidated: three statements."""
    cooperative_id = resolve_cooperative(user, cooperative_id)
    # The language too: the warnings and the inclusion table's labels are written when the report is built.
    key = ("report", year, cooperative_id, user.is_admin, get_language())
    if now is None and (cached := REPORTS.get(key)) is not None:
        return cached
    report = await _compute(user, year, cooperative_id, now or utcnow())
    REPORTS.put(key, report, report_cache_seconds())
    return report


async def _compute(user: CurrentUser, year: int, cooperative_id: int | None, now: datetime) -> SocialReport:
    heads = await q.headcounts(year, cooperative_id)
    if cooperative_id is not None and not heads:
        raise NotFound(N_("Cooperativa non trovata."))
    window = window_of(year)
    rows = await q.register_figures(window, now, cooperative_id)
    inclusion = await q.inclusion_rows(window, cooperative_id)
    return build_report(rows, heads, inclusion, year=year, quarter=None, cooperative_id=cooperative_id,
                        show_costs=user.is_admin, public=False)


async def public_account(year: int, quarter: int | None = None, now: datetime | None = None) -> SocialReport:
    """The consortium's account to the community: whole year or quarter, aggregates of at least 5."""
    now = now or utcnow()
    window = window_of(year, quarter)
    heads = await q.headcounts(year)
    rows = await q.register_figures(window, now)
    inclusion = await q.inclusion_rows(window)
    return build_report(rows, heads, inclusion, year=year, quarter=quarter, cooperative_id=None,
                        show_costs=False, public=True)


# The public account needs no login: each worker keeps a computed account PUBLIC_CACHE_SECONDS per period
# (and its PDF per period and language), and computes one at a time (a few statements each: see the
# benchmark). Only whole years and quarters that have begun exist, so the keys are few.
PUBLIC_CACHE_SECONDS = 300
PUBLIC_ACCOUNTS = VersionMemo(max_entries=256)
_public_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()
NOT_BEGUN = N_("Questo trimestre non è ancora iniziato.")


def public_cache_seconds() -> int:
    # In the tests every request computes afresh: the data changes from one test to the next.
    return 0 if get_settings().mode == "test" else PUBLIC_CACHE_SECONDS


async def cached_public_account(year: int, quarter: int | None, client: str = "",
                                today: date | None = None) -> SocialReport:
    """:func:`public_account` for a year or a quarter that has begun, reused for a few minutes."""
    today = today or to_rome(utcnow()).date()
    if window_of(year, quarter).first > today:
        raise ValidationFailed(NOT_BEGUN, field="quarter")
    key = ("account", year, quarter, get_language())
    if (report := PUBLIC_ACCOUNTS.get(key)) is not None:
        return report
    loop = asyncio.get_running_loop()
    lock = _public_locks.get(loop) or _public_locks.setdefault(loop, asyncio.Lock())
    async with lock:
        if (report := PUBLIC_ACCOUNTS.get(key)) is not None:
            return report
        report = await public_account(year, quarter)
        PUBLIC_ACCOUNTS.put(key, report, public_cache_seconds())
    return report


def published_accounts(today: date | None = None) -> list[tuple[str, str]]:
    """Links of the public account (label, query): this year and the last, and their quarters begun."""
    today = today or to_rome(utcnow()).date()
    links = []
    for year in (today.year, today.year - 1):
        links.append((period_label(year, None), f"year={year}"))
        for quarter in range(1, 5):
            if window_of(year, quarter).first <= today:
                links.append((period_label(year, quarter), f"year={year}&quarter={quarter}"))
    return links


# Assembly (pure) --------------------------------------------------------------------------------


def _by(rows: list[dict[str, Any]], dim: str) -> dict[str, dict[str, Any]]:
    return {str(row["key"]): row for row in rows if row["dim"] == dim}


def _euro(cost_minutes: Any) -> Decimal | None:
    if cost_minutes is None:
        return None
    return (Decimal(str(cost_minutes)) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _people(value: int, public: bool) -> Any:
    return SUPPRESSED if public and 0 < value < MIN_GROUP else value


def _group_rows(groups: dict[str, dict[str, Any]], keys: list[str], public: bool) -> list[dict[str, Any]]:
    """Rows per key with hours and people; in public, groups under 5 people merged into "altri"."""
    rows = [{"key": key, "minutes": int(groups[key]["minutes"]), "people": int(groups[key]["people"])}
            for key in keys if key in groups]
    if not public:
        return rows
    merged = inclusion_rules.merge_small_groups([(row["key"], row["people"]) for row in rows])
    by_key = {row["key"]: row for row in rows}
    shown = []
    for group in merged:
        members = [by_key[key] for key in group.keys]
        shown.append({"key": group.key, "minutes": sum(r["minutes"] for r in members), "people": group.count})
    return shown


def _share_rows(rows: list[dict[str, Any]], total_minutes: int) -> list[dict[str, Any]]:
    for row in rows:
        row["share"] = _ratio(row["minutes"], total_minutes)
    return rows


def _inclusion(inclusion: list[dict[str, Any]], year: int) -> tuple[list[Figure], Table | None]:
    people: dict[int, int] = {}
    for row in inclusion:
        people[row["person"]] = int(row["minutes"])
    count = len(people)
    trained = sum(1 for minutes in people.values() if minutes > 0)
    untrained = count - trained
    shown = count >= MIN_GROUP
    # The trained/untrained split only when neither side is a small group someone could be picked from.
    split = shown and trained >= MIN_GROUP and (untrained == 0 or untrained >= MIN_GROUP)
    note = N_("Persone con un percorso di inclusione attivo nel periodo (L. 381/1991 art. 4): dati aggregati, "
              "mostrati solo per gruppi di almeno 5 persone.")
    figures = [
        Figure("inclusion_people", N_("Persone in percorsi di inclusione"), count if shown else SUPPRESSED, "int",
               note),
        Figure("inclusion_trained", N_("di cui con ore di formazione"), trained if split else SUPPRESSED, "int"),
        Figure("inclusion_minutes", N_("Ore di formazione delle persone in percorsi di inclusione"),
               sum(people.values()) if shown else SUPPRESSED, "minutes"),
    ]
    counts = count_rows(inclusion, year)
    if counts.total is None or not counts.by_type:
        return figures, None
    table = Table("inclusion", N_("Percorsi di inclusione per tipo"),
                  [Column("label", N_("Tipo di percorso di inclusione"), "text"), Column("count", N_("Percorsi"), "int")],
                  [{"label": line.label, "count": line.count} for line in counts.by_type],
                  note=N_("I tipi con meno di 5 percorsi sono uniti nella riga «altri»."))
    return figures, table


def build_report(rows: list[dict[str, Any]], heads: list[dict[str, Any]], inclusion: list[dict[str, Any]], *, year: int, quarter: int | None, cooperative_id: int | None,
                 show_costs: bool, public: bool) -> SocialReport:
    """Every figure and table of the section, from the rows of :mod:`.social_figures`."""
    name = heads[0]["name"] if cooperative_id is not None and heads else None
    report = SocialReport(year, quarter, cooperative_id, name, public)
    total = _by(rows, "total").get("", {"minutes": 0, "people": 0, "courses": 0, "cost_minutes": None, "costed": 0})
    minutes, people = int(total["minutes"]), int(total["people"])
    per_cooperative = _by(rows, "cooperative")
    counted = [h for h in heads if h["headcount"] is not None]
    headcount = sum(int(h["headcount"]) for h in counted)
    counted_ids = {str(h["id"]) for h in counted}
    minutes_counted = sum(int(r["minutes"]) for key, r in per_cooperative.items() if key in counted_ids)
    people_counted = sum(int(r["people"]) for key, r in per_cooperative.items() if key in counted_ids)
    mandatory = _by(rows, "mandatory")
    per_worker = _ratio(minutes_counted, headcount)

    figures = [
        Figure("minutes", N_("Ore di formazione (dai registri)"), minutes, "minutes",
               N_("I minuti di presenza scritti nei registri, sommati: ore-persona, due persone a una lezione "
                  "di 3 ore fanno 6 ore.")),
        Figure("people", N_("Persone formate"), _people(people, public), "int",
               N_("Persone distinte con almeno un minuto di presenza nel periodo.")),
        Figure("courses", N_("Corsi frequentati"), int(total["courses"]), "int",
               N_("Corsi distinti con almeno un minuto di presenza nel periodo.")),
        Figure("headcount", N_("Lavoratori (organico dell'anno)"), headcount if counted else None, "int",
               N_("L'organico inserito per l'anno (cooperative che lo hanno inserito).")),
        Figure("minutes_per_worker", N_("Ore di formazione per lavoratore"),
               round(per_worker) if per_worker is not None else None, "minutes",
               N_("Ore delle cooperative con l'organico inserito, divise per l'organico.")),
        Figure("share_trained", N_("Lavoratori formati sull'organico"),
               None if public and people_counted < MIN_GROUP else _ratio(people_counted, headcount), "percent",
               N_("Persone formate delle cooperative con l'organico inserito, divise per l'organico.")),
        Figure("mandatory_minutes", N_("Ore obbligatorie (sicurezza)"),
               int(mandatory.get("1", {"minutes": 0})["minutes"]), "minutes",
               N_("Corsi sulla sicurezza con un tipo di corso (D.Lgs. 81/2008 art. 37).")),
        Figure("voluntary_minutes", N_("Ore non obbligatorie"), int(mandatory.get("0", {"minutes": 0})["minutes"]),
               "minutes", N_("Tutte le altre ore di formazione.")),
    ]
    if show_costs:
        figures += [
            Figure("cost", N_("Costo del personale in formazione"), _euro(total["cost_minutes"]) or Decimal("0.00"),
                   "euro", N_("Ore di presenza per il costo orario lordo registrato nei piani finanziati; i corsi "
                              "non hanno un costo proprio.")),
            Figure("costed_minutes", N_("Ore con costo orario noto"), int(total["costed"]), "minutes"),
        ]
    sat = _by(rows, "satisfaction").get("", {"minutes": 0, "people": 0, "cost_minutes": 0})
    ratings = int(sat["minutes"])
    figures += [
        Figure("satisfaction", N_("Soddisfazione media (1-5)"),
               int(sat["cost_minutes"]) / ratings if ratings else None, "rating",
               N_("Domanda sulla soddisfazione complessiva dei questionari chiusi con almeno 5 risposte.")),
        Figure("responses", N_("Risposte ai questionari"), int(sat["people"]), "int"),
    ]
    inclusion_figures, inclusion_table = _inclusion(inclusion, year)
    report.figures = figures + inclusion_figures

    hours_column = Column("minutes", N_("Ore di formazione"), "minutes")
    people_column = Column("people", N_("Persone formate"), "int")
    share_column = Column("share", N_("Quota delle ore"), "percent")
    kinds = _share_rows(_group_rows(_by(rows, "kind"), [k.value for k in PathKind], public), minutes)
    areas_keys = [*AREA_LABELS, ""]
    areas = _share_rows(_group_rows(_by(rows, "area"), areas_keys, public), minutes)
    report.tables = [
        Table("kind", N_("Ore per tipo di percorso"), [Column("key", N_("Tipo di percorso"), "kind"), hours_column,
              people_column, share_column], kinds, chart=("key", "minutes"),
              note=N_("Chi si è formato in più tipi di percorso conta in ciascuno.")),
        Table("area", N_("Ore per area di lavoro"), [Column("key", N_("Area di lavoro"), "area"), hours_column,
              people_column, share_column], areas, chart=("key", "minutes"),
              note=N_("L'area di lavoro della persona.")),
        Table("mandatory", N_("Ore obbligatorie e non obbligatorie"),
              [Column("key", N_("Formazione"), "mandatory"), hours_column, people_column, share_column],
              _share_rows([{"key": key, "minutes": int(mandatory[key]["minutes"]),
                            "people": _people(int(mandatory[key]["people"]), public)}
                           for key in ("1", "0") if key in mandatory], minutes), chart=("key", "minutes")),
    ]
    if quarter is None:
        quarters = _by(rows, "quarter")
        quarter_rows = []
        for n in range(1, 5):
            row = quarters.get(str(n), {"minutes": 0, "people": 0})
            few = public and 0 < int(row["people"]) < MIN_GROUP
            quarter_rows.append({"key": n, "minutes": SUPPRESSED if few else int(row["minutes"]),
                                 "people": SUPPRESSED if few else int(row["people"])})
        report.tables.append(Table("quarter", N_("Ore per trimestre"),
                                   [Column("key", N_("Trimestre"), "quarter"), hours_column, people_column],
                                   quarter_rows, chart=("key", "minutes")))
    if cooperative_id is None and not public:
        report.tables.append(_cooperative_table(heads, per_cooperative))
    if inclusion_table is not None:
        report.tables.append(inclusion_table)
    report.warnings = _warnings(heads, counted, people_counted, headcount, cooperative_id, public)
    return report


def _cooperative_table(heads: list[dict[str, Any]], per_cooperative: dict[str, dict[str, Any]]) -> Table:
    rows = []
    for head in heads:
        figures = per_cooperative.get(str(head["id"]), {"minutes": 0, "people": 0})
        if not head["active"] and not int(figures["minutes"]):
            continue
        count = head["headcount"]
        rows.append({
            "key": head["name"], "headcount": count, "people": int(figures["people"]),
            "share_trained": _ratio(int(figures["people"]), count) if count else None,
            "minutes": int(figures["minutes"]),
            "minutes_per_worker": round(int(figures["minutes"]) / count) if count else None,
        })
    return Table("cooperatives", N_("Per cooperativa"), [
        Column("key", N_("Cooperativa"), "text"), Column("headcount", N_("Organico"), "int"),
        Column("people", N_("Persone formate"), "int"), Column("share_trained", N_("Formati sull'organico"), "percent"),
        Column("minutes", N_("Ore di formazione"), "minutes"),
        Column("minutes_per_worker", N_("Ore per lavoratore"), "minutes"),
    ], rows, chart=("key", "minutes"))


def _warnings(heads: list[dict[str, Any]], counted: list[dict[str, Any]], people_counted: int, headcount: int,
              cooperative_id: int | None, public: bool) -> list[str]:
    if public:
        return []
    warnings = []
    if cooperative_id is not None and not counted:
        warnings.append(gettext("L'organico dell'anno non è stato inserito: ore per lavoratore e quota di lavoratori "
                                "formati non si possono calcolare."))
    elif cooperative_id is None and len(counted) < len([h for h in heads if h["active"]]):
        missing = len([h for h in heads if h["active"] and h["headcount"] is None])
        warnings.append(ngettext(
            "%(num)d cooperativa attiva non ha inserito l'organico dell'anno: è esclusa da ore per lavoratore e "
            "quota di lavoratori formati.",
            "%(num)d cooperative attive non hanno inserito l'organico dell'anno: sono escluse da ore per "
            "lavoratore e quota di lavoratori formati.", missing) % {"num": missing})
    if headcount and people_counted > headcount:
        warnings.append(gettext("Le persone formate sono più dell'organico inserito: controlla l'organico dell'anno."))
    return warnings


# Showing values -----------------------------------------------------------------------------------

MANDATORY_LABELS = {"1": N_("Obbligatoria (sicurezza)"), "0": N_("Non obbligatoria")}


def label_text(value: Any, kind: str) -> str:
    if value == OTHER:
        return gettext("Altri")
    if kind == "kind":
        return label(PATH_KIND_LABELS, value)
    if kind == "area":
        return label(AREA_LABELS, value) if value else gettext("Area non indicata")
    if kind == "mandatory":
        return gettext(MANDATORY_LABELS[str(value)])
    if kind == "quarter":
        return gettext("%(n)d° trimestre") % {"n": int(value)}
    return str(value)


UNITS = {"minutes": N_("ore"), "int": N_("numero"), "percent": "%", "rating": N_("media 1-5"), "euro": "€"}


def format_value(value: Any, kind: str) -> str:
    """A figure or cell as the page and the PDF print it (the XLSX keeps numbers: :func:`sheet_value`)."""
    if value == SUPPRESSED:
        return "< 5"
    if kind in ("kind", "area", "mandatory", "quarter", "text"):
        return label_text(value, kind)
    if value is None:
        return "—"
    if kind == "minutes":
        return format_hours(int(value))
    if kind == "int":
        return format_number(int(value))
    if kind == "percent":
        return format_percentage(float(value), 1)
    if kind == "rating":
        return format_number(float(value), 1)
    if kind == "euro":
        return f"{format_number(Decimal(value), 2)} €"
    return str(value)


def sheet_value(value: Any, kind: str) -> tuple[Any, str | None]:
    """A figure or cell in the XLSX: a number with its format (hours as decimal hours), or a text."""
    if value == SUPPRESSED:
        return "< 5", None
    if kind in ("kind", "area", "mandatory", "quarter", "text"):
        return label_text(value, kind), None
    if value is None:
        return None, None
    if kind == "minutes":
        return round(int(value) / 60, 2), "#,##0.00"
    if kind == "int":
        return int(value), "#,##0"
    if kind == "percent":
        return round(float(value), 4), "0.0%"
    if kind == "rating":
        return round(float(value), 2), "0.0"
    if kind == "euro":
        return float(value), "#,##0.00"
    return str(value), None


def column_label(column: Column) -> str:
    """A table column's heading on the page and in the PDF (the cells carry their unit)."""
    return gettext(column.label)


def unit_of(kind: str) -> str:
    return gettext(UNITS[kind]) if kind in UNITS else ""


def period_label(year: int, quarter: int | None) -> str:
    if quarter is None:
        return gettext("Anno %(year)d") % {"year": year}
    return gettext("%(n)d° trimestre %(year)d") % {"n": quarter, "year": year}


def scope_label(report: SocialReport) -> str:
    if report.cooperative_name:
        return report.cooperative_name
    return gettext("Consorzio Sociale Light: tutte le cooperative")
