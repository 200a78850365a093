"""The one parsing module: what people type in any field."""

from __future__ import annotations

from datetime import date, time

import pytest

from training_hub.core.errors import ValidationFailed
from training_hub.core.parsing import (
    CONTROL_CHARACTERS_MESSAGE,
    multi_line,
    parse_clock,
    parse_day,
    parse_id,
    parse_id_list,
    parse_instant_field,
    single_line,
)


@pytest.mark.parametrize("text", ["Corso\r\nBcc: x@y", "Tab\there", "bell\x01", "v\x0bt", "esc\x1b[31m", "nul\x00", "del\x7f"])
def test_single_line_refuses_control_characters(text):
    errors: dict[str, str] = {}
    single_line(text, "title", errors)
    assert errors == {"title": CONTROL_CHARACTERS_MESSAGE}


def test_single_line_accepts_accents_and_trims():
    errors: dict[str, str] = {}
    assert single_line("  Łukasz Nowak — Zoë Ørsted  ", "name", errors) == "Łukasz Nowak — Zoë Ørsted"
    assert errors == {}


def test_length_is_checked_never_cut_and_the_message_carries_the_limit():
    errors: dict[str, str] = {}
    text = single_line("x" * 201, "title", errors, max_length=200)
    assert len(text) == 201
    exc = ValidationFailed(errors=errors)
    assert exc.field_errors["title"] == "Il testo è troppo lungo: al massimo 200 caratteri."


def test_multi_line_keeps_line_breaks_and_tabs_but_not_other_controls():
    errors: dict[str, str] = {}
    assert multi_line("Primo\r\nSecondo\tpunto", "description", errors) == "Primo\nSecondo\tpunto"
    assert errors == {}
    multi_line("a\x1bb", "description", errors)
    assert errors == {"description": CONTROL_CHARACTERS_MESSAGE}


def test_days_clocks_instants_and_ids():
    errors: dict[str, str] = {}
    assert parse_day("25/11/2026", "d", errors) == date(2026, 11, 25)
    assert parse_day("2026-11-25", "d", errors) == date(2026, 11, 25)
    assert parse_clock("9.30", "t", errors) == time(9, 30)
    instant = parse_instant_field("25/10/2026 09:30", "s", errors)
    assert instant is not None and instant.hour == 8  # 09:30 in Rome after the change to winter time
    assert errors == {}
    assert parse_day("31/02/2026", "d", errors) is None and "d" in errors
    assert parse_clock("24:00", "t", errors) is None and "t" in errors
    assert parse_id("") is None and parse_id("²") == -1 and parse_id("99999999999") == -1
    assert parse_id_list(["3", "", "1", "3"]) == [1, 3]
