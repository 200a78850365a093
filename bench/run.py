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
    parser.add_argument("--scale", choices=["default", "small"], default="default")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per timed probe")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--scenarios", default="", help="comma-separated scenario modules (default: all)")
    parser.add_argument("--no-write", action="store_true", help="do not append to bench/RESULTS.md")
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                        help="a TRAINING_HUB_* setting for the server (repeatable), e.g. "
                             "TRAINING_HUB_CATALOGUE_CACHE_SECONDS=0 to measure without the catalogue caches")
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
        data = await generate(Scale.small() if scale_name == "small" else Scale())
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


def start_server(database_url: str, port: int, workers: int, settings: dict[str, str] | None = None) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        TRAINING_HUB_DATABASE_URL=database_url,
        TRAINING_HUB_MODE="production",
        TRAINING_HUB_SECRET_KEY=secrets.token_urlsafe(48),
        TRAINING_HUB_LOG_LEVEL="WARNING",
        TRAINING_HUB_LOGIN_MAX_FAILURES="1000",
    )
    env.update(settings or {})
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


async def measure(args: argparse.Namespace, base_url: str, engine: str, data: dict) -> list[tuple]:
    from bench.framework import BenchContext, Probe, run_batch, run_timed

    ctx = BenchContext(base_url=base_url, engine=engine, data=data)
    healthz = Probe(name="/healthz", path="/healthz")
    # Warm up: imports, template compilation, connection pools.
    await run_timed(base_url, healthz, duration=1.0, concurrency=args.concurrency)
    rows = []
    for module in scenario_modules(args.scenarios):
        for probe in await module.probes(ctx):
            baseline = await run_timed(base_url, healthz, duration=args.duration, concurrency=args.concurrency)
            if probe.batch is not None:
                result = await run_batch(base_url, probe, concurrency=args.concurrency)
            else:
                await run_timed(base_url, probe, duration=min(1.0, args.duration), concurrency=args.concurrency)
                result = await run_timed(base_url, probe, duration=args.duration, concurrency=args.concurrency)
            ratio = result.rate / baseline.rate if baseline.rate else 0.0
            rows.append((probe.name, result, baseline, ratio))
            status = ", ".join(f"{code}×{count}" for code, count in sorted(result.statuses.items()))
            print(f"  {probe.name:<45} {result.rate:9.1f}/s  /healthz {baseline.rate:9.1f}/s  "
                  f"ratio {format_ratio(ratio):>6}  [{status}] {result.note}", flush=True)
            if result.errors:
                print(f"    ! {result.errors} unexpected responses", flush=True)
    return rows


def write_results(rows: list[tuple], engine: str, args: argparse.Namespace, data: dict) -> None:
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    settings = "".join(f" · `{pair}`" for pair in args.server_env)
    lines = [
        f"\n### {stamp} · {engine} · scale {args.scale} · {args.workers} worker(s), "
        f"{args.concurrency} connections, {args.duration:g}s per probe{settings}\n",
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; data generated in "
        f"{data.get('generate_seconds', 0):.1f}s.\n",
        "| scenario | rate (/s) | /healthz same run (/s) | ratio | notes |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, result, baseline, ratio in rows:
        note = result.note + (f" {result.errors} unexpected responses" if result.errors else "")
        lines.append(f"| {name} | {result.rate:.1f} | {baseline.rate:.1f} | {format_ratio(ratio)} | {note.strip()} |")
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nAppended by `make bench` (bench/run.py). Ratios are to `/healthz` "
                           "measured in the same run on the same server.\n")
    with RESULTS.open("a") as results:
        results.write("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> None:
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
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = start_server(database_url, port, args.workers, settings)
    try:
        asyncio.run(wait_until_up(base_url))
        print(f"Measuring against {base_url} ({args.workers} worker(s))", flush=True)
        rows = asyncio.run(measure(args, base_url, engine, data))
    finally:
        server.terminate()
        server.wait(timeout=10)
    if not args.no_write:
        write_results(rows, engine, args, data)
        print(f"Figures appended to {RESULTS.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
