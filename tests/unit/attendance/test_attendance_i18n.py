"""Every string of the attendance feature has an English translation with the same placeholders."""

import re

from babel.messages.pofile import read_po

from training_hub.attendance.rules import describe_duration, status_label
from training_hub.core.i18n import LOCALE_DIR, language
from training_hub.i18n_catalog import missing_translations

CATALOG = LOCALE_DIR / "en" / "LC_MESSAGES" / "attendance.po"
FEATURE_FILES = ("training_hub/attendance/", "templates/attendance/")
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd%]")


def test_attendance_strings_are_all_translated_to_english():
    missing = {msgid: where for msgid, where in missing_translations("en").items() if where.startswith(FEATURE_FILES)}
    assert not missing, missing


def test_translations_keep_the_placeholders():
    with CATALOG.open("rb") as po_file:
        catalog = read_po(po_file, locale="en")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert sorted(PLACEHOLDER.findall(string)) == expected, message.id


def test_english_words_for_durations_and_statuses():
    with language("en"):
        assert describe_duration(210) == "3 hours and 30 minutes"
        assert describe_duration(61) == "1 hour and 1 minute"
        assert status_label("excused") == "Excused"
        assert status_label(None) == "Not recorded"
    with language("it"):
        assert status_label("excused") == "Assente giustificato"
