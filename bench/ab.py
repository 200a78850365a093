"""Interleaved A/B of two code trees on a busy machine: the same pages on two servers (``before``, a
``git archive`` of the base commit, and this tree) against the same, already generated database (a
``bench.run`` one: its demo logins, the register course of ``scenarios/attendance.py``). In every round
each page is sampled right after a ``/healthz`` sample of the same server, and the median ratio of the
rounds is reported: when ``/healthz`` itself swings tenfold within a run, one sample each is noise.

    git archive 9ec2f16 | tar -x -C /tmp/before
    BEFORE=/tmp/before ROLL=/sessions/<id>/attendance PDF=/courses/<id>/register.pdf \
        python -m bench.ab sqlite:////path/to/bench.sqlite3
    SERVER_ENV="TRAINING_HUB_CATALOGUE_CACHE_SECONDS=0 TRAINING_HUB_PAGE_MEMO_BYTES=0" …   # caches off
"""
import asyncio
import os
import statistics
import subprocess
import sys
from pathlib import Path

import httpx

_init = httpx.AsyncClient.__init__
def _patient(self, *a, **k):
    k.setdefault("timeout", 120)
    _init(self, *a, **k)
httpx.AsyncClient.__init__ = _patient
from bench.framework import BenchContext, Probe, run_timed
from bench.run import _free_port, wait_until_up

DB = sys.argv[1]
ROUNDS = int(os.environ.get("ROUNDS", "5"))
SECS = float(os.environ.get("SECS", "1.5"))
EXTRA = dict(pair.split("=", 1) for pair in os.environ.get("SERVER_ENV", "").split() if pair)
PDF = os.environ.get("PDF")
HERE = str(Path(__file__).resolve().parent.parent)
TREES = {"before": os.environ["BEFORE"], "after": HERE}

def start(tree, port):
    env = dict(os.environ, TRAINING_HUB_DATABASE_URL=DB, TRAINING_HUB_MODE="production", TRAINING_HUB_SECRET_KEY="k" * 64,
               TRAINING_HUB_LOG_LEVEL="WARNING", TRAINING_HUB_LOGIN_MAX_FAILURES="100000", PYTHONPATH=tree, **EXTRA)
    return subprocess.Popen([sys.executable, "-m", "uvicorn", "training_hub.app:create_app", "--factory",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"], env=env, cwd=tree)

async def main():
    servers = {}
    try:
        for name, tree in TREES.items():
            port = _free_port(); servers[name] = (start(tree, port), f"http://127.0.0.1:{port}")
        for _, url in servers.values():
            await wait_until_up(url, 60)
        probes = {}
        for name, (_, url) in servers.items():
            ctx = BenchContext(base_url=url, engine="", data={})
            worker, trainer = await ctx.session_cookie("worker@demo.test"), await ctx.session_cookie("trainer@demo.test")
            wb, tb = await ctx.bearer("worker@demo.test"), await ctx.bearer("trainer@demo.test")
            probes[name] = [
                Probe("profile", "/profile", headers=worker), Probe("home", "/", headers=worker),
                Probe("my enrolments", "/my/enrolments", headers=worker), Probe("course page", "/courses/6", headers=worker),
                Probe("API course", "/api/courses/6", headers=wb), Probe("API catalogue", "/api/courses", headers=wb),
                Probe("roll call", os.environ["ROLL"], headers=trainer),
            ] + ([Probe("register PDF", PDF, headers=tb)] if PDF else [])
        results = {}
        for r in range(ROUNDS):
            for name, (_, url) in servers.items():
                for probe in probes[name]:
                    secs = SECS * (3 if probe.name == "register PDF" else 1)
                    h = await run_timed(url, Probe("/healthz", "/healthz"), duration=SECS, concurrency=8)
                    p = await run_timed(url, probe, duration=secs, concurrency=8)
                    assert not p.errors, (name, probe.name, p.statuses)
                    results.setdefault((probe.name, name), []).append((p.rate / h.rate, p.rate, h.rate))
            print(f"round {r + 1} done", flush=True)
        print("| page | before ratio | after ratio | before → after /s (medians) |")
        for probe in probes["after"]:
            b = statistics.median(x[0] for x in results[(probe.name, "before")])
            a = statistics.median(x[0] for x in results[(probe.name, "after")])
            rate = statistics.median(x[1] for x in results[(probe.name, "after")])
            brate = statistics.median(x[1] for x in results[(probe.name, "before")])
            print(f"| {probe.name} | {b:.3f} | {a:.3f} | {brate:.1f} → {rate:.1f} |", flush=True)
    finally:
        for proc, _ in servers.values():
            proc.terminate(); proc.wait(10)

asyncio.run(main())
