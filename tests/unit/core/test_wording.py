"""Italian wording rules (issue 13.6): elision before numbers, durations in hours and minutes."""

import pytest

from training_hub.core.i18n import language
from training_hub.core.wording import duration, elide, starts_with_vowel_sound


@pytest.mark.parametrize(("text", "expected"), [
    ("dal 11/12", "dall'11/12"),
    ("dal 08/12", "dall'8/12"),
    ("dal 8/12", "dall'8/12"),
    ("dal 01/12/2026", "dall'1/12/2026"),
    ("si apre il 11/12/2026 alle 09:15", "si apre l'11/12/2026 alle 09:15"),
    ("dal 08/12/2026 al 11/12/2026", "dall'8/12/2026 all'11/12/2026"),
    ("entro il 01/12/2026 alle 18:00", "entro l'1/12/2026 alle 18:00"),
    ("Il 11/12 c'è lezione", "L'11/12 c'è lezione"),
    ("Dal 8 dicembre", "Dall'8 dicembre"),
    ("nel 11/2026", "nell'11/2026"),
    ("sul 8", "sull'8"),
    ("del 1/12", "dell'1/12"),
    ("almeno il 80% delle ore", "almeno l'80% delle ore"),
    ("almeno il 85%", "almeno l'85%"),
    ("il 800", "l'800"),
    ("il 8.000", "l'8.000"),
    ("il 11.000", "l'11.000"),
])
def test_one_eight_and_eleven_elide(text, expected):
    assert elide(text) == expected


@pytest.mark.parametrize("text", [
    "dal 25/11/2026 al 14/12/2026",
    "dal 18/12", "il 10/12", "il 12/12", "il 21/12", "il 31/12", "il 02/12", "dal 09/12",
    "almeno il 70% delle ore", "almeno il 90%", "il 18%", "il 100%",
    "il 1.000",                     # mille
    "il 111",                       # centoundici
])
def test_other_numbers_do_not_elide(text):
    assert elide(text) == text


@pytest.mark.parametrize("text", [
    "Hai 1 richiesta",            # no article
    "profilo 11",                 # "profilo" ends in "lo", not the article
    "dell'11/12",                 # already elided
    "all'8",
    "alle 11:00",                 # "alle" is plural: "alle undici"
    "dalle 08:00",
    "il12",                       # no space: not an article in front of a number
    "Aula 11",
])
def test_text_that_is_not_an_article_before_a_number_is_left_alone(text):
    assert elide(text) == text


def test_a_word_ending_in_an_article_is_not_one():
    assert elide("Brasil 11") == "Brasil 11"
    assert elide("canal 8") == "canal 8"


def test_a_no_break_space_counts_as_a_space():
    assert elide("dal\u00a011/12") == "dall'11/12"


@pytest.mark.parametrize(("number", "vowel"), [
    ("1", True), ("01", True), ("8", True), ("08", True), ("11", True), ("80", True), ("89", True),
    ("800", True), ("899", True), ("8.000", True), ("11.000", True), ("80.000", True),
    ("2", False), ("10", False), ("18", False), ("21", False), ("28", False), ("31", False), ("90", False),
    ("100", False), ("111", False), ("1.000", False), ("1.800", False), ("18.000", False), ("0", False),
])
def test_which_numbers_start_with_a_vowel(number, vowel):
    assert starts_with_vowel_sound(number) is vowel


@pytest.mark.parametrize(("minutes", "text"), [
    (92, "1 h 32 min"), (90, "1 h 30 min"), (60, "1 h"), (120, "2 h"), (45, "45 min"), (0, "0 min"),
    (1, "1 min"), (1600, "26 h 40 min"), (-30, "−30 min"), (None, ""),
])
def test_durations_in_hours_and_minutes(minutes, text):
    with language("it"):
        assert duration(minutes) == text


def test_thousands_of_hours_keep_the_language_separator():
    with language("it"):
        assert duration(100_000) == "1.666 h 40 min"
    with language("en"):
        assert duration(100_000) == "1,666 h 40 min"


@pytest.mark.parametrize(("hour", "greeting_id"), [
    (5, "Buongiorno, %(name)s"), (8, "Buongiorno, %(name)s"), (12, "Buongiorno, %(name)s"),
    (13, "Buon pomeriggio, %(name)s"), (17, "Buon pomeriggio, %(name)s"),
    (18, "Buonasera, %(name)s"), (23, "Buonasera, %(name)s"), (0, "Buonasera, %(name)s"), (4, "Buonasera, %(name)s"),
])
def test_the_greeting_follows_the_hour(hour, greeting_id):
    from training_hub.core.wording import greeting

    assert greeting(hour) == greeting_id


@pytest.mark.parametrize(("title", "suggested"), [
    ("Bilancio sociale", "Bilancio sociale (2ª edizione)"),
    ("Bilancio sociale (2ª edizione)", "Bilancio sociale (3ª edizione)"),
    ("Bilancio sociale (9a edizione)", "Bilancio sociale (10ª edizione)"),
    ("Bilancio sociale (2° Edizione) ", "Bilancio sociale (3ª edizione)"),
    ("Corso 2026 (base)", "Corso 2026 (base) (2ª edizione)"),
])
def test_a_new_edition_is_suggested_a_numbered_title(title, suggested):
    from training_hub.core.wording import next_edition_title

    assert next_edition_title(title) == suggested
