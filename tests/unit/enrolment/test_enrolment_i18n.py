"""Every string of the enrolment and notifications feature has an English translation."""

from __future__ import annotations

from training_hub.core import i18n
from training_hub.i18n_catalog import extract_occurrences, translated_msgids

FEATURE_PATHS = ("training_hub/enrolment/", "training_hub/notifications/", "templates/enrolment/")


def feature_msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for occurrence in extract_occurrences():  # the code is read once per test session
        if occurrence.filename.startswith(FEATURE_PATHS):
            found.setdefault(occurrence.msgid, f"{occurrence.filename}:{occurrence.lineno}")
    return found


def test_every_enrolment_string_is_translated_to_english():
    msgids = feature_msgids()
    assert len(msgids) > 150  # the extraction really looked at the feature
    missing = {msgid: where for msgid, where in msgids.items() if msgid not in translated_msgids("en")}
    assert missing == {}, "run `make messages` and translate these in enrolment.po"


def test_plural_and_placeholders_survive_translation():
    with i18n.language("en"):
        assert (
            i18n.ngettext("%(num)d richiesta in attesa", "%(num)d richieste in attesa", 1) % {"num": 1}
            == "1 request waiting"
        )
        assert (
            i18n.ngettext("%(num)d richiesta in attesa", "%(num)d richieste in attesa", 3) % {"num": 3}
            == "3 requests waiting"
        )
        assert (
            i18n.gettext("Le iscrizioni si sono chiuse il %(date)s alle %(time)s.")
            % {"date": "25/11/2026", "time": "09:30"}
            == "Enrolment closed on 25/11/2026 at 09:30."
        )
    with i18n.language("it"):
        assert i18n.gettext("Le mie iscrizioni") == "Le mie iscrizioni"
