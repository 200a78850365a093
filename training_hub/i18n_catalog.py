"""Keeping the English catalogs complete.

``python -m training_hub.i18n_catalog`` prints, as ``.po`` entries, every Italian msgid used in the
code and templates that no English catalog translates yet: paste them into the feature's
``training_hub/locale/en/LC_MESSAGES/<feature>.po`` and fill in ``msgstr``. A test fails while any
is missing.
"""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from training_hub.core.i18n import catalog_files
from training_hub.core.settings import PROJECT_ROOT

METHOD_MAP = [
    ("training_hub/**.py", "python"),
    ("templates/**.html", "jinja2"),
]
OPTIONS_MAP = {"templates/**.html": {"extensions": "jinja2.ext.i18n,jinja2.ext.do"}}


def extract_messages() -> dict[str, tuple[str | None, str]]:
    """msgid (singular) → (plural msgid or None, first place it is used)."""
    found: dict[str, tuple[str | None, str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), METHOD_MAP, OPTIONS_MAP
    ):
        if isinstance(message, tuple):
            singular, plural = message[0], message[1] if len(message) > 1 else None
        else:
            singular, plural = message, None
        if singular:
            found.setdefault(singular, (plural, f"{filename}:{lineno}"))
    return found


def extract_msgids() -> dict[str, str]:
    return {msgid: where for msgid, (_plural, where) in extract_messages().items()}


def translated_msgids(language: str = "en") -> set[str]:
    translated: set[str] = set()
    for path in catalog_files(language):
        with path.open("rb") as po_file:
            for entry in read_po(po_file, locale=language):
                ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
                strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
                if entry.id and all(strings) and not entry.fuzzy:
                    translated.update(ids)
    return translated


def missing_translations(language: str = "en") -> dict[str, str]:
    done = translated_msgids(language)
    return {msgid: where for msgid, where in extract_msgids().items() if msgid not in done}


def _po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


if __name__ == "__main__":  # pragma: no cover
    messages = extract_messages()
    for msgid, where in sorted(missing_translations().items(), key=lambda item: item[1]):
        plural = messages[msgid][0]
        print(f"#: {where}\nmsgid \"{_po_escape(msgid)}\"")
        if plural:
            print(f"msgid_plural \"{_po_escape(plural)}\"\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n")
        else:
            print('msgstr ""\n')
