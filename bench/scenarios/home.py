"""The home page of a logged-in worker."""

from bench.framework import BenchContext, Probe


async def probes(ctx: BenchContext) -> list[Probe]:
    cookie = await ctx.session_cookie("worker@demo.test")
    return [Probe(name="home page (worker)", path="/", headers=cookie)]
