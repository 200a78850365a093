"""Every string of the safety feature has an English translation with the same placeholders."""

import re

from babel.messages.pofile import read_po

from training_hub.core.i18n import LOCALE_DIR, gettext, language
from training_hub.i18n_catalog import missing_translations
from training_hub.safety.due import REQUIREMENT_LABELS, STATUS_LABELS

CATALOG = LOCALE_DIR / "en" / "LC_MESSAGES" / "safety.po"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd%]")


def test_safety_strings_are_all_translated_to_english():
    missing = {msgid: where for msgid, where in missing_translations("en").items()
               if where.startswith("training_hub/safety/")}
    assert not missing, missing


def test_translations_keep_the_placeholders():
    with CATALOG.open("rb") as po_file:
        catalog = read_po(po_file, locale="en")
    assert len(catalog) > 50
    for message in catalog:
        if message.id:
            assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(message.id)), message.id


def test_english_words_for_statuses_and_requirements():
    with language("en"):
        assert [gettext(STATUS_LABELS[s]) for s in ("missing", "overdue", "due_soon", "valid")] == [
            "Missing", "Overdue", "Due soon", "Valid",
        ]
        assert gettext(REQUIREMENT_LABELS["antincendio"]) == "Fire prevention"
        assert gettext("La data di nomina non può essere nel futuro.") == "The date of appointment cannot be in the future."
    with language("it"):
        assert gettext(STATUS_LABELS["due_soon"]) == "In scadenza"
