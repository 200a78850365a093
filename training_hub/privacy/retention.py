"""What a law requires the consortium to keep after a person asks to be erased (GDPR art. 17.3.b), and
until when. Pure rules with their sources; ``erasure.py`` applies them.

- **Course registers and attendance** (who took part, when, for how long) and the **final tests**: they
  are the course's evidence. For safety training the Accordo Stato-Regioni 17/04/2025 (Parte I, punto 7)
  asks the training body to keep the course dossier (register, participants' data, tests) for 10 years;
  for funded plans Fon.Coop and Fondimpresa keep the right to inspect the plan's documents for 10 years
  after its closing (art. 2220 c.c., the records that support accounting entries). One rule covers every
  course: 10 years from the end of its last session.
- **Name and codice fiscale** stay as long as any such record does: a register without the name of who
  signed it proves nothing. Everything else of the profile (e-mail, password, language, area, links,
  tokens, needs) goes at once.
"""

from __future__ import annotations

from datetime import date

COURSE_RECORDS_YEARS = 10
# Safety courses add their own hold with the Accordo's reference (safety/retention.py, through the
# retention_holds hook); this rule covers every course.
COURSE_RECORDS_SOURCE = "art. 2220 c.c.: registri e documenti dei corsi e dei piani finanziati, 10 anni"


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def course_records_kept_until(last_session_day: date) -> date:
    """The last day the register and attendance of a course ended on ``last_session_day`` must be kept."""
    return add_years(last_session_day, COURSE_RECORDS_YEARS)


def must_keep(last_session_day: date | None, today: date) -> bool:
    """Whether a course's records (and so its participants' names) must still be kept ``today``."""
    return last_session_day is not None and today <= course_records_kept_until(last_session_day)
