"""Log lines an operator can search: plain text by default, one JSON object per line with
``TRAINING_HUB_LOG_FORMAT=json`` (time, level, logger, message, request id, and for the access line the
route template, status and duration).

What must never reach a log line, whatever a caller passes: feed tokens (a feed URL is a password for
someone's calendar), bearer tokens, passwords, reset and invitation links. :func:`redact` masks them
in every message and field before it is written; the access line carries the route *template*
(``/calendar/{filename}``), never the path. Special-category data is kept out at the source:
services log ids and counts, never a person's needs or pathway (tests grep the captured lines).
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

LOG_FORMATS = ("text", "json")

request_id_var: ContextVar[str | None] = ContextVar("training_hub_request_id", default=None)

# A feed or link token in a URL, an Authorization header, a password field: masked in what is written.
_SECRETS = [
    (re.compile(r"(/calendar/)(?!courses/|paths/|sessions/)[^/\s?\"']+(\.ics)"), r"\1***\2"),
    (re.compile(r"((?:token|reset|invito|invitation)[=/])[A-Za-z0-9_\-.~%]{8,}", re.IGNORECASE), r"\1***"),
    (re.compile(r"(bearer\s+)[^\s\"']+", re.IGNORECASE), r"\1***"),
    (re.compile(r"((?:password|passwd|pwd)[\"']?\s*[:=]\s*[\"']?)[^\s\"',&]+", re.IGNORECASE), r"\1***"),
]
# Fields of a record set with ``extra=`` that JSON lines carry as they are (after redaction).
EXTRA_FIELDS = ("route", "method", "status", "duration_ms", "job", "count")


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def install_request_id_factory() -> None:
    """Stamp every record with the request id when it is created, in the thread serving the request
    (formatting may happen later in a queue listener's thread, where the context variable is unset)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "_training_hub", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        record.request_id = request_id_var.get() or "-"
        return record

    factory._training_hub = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request being served (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get() or "-"
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
            "message": redact(record.getMessage()),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def formatter_path(log_format: str) -> str:
    """The formatter's dotted path, for logging.config.dictConfig (Litestar's LoggingConfig)."""
    return f"{__name__}.{type(formatter_for(log_format)).__name__}"


def configure_logging(level: str, log_format: str) -> None:
    """One stderr handler on the root logger with our formatter (the command line)."""
    install_request_id_factory()
    handler = logging.StreamHandler()
    handler.setFormatter(formatter_for(log_format))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_training_hub", False)]:
        root.removeHandler(old)
    handler._training_hub = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("training_hub").setLevel(level)
