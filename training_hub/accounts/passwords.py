"""How strong a new password must be (issue 12 item 9).

The strength is zxcvbn's estimate (Wheeler, "zxcvbn: Low-Budget Password Strength Estimation", USENIX
Security 2016): a score 0-4 from the guesses an attacker would need, matching dictionaries of common
passwords, names and words, keyboard patterns, repeats, sequences and dates. A new password needs at
least the score of the setting ``password_min_score`` (3 by default: "safely unguessable", see
``core/settings.py``), with the person's own name and e-mail and the words of this site as extra
dictionary words, so ``Mario.Rossi2026`` is weak for Mario Rossi. NIST SP 800-63B §5.1.1.2 asks for the
same: at least 8 characters (we keep 10) and no password from lists of common or expected ones.

zxcvbn's own feedback is in English: its warnings are translated here, with Italian msgids.
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.settings import get_settings

MIN_PASSWORD_LENGTH = 10
# zxcvbn refuses to evaluate more than 72 characters (its cost grows with the length); beyond that a
# password is long enough, and the first 72 characters are what is judged.
ZXCVBN_MAX_LENGTH = 72
MAX_PASSWORD_LENGTH = 200
# Words anyone would try first against this site.
SITE_WORDS = ("training", "hub", "traininghub", "consorzio", "sociale", "light", "cooperativa", "formazione",
              "password", "ciao", "amore", "lombardia", "milano")

WARNINGS = {
    "Straight rows of keys are easy to guess.": N_("Password troppo debole: le righe di tasti vicini si indovinano facilmente."),
    "Short keyboard patterns are easy to guess.": N_("Password troppo debole: le sequenze brevi sulla tastiera si indovinano facilmente."),
    'Repeats like "aaa" are easy to guess.': N_("Password troppo debole: le ripetizioni come “aaa” si indovinano facilmente."),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': N_("Password troppo debole: le ripetizioni come “abcabcabc” sono facili quasi quanto “abc”."),
    'Sequences like "abc" or "6543" are easy to guess.': N_("Password troppo debole: le sequenze come “abc” o “6543” si indovinano facilmente."),
    "Recent years are easy to guess.": N_("Password troppo debole: gli anni recenti si indovinano facilmente."),
    "Dates are often easy to guess.": N_("Password troppo debole: le date si indovinano spesso facilmente."),
    "This is a top-10 common password.": N_("Password troppo debole: è una delle 10 password più usate."),
    "This is a top-100 common password.": N_("Password troppo debole: è una delle 100 password più usate."),
    "This is a very common password.": N_("Password troppo debole: è una password molto comune."),
    "This is similar to a commonly used password.": N_("Password troppo debole: somiglia a una password molto usata."),
    "A word by itself is easy to guess.": N_("Password troppo debole: una parola da sola si indovina facilmente."),
    "Names and surnames by themselves are easy to guess.": N_("Password troppo debole: nomi e cognomi da soli si indovinano facilmente."),
    "Common names and surnames are easy to guess.": N_("Password troppo debole: i nomi e i cognomi comuni si indovinano facilmente."),
}


def personal_words(full_name: str = "", email: str = "") -> list[str]:
    """The person's name and e-mail, and their parts, as zxcvbn's extra dictionary words."""
    name_parts = [part for part in re.split(r"[\s.'_+-]+", full_name or "") if part]
    local = (email or "").split("@")[0]
    words = [full_name, email, local, "".join(name_parts), "".join(reversed(name_parts))]
    words += name_parts
    words += re.split(r"[\s.'@_+-]+", email or "")
    return [word.lower() for word in words if word and len(word) >= 2] + list(SITE_WORDS)


def password_problem(password: str, *, full_name: str = "", email: str = "") -> str | None:
    """The Italian msgid of what is wrong with ``password``, or None if it is strong enough."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return N_("La password deve avere almeno 10 caratteri.")
    if len(password) > MAX_PASSWORD_LENGTH:
        return N_("La password è troppo lunga: al massimo 200 caratteri.")
    if email and password.strip().lower() == email.strip().lower():
        return N_("La password non può coincidere con l'indirizzo e-mail.")
    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=personal_words(full_name, email))
    if result["score"] >= get_settings().password_min_score:
        return None
    return WARNINGS.get(result["feedback"]["warning"] or "", N_(
        "La password è troppo facile da indovinare: usa una frase di più parole non ovvie, "
        "senza il tuo nome o la tua e-mail."))


def validate_new_password(password: str, *, email: str = "", full_name: str = "", field: str = "new_password") -> None:
    """ValidationFailed on ``field`` for a password too short or too easy to guess."""
    problem = password_problem(password, full_name=full_name, email=email)
    if problem is not None:
        raise ValidationFailed(problem, field=field)
