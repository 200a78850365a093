"""The refresh tracker (scadenzario): the cooperative's list and the office's list at the default scale.

The generator's safety section (``bench/safety_data.py``) gives every bench worker roles and attestati.
The cooperative list is the demo coordinator's (the first cooperative, about 400 people and 650 rows,
computed whole: it is sorted by status); the office's list covers 20,000 people: without a status filter
only the page's 25 people are computed, with one every person is (kept in the short-lived read cache).
"""

from __future__ import annotations

from bench.framework import BenchContext, Probe

ADMIN = "admin@demo.test"
COORDINATOR = "coordinator@demo.test"
WORKER = "worker@demo.test"


async def probes(ctx: BenchContext) -> list[Probe]:
    cooperative_id = ctx.data["cooperative_ids"][0]
    coordinator = await ctx.session_cookie(COORDINATOR)
    admin = await ctx.session_cookie(ADMIN)
    worker = await ctx.session_cookie(WORKER)
    api = await ctx.bearer(COORDINATOR)
    note = f"{ctx.data.get('safety_roles', 0)} roles, {ctx.data.get('safety_trainings', 0)} attestati"
    return [
        Probe(name="safety: cooperative list page (coordinator)", path=f"/cooperatives/{cooperative_id}/safety-status",
              headers=coordinator, note=note),
        Probe(name="safety: cooperative list API (coordinator)", path=f"/api/cooperatives/{cooperative_id}/safety-status",
              headers=api),
        Probe(name="safety: office list, first page", path="/safety/status", headers=admin, note="20,000 people"),
        Probe(name="safety: office list, page 40", path="/safety/status?page=40", headers=admin),
        Probe(name="safety: office list, one cooperative", path=f"/safety/status?cooperative_id={cooperative_id}",
              headers=admin),
        Probe(name="safety: office list, overdue only", path="/safety/status?status=overdue", headers=admin,
              note="every person computed, then cached"),
        Probe(name="safety: my mandatory training (worker)", path="/my/safety", headers=worker),
    ]
