"""Text that leaves the application: what every export and header does with control characters.

Input is refused at the door (``core/parsing.py``: single-line fields refuse every control character,
multi-line ones all but tab and line breaks). Rows written before that rule, or by an import, may
still hold them, and an export must never fail because of one row:

* :func:`one_line` is for places where a line break is an injection (an e-mail header, an iCalendar
  property that is not free text, a file name): every control character becomes a space;
* :func:`xml_safe` is for XML-based files (XLSX): the characters XML 1.0 cannot carry at all
  (C0 controls but tab, line feed and carriage return) are dropped.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def one_line(text: str) -> str:
    """``text`` on one line: runs of control characters (CR/LF included) become one space."""
    return _CONTROL.sub(" ", text or "").strip()


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot represent (``\\x01``, ``\\x0b``, ``\\x1b``…)."""
    return _NOT_IN_XML.sub("", text)
