import cProfile, pstats, time, io
from types import SimpleNamespace
from tests.factories import make_person, make_cooperative, make_path
from tests.support import bearer
from bench.scenarios import funding as bench_funding

async def test_profile(client):
    await make_path()
    coop = await make_cooperative()
    trainer = await make_person("trainer")
    workers = [(await make_person("worker", cooperative=coop)).id for _ in range(500)]
    admin = await make_person("admin")
    ctx = SimpleNamespace(data={"worker_ids": workers, "people": {"trainer@demo.test": trainer.id}})
    plan_id = await bench_funding.build_plan(ctx)
    headers = await bearer(admin)
    url = f"/api/funded-plans/{plan_id}/closing-report"
    await client.get(url, headers=headers)
    best = 1e9
    for _ in range(15):
        t = time.perf_counter()
        await client.get(url, headers=headers)
        best = min(best, time.perf_counter() - t)
    print("best ms", best * 1000)
    pr = cProfile.Profile(); pr.enable()
    for _ in range(5):
        await client.get(url, headers=headers)
    pr.disable()
    s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(45); print(s.getvalue()[:9000])
