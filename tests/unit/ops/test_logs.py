"""The log formats: JSON lines with the fields an operator searches, and secrets masked in any line."""

from __future__ import annotations

import json
import logging

from training_hub.core.logs import JsonFormatter, TextFormatter, redact, request_id_var


def _record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("training_hub.access", logging.INFO, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_a_json_line_has_time_level_request_id_route_status_and_duration():
    token = request_id_var.set("req-1234abcd")
    try:
        line = JsonFormatter().format(_record("GET %s %s", "/courses/{course_id:int}", 200,
                                              route="/courses/{course_id:int}", method="GET", status=200,
                                              duration_ms=3.21))
    finally:
        request_id_var.reset(token)
    entry = json.loads(line)
    assert entry["level"] == "INFO" and entry["logger"] == "training_hub.access"
    assert entry["request_id"] == "req-1234abcd"
    assert entry["route"] == "/courses/{course_id:int}" and entry["status"] == 200 and entry["duration_ms"] == 3.21
    assert entry["time"].endswith("+00:00") and "\n" not in line


def test_secrets_are_masked_whatever_the_caller_logs():
    assert redact("GET /calendar/AbCdEf0123456789xyz.ics") == "GET /calendar/***.ics"
    assert redact("GET /calendar/courses/12.ics") == "GET /calendar/courses/12.ics"
    assert redact("Authorization: Bearer s3cr3t-token-value") == "Authorization: Bearer ***"
    assert redact("password=hunter2hunter2&email=a@b.it") == "password=***&email=a@b.it"
    assert redact('{"password": "hunter2hunter2"}') == '{"password": "***"}'
    assert redact("/reset/abcdefgh12345678") == "/reset/***"
    assert "AbCdEf0123456789xyz" not in JsonFormatter().format(_record("feed %s", "/calendar/AbCdEf0123456789xyz.ics"))
    assert "AbCdEf0123456789xyz" not in TextFormatter().format(_record("feed %s", "/calendar/AbCdEf0123456789xyz.ics"))


def test_the_format_setting_accepts_text_and_json_only(monkeypatch):
    import pytest

    from training_hub.core.settings import SettingsError, load_settings

    monkeypatch.setenv("TRAINING_HUB_LOG_FORMAT", "JSON")
    assert load_settings().log_format == "json"
    monkeypatch.setenv("TRAINING_HUB_LOG_FORMAT", "xml")
    with pytest.raises(SettingsError, match="text o json"):
        load_settings()
