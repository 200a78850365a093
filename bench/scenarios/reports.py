"""Reports: the training office's dashboard over the last twelve months and the next two (past courses
with registers and surveys, full courses with waiting lists: bench/reports_data.py), and the summary API."""

from datetime import date, timedelta

from bench.framework import BenchContext, Probe


async def probes(ctx: BenchContext) -> list[Probe]:
    today = date.today()
    period = f"from={(today - timedelta(days=365)).isoformat()}&to={(today + timedelta(days=60)).isoformat()}"
    cookie = await ctx.session_cookie("admin@demo.test")
    token = await ctx.bearer("admin@demo.test")
    return [
        Probe(name="office dashboard /reports (admin, 14 months)", path=f"/reports?{period}", headers=cookie),
        Probe(name="summary API /api/reports/summary (admin)", path=f"/api/reports/summary?{period}", headers=token),
    ]
