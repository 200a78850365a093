"""Run the benchmarks: ``make bench`` or ``python -m bench.run [--database-url …] [--scale small]``.

A fresh database, the scale generator, one server process (uvicorn, one worker by default) on a free
port; then each scenario is measured right after ``/healthz`` on the same server, and reported as a
ratio to it. Figures are appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import pkgutil
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
SLOW_SECONDS = 1.0  # a probe whose first request takes longer is measured by that request alone
# The read caches that a write empties (issue 21 asks for figures without them too), and the pages'
# rendering memo (web/memo.py, from the perf-pages work; a setting the server does not know is ignored).
UNCACHED = ("TRAINING_HUB_CATALOGUE_CACHE_SECONDS=0", "TRAINING_HUB_FEED_VERSION_TTL=0",
            "TRAINING_HUB_PAGE_MEMO_BYTES=0")


def format_ratio(ratio: float) -> str:
    """Two decimals, or four for heavy probes (a register is thousands of times a /healthz)."""
    return f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.4f}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("TRAINING_HUB_BENCH_DATABASE_URL"),
                        help="PostgreSQL URL of a throw-away database (its public schema is dropped); default SQLite")
    parser.add_argument("--scale", choices=["small", "default", "large"], default="default")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per timed probe")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--scenarios", default="", help="comma-separated scenario modules (default: all)")
    parser.add_argument("--no-write", action="store_true", help="do not append to bench/RESULTS.md")
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                        help="a TRAINING_HUB_* setting for the server (repeatable), e.g. "
                             "TRAINING_HUB_CATALOGUE_CACHE_SECONDS=0 to measure without the catalogue caches")
    parser.add_argument("--uncached", default="", metavar="SCENARIOS",
                        help="comma-separated scenario modules measured a second time, on a server restarted with "
                             "the read caches off (" + " ".join(UNCACHED) + "), on the same data")
    parser.add_argument("--probes", default="", help="comma-separated words: only the probes whose name has one")
    parser.add_argument("--uncached-probes", default="", help="the same, for the --uncached pass")
    parser.add_argument("--rounds", type=int, default=1,
                        help="split each probe's --duration into N alternating windows of /healthz and the probe; "
                             "the ratio is the median of the rounds' (steadier on a shared machine)")
    parser.add_argument("--label", default="", help="a few words for the results' heading (e.g. 'before issue 21')")
    parser.add_argument("--json", default="", metavar="PATH",
                        help="also append the run's figures, statements per request included, as one JSON line")
    parser.add_argument("--no-statements", action="store_true",
                        help="do not count the SQL statements of each GET probe (bench/statements.py)")
    return parser.parse_args(argv)


async def prepare_database(scale_name: str) -> dict:
    from bench.generate import Scale, generate
    from tests.support import reset_database
    from training_hub.core.db import get_engine, start_engine, stop_engine

    engine = get_engine()
    await reset_database(engine)
    started = await start_engine(engine, bounded=False)  # bulk generation, not a request
    try:
        begun = time.perf_counter()
        data = await generate(Scale.named(scale_name))
        data["generate_seconds"] = time.perf_counter() - begun
    finally:
        await stop_engine(engine, started=started)
    return data


def server_settings(pairs: list[str]) -> dict[str, str]:
    """``--server-env NAME=VALUE`` pairs: only Training Hub's own settings."""
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.startswith("TRAINING_HUB_"):
            raise SystemExit(f"--server-env {pair!r}: expected TRAINING_HUB_NAME=VALUE")
        settings[name] = value
    return settings


def server_environment(database_url: str, settings: dict[str, str] | None = None) -> dict[str, str]:
    """The server's TRAINING_HUB_* settings (the statement count builds the same app with them). The
    secret key is the bench process's own, so a restarted server keeps the run's sessions and tokens."""
    env = dict(
        TRAINING_HUB_DATABASE_URL=database_url,
        TRAINING_HUB_MODE="production",
        TRAINING_HUB_SECRET_KEY=os.environ.get("TRAINING_HUB_SECRET_KEY") or secrets.token_urlsafe(48),
        TRAINING_HUB_LOG_LEVEL="WARNING",
        TRAINING_HUB_LOGIN_MAX_FAILURES="1000",
    )
    env.update(settings or {})
    return env


def start_server(database_url: str, port: int, workers: int, settings: dict[str, str] | None = None) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(server_environment(database_url, settings))
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "training_hub.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        env=env,
    )


async def wait_until_up(base_url: str, timeout: float = 30.0) -> None:
    import httpx

    deadline = time.perf_counter() + timeout
    async with httpx.AsyncClient(base_url=base_url) as client:
        while time.perf_counter() < deadline:
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the server did not start")


def scenario_modules(selected: str) -> list:
    import bench.scenarios

    names = sorted(info.name for info in pkgutil.iter_modules(bench.scenarios.__path__))
    if selected:
        wanted = [name.strip() for name in selected.split(",") if name.strip()]
        names = [name for name in names if name in wanted]
    return [importlib.import_module(f"bench.scenarios.{name}") for name in names]


async def measure(args: argparse.Namespace, base_url: str, engine: str, data: dict, *, scenarios: str = "",
                  suffix: str = "", ctx=None, probes: list[str] | None = None) -> tuple[list[tuple], list]:
    """Each probe of the scenarios right after /healthz; the rows for the table, and the probes.
    ``probes``: only those whose name contains one of these words."""
    from bench.framework import BenchContext, Probe, run_batch, run_timed

    ctx = ctx or BenchContext(base_url=base_url, engine=engine, data=data)
    ctx.base_url = base_url
    healthz = Probe(name="/healthz", path="/healthz")
    # Warm up: imports, template compilation, connection pools.
    await run_timed(base_url, healthz, duration=1.0, concurrency=args.concurrency)
    rows = []
    measured = []
    for module in scenario_modules(scenarios):
        for probe in await module.probes(ctx):
            if probes and not any(part in probe.name for part in probes):
                continue
            probe.name += suffix
            measured.append(probe)
            if probe.batch is not None:
                baseline = await run_timed(base_url, healthz, duration=args.duration, concurrency=args.concurrency)
                result = await run_batch(base_url, probe, concurrency=args.concurrency)
                ratio = result.rate / baseline.rate if baseline.rate else 0.0
            elif args.rounds > 1:
                result, baseline, ratio = await alternate(base_url, probe, healthz, args)
            else:
                baseline = await run_timed(base_url, healthz, duration=args.duration, concurrency=args.concurrency)
                await run_timed(base_url, probe, duration=min(1.0, args.duration), concurrency=args.concurrency)
                result = await run_timed(base_url, probe, duration=args.duration, concurrency=args.concurrency)
                ratio = result.rate / baseline.rate if baseline.rate else 0.0
            rows.append((probe.name, result, baseline, ratio))
            status = ", ".join(f"{code}×{count}" for code, count in sorted(result.statuses.items()))
            print(f"  {probe.name:<45} {result.rate:9.1f}/s  /healthz {baseline.rate:9.1f}/s  "
                  f"ratio {format_ratio(ratio):>6}  [{status}] {result.note}", flush=True)
            if result.errors:
                print(f"    ! {result.errors} unexpected responses", flush=True)
    return rows, measured


async def alternate(base_url: str, probe, healthz, args: argparse.Namespace) -> tuple:
    """``--rounds N``: /healthz and the probe in N alternating windows of ``duration / N`` seconds each;
    the ratio is the median of the N rounds' ratios. On a machine shared with other work the load
    swings within seconds, and a ratio of two windows taken side by side, repeated, is steadier than
    one long window of each."""
    import statistics

    from bench.framework import ProbeResult, run_timed

    window = args.duration / args.rounds
    baseline = await run_timed(base_url, healthz, duration=window, concurrency=args.concurrency)
    first = await run_timed(base_url, probe, duration=0, concurrency=1)  # one request: warms up, and times
    if first.seconds > SLOW_SECONDS:
        # A request of several seconds: eight at once would hold each window for eight times that (one
        # worker serves them in turn), and a warm-up is lost in it. That one request is the measure.
        return first, baseline, first.rate / baseline.rate if baseline.rate else 0.0
    results, baselines, ratios = [], [], []
    for _ in range(args.rounds):
        baselines.append(await run_timed(base_url, healthz, duration=window, concurrency=args.concurrency))
        results.append(await run_timed(base_url, probe, duration=window, concurrency=args.concurrency))
        ratios.append(results[-1].rate / baselines[-1].rate if baselines[-1].rate else 0.0)

    def total(parts: list) -> ProbeResult:
        statuses: dict[int, int] = {}
        for part in parts:
            for code, count in part.statuses.items():
                statuses[code] = statuses.get(code, 0) + count
        return ProbeResult(parts[0].name, sum(p.requests for p in parts), sum(p.seconds for p in parts),
                           sum(p.errors for p in parts), statuses, parts[0].note)

    return total(results), total(baselines), statistics.median(ratios)


def write_results(rows: list[tuple], engine: str, args: argparse.Namespace, data: dict,
                  statements: dict | None = None) -> None:
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    settings = "".join(f" · `{pair}`" for pair in args.server_env)
    label = f" · {args.label}" if args.label else ""
    statements = statements or {}
    lines = [
        f"\n### {stamp} · {engine} · scale {args.scale} · {args.workers} worker(s), "
        f"{args.concurrency} connections, {args.duration:g}s per probe"
        f"{f' in {args.rounds} alternating rounds (median ratio)' if args.rounds > 1 else ''}{settings}{label}\n",
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; data generated in "
        f"{data.get('generate_seconds', 0):.1f}s.\n",
        "| scenario | rate (/s) | /healthz same run (/s) | ratio | statements | notes |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, result, baseline, ratio in rows:
        note = result.note + (f" {result.errors} unexpected responses" if result.errors else "")
        lines.append(f"| {name} | {result.rate:.1f} | {baseline.rate:.1f} | {format_ratio(ratio)} | "
                     f"{statements.get(name, '')} | {note.strip()} |")
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nAppended by `make bench` (bench/run.py). Ratios are to `/healthz` "
                           "measured in the same run on the same server.\n")
    with RESULTS.open("a") as results:
        results.write("\n".join(lines) + "\n")


def serve_and_measure(args: argparse.Namespace, database_url: str, engine: str, data: dict,
                      settings: dict[str, str], scenarios: str, suffix: str = "", ctx=None) -> tuple[list, dict]:
    """One server with ``settings``, the scenarios measured against it, then the statements counted."""
    from bench.framework import BenchContext
    from bench.statements import count_in_subprocess

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = start_server(database_url, port, args.workers, settings)
    try:
        asyncio.run(wait_until_up(base_url))
        print(f"Measuring against {base_url} ({args.workers} worker(s)){suffix}", flush=True)
        ctx = ctx or BenchContext(base_url=base_url, engine=engine, data=data)
        wanted = [part.strip() for part in (args.uncached_probes if suffix else args.probes).split(",") if part.strip()]
        rows, probes = asyncio.run(measure(args, base_url, engine, data, scenarios=scenarios, suffix=suffix, ctx=ctx,
                                           probes=wanted))
    finally:
        server.terminate()
        server.wait(timeout=10)
    statements = {}
    if not args.no_statements:
        statements = count_in_subprocess(probes, base_url, server_environment(database_url, settings))
        print("  statements per request: " + ", ".join(f"{name} {count}" for name, count in statements.items()),
              flush=True)
    return rows, statements


def main(argv: list[str] | None = None) -> None:
    from bench.framework import BenchContext

    args = parse_args(argv)
    workdir = HERE / ".work"
    workdir.mkdir(exist_ok=True)
    database_url = args.database_url or f"sqlite:///{tempfile.mkdtemp(dir=workdir)}/bench.sqlite3"
    os.environ["TRAINING_HUB_DATABASE_URL"] = database_url
    os.environ.setdefault("TRAINING_HUB_MODE", "dev")
    os.environ.setdefault("TRAINING_HUB_SECRET_KEY", secrets.token_urlsafe(48))
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"Preparing a {args.scale} data set on {engine}…", flush=True)
    data = asyncio.run(prepare_database(args.scale))
    print(f"  generated in {data['generate_seconds']:.1f}s", flush=True)
    settings = server_settings(args.server_env)
    ctx = BenchContext(base_url="", engine=engine, data=data)
    rows, statements = serve_and_measure(args, database_url, engine, data, settings, args.scenarios, ctx=ctx)
    if args.uncached:
        more, counted = serve_and_measure(args, database_url, engine, data,
                                          {**settings, **server_settings(list(UNCACHED))}, args.uncached,
                                          suffix=" · caches off", ctx=ctx)
        rows += more
        statements.update(counted)
    if not args.no_write:
        write_results(rows, engine, args, data, statements)
        print(f"Figures appended to {RESULTS.relative_to(HERE.parent)}")
    if args.json:
        write_json(Path(args.json), rows, engine, args, data, statements)


def write_json(path: Path, rows: list[tuple], engine: str, args: argparse.Namespace, data: dict,
               statements: dict) -> None:
    """One line per run: what bench/table.py reads to put runs side by side."""
    import json

    record = {
        "at": datetime.now().strftime("%Y-%m-%d %H:%M"), "engine": engine, "scale": args.scale,
        "label": args.label, "duration": args.duration, "rounds": args.rounds, "concurrency": args.concurrency,
        "workers": args.workers,
        "server_env": args.server_env, "generate_seconds": round(data.get("generate_seconds", 0), 1),
        "probes": [
            {"name": name, "rate": round(result.rate, 1), "healthz": round(baseline.rate, 1), "ratio": ratio,
             "errors": result.errors, "note": result.note,
             "statements": [statements[name].first, statements[name].steady] if name in statements else None}
            for name, result, baseline, ratio in rows
        ],
    }
    with path.open("a") as out:
        out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
