"""Keeping the translation catalogs in step with the code: what ``make messages`` runs.

One gettext domain per feature. A feature's strings (its package and its ``templates/<feature>/``
folder) are extracted by ``pybabel extract`` into ``training_hub/locale/<domain>.pot``, and
``pybabel update -D <domain>`` brings each language's ``locale/<lang>/LC_MESSAGES/<domain>.po`` in step
with it: new msgids arrive with an empty ``msgstr`` to translate, strings gone from the code leave, and
existing translations stay (no fuzzy matching: a guessed translation is worse than none). A msgid that
an other catalog already translates (a string shared by two features, or code moved from one feature
to another) gets that translation, so nothing is translated twice.

The domains come from the packages present, so a new feature (``safety``, ``funding``…) gets its own
catalog the first time ``make messages`` runs: ``core`` takes ``core/``, the top-level modules and the
templates no feature owns (``base.html``, ``partials/``, ``errors/``); a few packages keep their strings
in another feature's catalog (:data:`CATALOG_OF`). The runtime (:mod:`training_hub.core.i18n`) merges
every ``.po`` of a language, whatever its domain.

``python -m training_hub.i18n_catalog`` updates the catalogs (``make messages``); ``--domains`` lists
the domains and their sources; ``--missing`` lists the msgids no catalog translates yet.
``tests/unit/test_i18n.py`` fails while any msgid lacks an English translation; the checks read the
code and the catalogs once per test session (:func:`extract_occurrences`, :func:`translated_msgids`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from training_hub.core.i18n import DEFAULT_LANGUAGE, LOCALE_DIR, catalog_files
from training_hub.core.settings import PROJECT_ROOT

PACKAGE_DIR = PROJECT_ROOT / "training_hub"
TEMPLATES_DIR = PROJECT_ROOT / "templates"
MAPPING_FILE = PROJECT_ROOT / "babel.cfg"  # how to read a file: Python, or Jinja with its i18n extension
CORE = "core"
# Packages whose strings live in another domain's catalog (historically: the sign-in, the directory,
# the home page and the web layer in core's; the e-mails in enrolment's). Every other package is a domain.
CATALOG_OF = {"accounts": CORE, "directory": CORE, "home": CORE, "web": CORE, "notifications": "enrolment"}

# The whole project at once, for the checks.
METHOD_MAP = [
    ("training_hub/**.py", "python"),
    ("templates/**.html", "jinja2"),
]
OPTIONS_MAP = {"templates/**.html": {"extensions": "jinja2.ext.i18n,jinja2.ext.do"}}


# Domains -----------------------------------------------------------------------------------------


def packages() -> list[str]:
    """The subpackages of ``training_hub`` (folders with an ``__init__.py``)."""
    return sorted(path.parent.name for path in PACKAGE_DIR.glob("*/__init__.py"))


def domain_of(package: str) -> str:
    return CATALOG_OF.get(package, package)


def domain_sources() -> dict[str, list[str]]:
    """Domain → the folders and files (relative to the project) its strings are extracted from."""
    found = packages()
    sources: dict[str, list[str]] = {CORE: []}
    for package in found:
        sources.setdefault(domain_of(package), []).append(f"training_hub/{package}")
    sources[CORE] += sorted(f"training_hub/{path.name}" for path in PACKAGE_DIR.glob("*.py"))
    for path in sorted(TEMPLATES_DIR.iterdir()):
        relative = f"templates/{path.name}"
        if path.is_dir() and path.name in found:
            sources[domain_of(path.name)].append(relative)
        elif path.is_dir() or path.suffix == ".html":
            sources[CORE].append(relative)  # base.html, partials/, errors/: the frame of every page
    return dict(sorted(sources.items()))


def domains_of_file(filename: str) -> list[str]:
    """The domains whose sources hold ``filename`` (relative to the project): exactly one for every file."""
    return [domain for domain, paths in domain_sources().items()
            if any(filename == path or filename.startswith(path + "/") for path in paths)]


def languages() -> list[str]:
    """The languages that have catalogs (the msgids themselves are the default language)."""
    return sorted(path.name for path in LOCALE_DIR.iterdir()
                  if (path / "LC_MESSAGES").is_dir() and path.name != DEFAULT_LANGUAGE)


# make messages -----------------------------------------------------------------------------------


def pybabel(*args: str) -> None:
    """Run one ``pybabel`` command (in this process, from the project folder)."""
    print("pybabel", " ".join(args), flush=True)
    CommandLineInterface().run(["pybabel", "--quiet", *args])


def _relative(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT))


def update_catalogs() -> None:
    """Extract every domain's template and update every language's catalog of it."""
    os.chdir(PROJECT_ROOT)  # the sources and the mapping are named relative to the project
    known = {language: _translations_in_files(language) for language in languages()}
    for domain, sources in domain_sources().items():
        template = LOCALE_DIR / f"{domain}.pot"
        pybabel("extract", "-F", _relative(MAPPING_FILE), "-o", _relative(template), "--no-location",
                "--no-wrap", "--sort-output", "--project=Training Hub", "--copyright-holder=Consorzio Sociale Light",
                "--msgid-bugs-address=formazione@consorziolight.it", *sources)
        for language in known:
            pybabel("update", "-i", _relative(template), "-d", _relative(LOCALE_DIR), "-D", domain,
                    "-l", language, "--init-missing", "--no-fuzzy-matching", "--ignore-obsolete",
                    "--ignore-pot-creation-date", "--no-wrap")
    for language, translations in known.items():
        for path in catalog_files(language):
            _fill_from(path, language, translations)
    translated_msgids.cache_clear()


def _translations_in_files(language: str) -> dict[object, object]:
    """msgid (a tuple for plurals) → its translation, from every catalog of ``language``."""
    found: dict[object, object] = {}
    for path in catalog_files(language):
        with path.open("rb") as po_file:
            for message in read_po(po_file, locale=language):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and all(strings) and not message.fuzzy:
                    found.setdefault(message.id, message.string)
    return found


def _fill_from(path: Path, language: str, translations: dict[object, object]) -> None:
    """Give the untranslated entries of ``path`` the translation another catalog has for the same msgid."""
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language, domain=path.stem)
    filled = 0
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and not any(strings) and message.id in translations:
            message.string = translations[message.id]
            filled += 1
    if filled:
        with path.open("wb") as po_file:
            write_po(po_file, catalog, ignore_obsolete=True, width=0)  # as --no-wrap
        print(f"{_relative(path)}: {filled} entries translated as in the other catalogs", flush=True)


# Checks --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One use of a msgid: file (relative to the project), line, msgid and plural msgid."""

    filename: str
    lineno: int
    msgid: str
    plural: str | None


@cache
def extract_occurrences() -> tuple[Occurrence, ...]:
    """Every translatable string of the code and the templates, read once per process."""
    found: list[Occurrence] = []
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), METHOD_MAP, OPTIONS_MAP
    ):
        if isinstance(message, tuple):
            singular, plural = message[0], message[1] if len(message) > 1 else None
        else:
            singular, plural = message, None
        if singular:
            found.append(Occurrence(filename, lineno, singular, plural))
    return tuple(found)


def extract_messages() -> dict[str, tuple[str | None, str]]:
    """msgid (singular) → (plural msgid or None, first place it is used)."""
    found: dict[str, tuple[str | None, str]] = {}
    for occurrence in extract_occurrences():
        found.setdefault(occurrence.msgid, (occurrence.plural, f"{occurrence.filename}:{occurrence.lineno}"))
    return found


def extract_msgids() -> dict[str, str]:
    return {msgid: where for msgid, (_plural, where) in extract_messages().items()}


@cache
def translated_msgids(language: str = "en") -> frozenset[str]:
    """The msgids some catalog of ``language`` translates (every plural form filled, not fuzzy)."""
    translated: set[str] = set()
    for msgid in _translations_in_files(language):
        translated.update(msgid if isinstance(msgid, tuple) else (msgid,))  # type: ignore[arg-type]
    return frozenset(translated)


def missing_translations(language: str = "en") -> dict[str, str]:
    done = translated_msgids(language)
    return {msgid: where for msgid, where in extract_msgids().items() if msgid not in done}


def _describe_domains() -> Iterator[str]:
    for domain, sources in domain_sources().items():
        yield f"{domain}: {' '.join(sources)}"


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - a developer's command
    parser = argparse.ArgumentParser(prog="python -m training_hub.i18n_catalog", description=__doc__.split("\n")[0])
    parser.add_argument("--domains", action="store_true", help="list the domains and their sources")
    parser.add_argument("--missing", action="store_true", help="list the msgids without a translation")
    options = parser.parse_args(argv)
    if options.domains:
        print("\n".join(_describe_domains()))
        return 0
    if not options.missing:
        update_catalogs()
    status = 0
    for language in languages():
        missing = missing_translations(language)
        for msgid, where in sorted(missing.items(), key=lambda item: item[1]):
            catalog = ", ".join(f"{domain}.po" for domain in domains_of_file(where.rsplit(":", 1)[0]))
            print(f"{catalog} ({where}): {msgid}")
        if missing:
            print(f"{len(missing)} strings without a translation: fill their msgstr in "
                  f"training_hub/locale/{language}/LC_MESSAGES/ (the catalog named before each one)")
            status = 1
    return status if options.missing else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
