"""The deployment files name real commands, options and settings (docs/DEPLOYING.md, "What CI checks").

Docker and systemd cannot run here; what can go stale silently is a command line or a variable name,
and that is checked with the real command-line parser and the settings the code reads.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest

from training_hub.cli import main
from training_hub.core.settings import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs" / "DEPLOYING.md"


def _parses(argv: list[str]) -> None:
    """``training-hub …`` as the command line would parse it (options and arguments), without running it."""
    assert argv[0].endswith("training-hub"), argv
    command = main.get_command(click.Context(main), argv[1])
    assert command is not None, f"no command {argv[1]!r}"
    command.make_context(argv[1], list(argv[2:]))


def _settings_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for source in (PROJECT_ROOT / "training_hub").rglob("*.py"):
        names |= set(re.findall(r"\"(TRAINING_HUB_[A-Z0-9_]+)\"", source.read_text(encoding="utf-8")))
    return names


def test_the_images_command_is_a_real_command_line():
    cmd = next(line for line in (PROJECT_ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    _parses(json.loads(cmd[4:]))


def test_the_systemd_unit_and_the_cron_line_are_real_command_lines():
    text = DOCS.read_text(encoding="utf-8")
    exec_start = re.search(r"^ExecStart=(.+)$", text, re.MULTILINE).group(1)
    _parses(shlex.split(exec_start))
    cron = next(line for line in text.splitlines() if line.startswith("30 2 * * *"))
    backup = re.search(r"(\S*training-hub backup \S+)", cron).group(1)
    _parses(backup.split())


@pytest.mark.parametrize("name", ["Dockerfile", "compose.yaml", "docs/DEPLOYING.md", "README.md"])
def test_every_setting_the_deployment_files_name_exists(name):
    named = set(re.findall(r"TRAINING_HUB_[A-Z0-9_]+", (PROJECT_ROOT / name).read_text(encoding="utf-8")))
    unknown = named - _settings_read_by_the_code() - {"TRAINING_HUB_TEST_DATABASE_URL"}
    assert not unknown, f"{name} names settings the code never reads: {sorted(unknown)}"


def test_compose_keeps_secrets_out_of_the_file():
    compose = (PROJECT_ROOT / "compose.yaml").read_text(encoding="utf-8")
    for secret in ("TRAINING_HUB_SECRET_KEY", "POSTGRES_PASSWORD"):
        assert f"${{{secret}:?" in compose, f"{secret} must come from .env and be required"
    assert Path(PROJECT_ROOT / ".gitignore").read_text().count(".env") >= 1
