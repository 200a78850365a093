"""Every string of the catalogue feature has an English translation in catalogue.po."""

from collections import defaultdict

from training_hub.core import i18n
from training_hub.i18n_catalog import extract_occurrences, translated_msgids


def _catalogue_only_msgids() -> set[str]:
    places: dict[str, set[bool]] = defaultdict(set)
    for occurrence in extract_occurrences():  # the code is read once per test session
        places[occurrence.msgid].add("catalogue" in occurrence.filename)
    # Strings the foundation uses too belong to its own catalog (core.po).
    return {msgid for msgid, where in places.items() if where == {True}}


def test_every_catalogue_string_is_translated_into_english():
    missing = _catalogue_only_msgids() - translated_msgids("en")
    assert not missing, sorted(missing)


def test_english_messages_keep_their_placeholders():
    with i18n.language("en"):
        text = i18n.gettext("%(day)s è festa nazionale (%(holiday)s).") % {"day": "08/12/2026", "holiday": "x"}
        assert text == "08/12/2026 is a national holiday (x)."
        assert i18n.ngettext("%(num)d posto libero", "%(num)d posti liberi", 3) % {"num": 3} == "3 seats left"
