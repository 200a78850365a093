"""Every string of the final test has an English translation with the same placeholders."""

import re

import pytest
from babel.messages.pofile import read_po

from training_hub.assessment.scoring import QuestionInput, validate_test
from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import LOCALE_DIR, language
from training_hub.i18n_catalog import missing_translations

CATALOG = LOCALE_DIR / "en" / "LC_MESSAGES" / "assessment.po"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd%]")


def test_assessment_strings_are_all_translated_to_english():
    missing = {msgid: where for msgid, where in missing_translations("en").items()
               if where.startswith(("training_hub/assessment/", "templates/assessment/"))}
    assert not missing, missing


def test_translations_keep_the_placeholders():
    with CATALOG.open("rb") as po_file:
        catalog = read_po(po_file, locale="en")
    assert len(catalog) > 80
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid, text in zip(ids, strings, strict=True):
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), msgid


def test_a_question_without_a_correct_answer_in_english():
    with pytest.raises(ValidationFailed) as excinfo:
        validate_test(70, 1, [QuestionInput(text="?", choices=["A", "B"], correct=[])])
    with language("en"):
        assert excinfo.value.detail == "Question 1: mark at least one correct answer."
