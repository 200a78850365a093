"""The bilancio sociale's training section (planning/social_report.py): the consolidated report of the
year for the office (page and XLSX), one cooperative's for its coordinator, and the public account.

On the scale data (50 cooperatives, 20,000 people, 2,000 courses, plus the reports section's 500 past
courses with 45,000 register rows): a headcount for the year is entered here for every cooperative, and
40 inclusion pathways, so every part of the report has something to add up. The public account is served
from its cache after the first request (as in production); the probes of the office's report are not.
"""

from __future__ import annotations

from datetime import date

from bench.framework import BenchContext, Probe
from training_hub.core.db import fetch_all, write_transaction
from training_hub.core.tables import CooperativeHeadcount
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.inclusion.tables import InclusionPathway

PATHWAYS = 40


async def prepare(ctx: BenchContext, year: int) -> None:
    present = {row["cooperative"] for row in await fetch_all(
        "SELECT cooperative FROM cooperative_headcount WHERE year = {}", year)}
    rows = [CooperativeHeadcount(cooperative=cid, year=year, total=400 + 7 * n, women=250, men=150 + 7 * n)
            for n, cid in enumerate(ctx.data["cooperative_ids"]) if cid not in present]
    pathways = await fetch_all("SELECT COUNT(*) AS n FROM inclusion_pathway")
    people = await fetch_all("SELECT id, cooperative FROM person WHERE cooperative IS NOT NULL ORDER BY id LIMIT {}",
                             PATHWAYS)
    async with write_transaction():
        if rows:
            await CooperativeHeadcount.insert(*rows)
        if not pathways[0]["n"]:
            await InclusionPathway.insert(*[
                InclusionPathway(person=p["id"], pathway_type="tirocinio_inclusione", host_cooperative=p["cooperative"],
                                 eligibility_category="invalidi_fisici", starts_on=date(year, 1, 15))
                for p in people])


async def probes(ctx: BenchContext) -> list[Probe]:
    year = to_rome(utcnow()).year
    await prepare(ctx, year)
    admin = await ctx.session_cookie("admin@demo.test")
    coordinator = await ctx.session_cookie("coordinator@demo.test")
    return [
        Probe(name="social report, consolidated (admin)", path=f"/reports/social-report?year={year}", headers=admin),
        Probe(name="social report XLSX, consolidated (admin)", path=f"/reports/social-report.xlsx?year={year}",
              headers=admin),
        Probe(name="social report, one cooperative (coordinator)", path=f"/reports/social-report?year={year}",
              headers=coordinator),
        Probe(name="public yearly account (anonymous, cached)", path=f"/public/account?year={year}"),
    ]
