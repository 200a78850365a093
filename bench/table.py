"""Put benchmark runs side by side: ``python -m bench.table bench/issue21.jsonl [--before LABEL --after LABEL]``.

Reads the JSON lines ``bench.run --json`` appends (one per run) and prints one Markdown table: a row per
scenario and engine, a column per scale and label (before / after), each cell "ratio · statements per
request", and the large ÷ default ratio of the last label (issue 21: at least 0.5 for the catalogue's
first page, the course page, a personal feed and the safety list). When a label has several runs of
one engine and scale, the last one counts.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.run import format_ratio

SCALES = ("small", "default", "large")


def load(path: Path) -> dict[tuple[str, str, str], dict[str, dict]]:
    """(label, engine, scale) → probe name → its figures (the last run wins)."""
    runs: dict[tuple[str, str, str], dict[str, dict]] = {}
    for line in path.read_text().splitlines():
        if line.strip():
            record = json.loads(line)
            runs[(record["label"], record["engine"], record["scale"])] = {p["name"]: p for p in record["probes"]}
    return runs


def cell(probe: dict | None) -> str:
    if probe is None:
        return "–"
    statements = probe.get("statements")
    count = ""
    if statements:
        first, steady = statements
        count = f" · {steady}" if first == steady else f" · {steady} ({first} cold)"
    errors = f" ⚠{probe['errors']}" if probe.get("errors") else ""
    return f"{format_ratio(probe['ratio'])}{count}{errors}"


def table(runs: dict[tuple[str, str, str], dict[str, dict]], labels: list[str]) -> str:
    engines = sorted({engine for _label, engine, _scale in runs}, key=lambda e: (e != "SQLite", e))
    names: list[str] = []
    for key in sorted(runs):
        for name in runs[key]:
            if name not in names:
                names.append(name)
    header = ["scenario", "engine"] + [f"{scale} {label}" for scale in SCALES for label in labels]
    header.append(f"large ÷ default ({labels[-1]})")
    lines = ["| " + " | ".join(header) + " |", "| --- | --- |" + " ---: |" * (len(header) - 2)]
    for name in names:
        for engine in engines:
            cells = [runs.get((label, engine, scale), {}).get(name) for scale in SCALES for label in labels]
            if not any(cells):
                continue
            last = labels[-1]
            default, large = (runs.get((last, engine, s), {}).get(name) for s in ("default", "large"))
            growth = f"{large['ratio'] / default['ratio']:.2f}" if default and large and default["ratio"] else "–"
            lines.append("| " + " | ".join([name, engine, *(cell(c) for c in cells), growth]) + " |")
    return "\n".join(lines)


def generation_times(runs_file: Path) -> str:
    lines = ["| label | engine | scale | generated in (s) |", "| --- | --- | --- | ---: |"]
    for line in runs_file.read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            lines.append(f"| {r['label']} | {r['engine']} | {r['scale']} | {r['generate_seconds']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("runs", type=Path)
    parser.add_argument("--labels", default="", help="comma-separated labels in column order (default: as found)")
    parser.add_argument("--generation", action="store_true", help="print the generation times instead")
    args = parser.parse_args()
    if args.generation:
        print(generation_times(args.runs))
        return
    runs = load(args.runs)
    labels = [label.strip() for label in args.labels.split(",") if label.strip()]
    if not labels:
        labels = list(dict.fromkeys(label for label, _engine, _scale in runs))
    print(table(runs, labels))


if __name__ == "__main__":
    main()
