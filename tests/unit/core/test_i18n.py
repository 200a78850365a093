"""Every Italian string of the interface has an English translation."""

from training_hub.core.i18n import gettext, language
from training_hub.i18n_catalog import (
    domain_sources,
    domains_of_file,
    extract_msgids,
    extract_occurrences,
    missing_translations,
)


def test_extraction_finds_strings_from_code_and_templates():
    msgids = extract_msgids()
    assert "Accedi a Training Hub" in msgids  # a template
    assert "E-mail o password non corretti." in msgids  # a service error (N_)


def test_every_string_has_an_english_translation():
    missing = missing_translations("en")
    listing = "\n".join(f"{where}: {msgid}" for msgid, where in sorted(missing.items(), key=lambda item: item[1]))
    assert not missing, f"{len(missing)} strings without English translation (make messages, then fill their msgstr):\n{listing}"


def test_english_catalog_is_used():
    with language("en"):
        assert gettext("Accedi a Training Hub") == "Sign in to Training Hub"
    with language("it"):
        assert gettext("Accedi a Training Hub") == "Accedi a Training Hub"


def test_make_messages_gives_every_string_to_exactly_one_feature_catalog():
    sources = domain_sources()
    assert {"core", "catalogue", "enrolment", "attendance", "calendars", "surveys", "reports"} <= set(sources)
    assert {"training_hub/core", "training_hub/web", "training_hub/cli.py", "templates/base.html",
            "templates/partials", "templates/errors"} <= set(sources["core"])
    assert {"training_hub/attendance", "templates/attendance"} == set(sources["attendance"])
    files = {occurrence.filename for occurrence in extract_occurrences()}
    assert len(files) > 100
    assert {file: domains_of_file(file) for file in files if len(domains_of_file(file)) != 1} == {}
