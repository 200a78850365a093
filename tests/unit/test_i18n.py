"""Every Italian string of the interface has an English translation."""

from training_hub.core.i18n import gettext, language
from training_hub.i18n_catalog import extract_msgids, missing_translations


def test_extraction_finds_strings_from_code_and_templates():
    msgids = extract_msgids()
    assert "Accedi a Training Hub" in msgids  # a template
    assert "E-mail o password non corretti." in msgids  # a service error (N_)


def test_every_string_has_an_english_translation():
    missing = missing_translations("en")
    listing = "\n".join(f"{where}: {msgid}" for msgid, where in sorted(missing.items(), key=lambda item: item[1]))
    assert not missing, f"{len(missing)} strings without English translation (python -m training_hub.i18n_catalog):\n{listing}"


def test_english_catalog_is_used():
    with language("en"):
        assert gettext("Accedi a Training Hub") == "Sign in to Training Hub"
    with language("it"):
        assert gettext("Accedi a Training Hub") == "Accedi a Training Hub"
