"""Safety course types: reference data shipped in code, each figure with its source.

Every safety course of the consortium is one of these types. The catalogue reads them to refuse a
delivery mode a type forbids and a course shorter than its minimum; attendance prints the legal
reference on the attestato; the refresh tracker (:mod:`training_hub.safety.due`) reads which
requirement a course counts for and how often it must be refreshed. This module imports only
``core`` (the one exception to the layers: catalogue and attendance, below safety, may import it).

Sources (abbreviations used below)
----------------------------------
* **ASR** — Accordo Stato-Regioni 17/04/2025, Rep. Atti n. 59/CSR (art. 37 c. 2 D.Lgs. 81/2008),
  GU n. 119 of 24/05/2025. "P. II 2.1 p. 11" is Parte II, punto 2.1, printed page 11 of 136.
* **D.Lgs. 81/2008** art. 37 (c. 7-ter added by L. 215/2021; c. 11 last period amended by art. 5
  D.L. 159/2025, converted by L. 198/2025, in force 31/12/2025).
* **DM 2/9/2021** — Ministero dell'interno, "Criteri per la gestione dei luoghi di lavoro in esercizio
  ed in emergenza" (antincendio; in force 04/10/2022): hours in allegato III (courses 1-FOR … 3-AGG),
  refresher at least every five years in art. 5 c. 5.
* **DM 388/2003** — D.I. 15/07/2003 n. 388 (primo soccorso): groups in art. 1, hours in allegati 3
  (group A) and 4 (groups B and C), refresher every three years in art. 3 c. 5.

How each figure was checked. The Accordo's PDF could not be opened from here; the figures were
checked against verbatim transcriptions of its text that give part, point and printed page (and of
the two DMs and the coordinated text of art. 37), and against the FAQ of the Regions. A figure whose
wording could not be read in any of those is marked **secondary source** next to it: it comes from
DESIGN.md / research/italian-rules.md and commentaries that agree, not from a text of the rule.
Verified in the wording: general 4 h and permanent (P. II 2.1 p. 11), specific 4/8/12 h (P. II 2.1
p. 12), workers' refresher 6 h every 5 years from the end date on the attestato (P. III 1.1),
preposto 12 h (P. II 2.2 p. 14) refreshed at least every two years (art. 37 c. 7-ter), dirigente 12 h
(P. II 2.3 p. 15), datore di lavoro 16 h (P. II 3 p. 17), the 6-hour "cantieri" modules (P. II 2.3
p. 16 and 3 p. 19) that never count as a refresher (P. III), RLS 32 h and the yearly 4/8 h by
headcount (art. 37 c. 11), antincendio 4/8/16 h and 2/5/8 h every 5 years (DM 2/9/2021), primo
soccorso 16/12 h every 3 years (DM 388/2003). Read only as a summary of the text: the 6 hours of the
refreshers of preposti, dirigenti and datori (P. III 1.2-1.4).
"""

from __future__ import annotations

from dataclasses import dataclass

from training_hub.core.i18n import N_

# Delivery modes (the values of the course's ``delivery_mode``): ``online`` is a synchronous
# videoconference, which the Accordo treats as presence except for practical modules (P. IV 3.2, as
# quoted by the interregional FAQ of 27/03/2026, quesito 33); ``blended`` is a course whose sessions are
# partly in presence and partly by synchronous videoconference (no asynchronous part), so it is allowed
# exactly where both are; ``e_learning`` is asynchronous.
IN_PRESENCE = "in_presence"
ONLINE = "online"
BLENDED = "blended"
E_LEARNING = "e_learning"
DELIVERY_MODES = (IN_PRESENCE, ONLINE, BLENDED, E_LEARNING)

# ASR P. IV 3.5 has two tables (first courses, refreshers) of the modes each course allows (FAQ
# interregionali 27/03/2026, quesiti 19 and 33). E-learning only for the general course, the specific
# course at low risk (confirmed by FAQ Commissione Salute 31/07/2025, quesito 57, quoting table 3.5) and
# the workers' refresher: secondary source for the rows themselves.
ANY_MODE = (IN_PRESENCE, ONLINE, BLENDED, E_LEARNING)
# Presence or synchronous videoconference: preposti (art. 37 c. 7-ter "interamente in presenza", with
# the videoconference counted as presence), dirigenti, datori di lavoro, RLS (secondary source).
NO_E_LEARNING = (IN_PRESENCE, ONLINE, BLENDED)
# Courses with practical exercises (antincendio: DM 2/9/2021 all. III; primo soccorso: DM 388/2003
# all. 3 and 4): the practice needs presence, the theory may be followed by videoconference; our
# reading of the programmes, not a row of the Accordo's table.
PRACTICE_IN_PRESENCE = (IN_PRESENCE, BLENDED)

# ASR P. IV (secondary source): at least 90% of the hours attended for the attestato; the final
# learning test (compulsory for every course and refresher, art. 37 c. 2 as amended by L. 215/2021)
# has at least 30 questions for a first course and 10 for a refresher, passed at 70%. The same figures
# are used for the DM courses (antincendio, primo soccorso), which set none of their own.
MIN_ATTENDANCE_PERCENT = 90
FIRST_COURSE_TEST_QUESTIONS = 30
REFRESHER_TEST_QUESTIONS = 10
TEST_PASS_PERCENT = 70

# The tracker line (requirement) each course counts for: a course counts only for its own requirement,
# never for another role's (ASR P. III, last paragraphs).
GENERAL = "lavoratori_generale"
SPECIFIC = "lavoratori_specifica"
PREPOSTO = "preposto"
DIRIGENTE = "dirigente"
DATORE_LAVORO = "datore_lavoro"
RLS = "rls"
ANTINCENDIO = "antincendio"
PRIMO_SOCCORSO = "primo_soccorso"

ASR = "Accordo Stato-Regioni 17/04/2025 (Rep. Atti n. 59/CSR)"
DLGS = "D.Lgs. 81/2008"


@dataclass(frozen=True)
class HeadcountBand:
    """Refresher hours for cooperatives whose headcount lies in ``[min_workers, max_workers]``.

    ``hours`` None: the law sets no figure (the collective agreement does).
    """

    min_workers: int
    max_workers: int | None
    hours: int | None

    def contains(self, headcount: int) -> bool:
        return headcount >= self.min_workers and (self.max_workers is None or headcount <= self.max_workers)


# Art. 37 c. 11 D.Lgs. 81/2008, last period as amended by D.L. 159/2025 art. 5 (L. 198/2025, in force
# 31/12/2025): at least 4 hours a year from 15 to 50 workers, 8 hours above 50; below 15 the national
# collective agreement sets the refresher "nel rispetto del principio di proporzionalità" (no figure).
RLS_REFRESH_BANDS = (
    HeadcountBand(0, 14, None),
    HeadcountBand(15, 50, 4),
    HeadcountBand(51, None, 8),
)


@dataclass(frozen=True)
class CourseType:
    """One safety course type.

    ``requirement`` is the tracker line the course counts for (None: it counts for none, like the
    "cantieri" modules); ``level`` the risk class, antincendio level or primo soccorso group it is for.
    ``refresher_of`` lists the first courses a refresher refreshes (empty for a first course);
    ``refresh_years`` / ``refresh_hours`` say how often and with how many hours the training this course
    gives must be refreshed (None: it never expires); RLS hours depend on the headcount
    (``refresh_hours_by_headcount``). ``legal_reference`` is printed on the attestato (ASR P. I 6 c));
    ``source`` names where the figures come from.
    """

    code: str
    title: str
    legal_reference: str
    source: str
    min_hours: int
    requirement: str | None
    level: str | None = None
    refresher_of: tuple[str, ...] = ()
    refresh_years: int | None = None
    refresh_hours: int | None = None
    refresh_hours_by_headcount: tuple[HeadcountBand, ...] = ()
    delivery_modes: tuple[str, ...] = NO_E_LEARNING
    min_attendance_percent: int = MIN_ATTENDANCE_PERCENT
    test_pass_percent: int = TEST_PASS_PERCENT

    @property
    def is_refresher(self) -> bool:
        return bool(self.refresher_of)

    @property
    def final_test_min_questions(self) -> int:
        return REFRESHER_TEST_QUESTIONS if self.is_refresher else FIRST_COURSE_TEST_QUESTIONS

    def allows(self, delivery_mode: str) -> bool:
        return delivery_mode in self.delivery_modes

    def refresh_hours_for(self, headcount: int | None) -> int | None:
        """The refresher hours due, for a cooperative of ``headcount`` workers where they depend on it."""
        if not self.refresh_hours_by_headcount:
            return self.refresh_hours
        if headcount is None:
            return None
        for band in self.refresh_hours_by_headcount:
            if band.contains(headcount):
                return band.hours
        return None


def _workers_specific(level: str, title: str, hours: int, modes: tuple[str, ...]) -> CourseType:
    return CourseType(
        code=f"lavoratori_specifica_{level}",
        title=title,
        legal_reference=f"{DLGS}, art. 37 c. 1 lett. b) e c. 3; {ASR}, Parte II, punto 2.1",
        source="ASR P. II 2.1 p. 12 (4/8/12 h by the risk class of Allegato IV, on top of the general 4 h); "
        "refresher P. III 1.1",
        min_hours=hours,
        requirement=SPECIFIC,
        level=level,
        refresh_years=5,
        refresh_hours=6,
        delivery_modes=modes,
    )


_SPECIFIC = ("lavoratori_specifica_basso", "lavoratori_specifica_medio", "lavoratori_specifica_alto")

_WORKERS = (
    CourseType(
        code="lavoratori_generale",
        title=N_("Formazione generale dei lavoratori"),
        legal_reference=f"{DLGS}, art. 37 c. 1 lett. a); {ASR}, Parte II, punto 2.1",
        source="ASR P. II 2.1 p. 11: at least 4 h; 'la formazione generale costituisce credito formativo "
        "permanente' (never expires)",
        min_hours=4,
        requirement=GENERAL,
        delivery_modes=ANY_MODE,
    ),
    _workers_specific("basso", N_("Formazione specifica dei lavoratori — rischio basso"), 4, ANY_MODE),
    _workers_specific("medio", N_("Formazione specifica dei lavoratori — rischio medio"), 8, NO_E_LEARNING),
    _workers_specific("alto", N_("Formazione specifica dei lavoratori — rischio alto"), 12, NO_E_LEARNING),
    CourseType(
        code="lavoratori_aggiornamento",
        title=N_("Aggiornamento lavoratori"),
        legal_reference=f"{DLGS}, art. 37 c. 6; {ASR}, Parte III, punto 1.1",
        source="ASR P. III 1.1: at least 6 h, 'con una periodicità quinquennale … a decorrere dalla data di "
        "fine corso riportata nell'attestato'",
        min_hours=6,
        requirement=SPECIFIC,
        refresher_of=_SPECIFIC,
        refresh_years=5,
        refresh_hours=6,
        delivery_modes=ANY_MODE,
    ),
)

_MANAGERS = (
    CourseType(
        code="preposto",
        title=N_("Formazione preposti"),
        legal_reference=f"{DLGS}, art. 37 c. 7 e 7-ter; {ASR}, Parte II, punto 2.2",
        source="ASR P. II 2.2 p. 14: 'Durata minima 12 ore', after the workers' general and specific "
        "course; refresher at least every 2 years (art. 37 c. 7-ter), 6 h (P. III 1.2, read as a summary)",
        min_hours=12,
        requirement=PREPOSTO,
        refresh_years=2,
        refresh_hours=6,
    ),
    CourseType(
        code="preposto_aggiornamento",
        title=N_("Aggiornamento preposti"),
        legal_reference=f"{DLGS}, art. 37 c. 7-ter; {ASR}, Parte III, punto 1.2",
        source="ASR P. III 1.2 (6 h, read as a summary); art. 37 c. 7-ter: 'cadenza almeno biennale'",
        min_hours=6,
        requirement=PREPOSTO,
        refresher_of=("preposto",),
        refresh_years=2,
        refresh_hours=6,
    ),
    CourseType(
        code="dirigente",
        title=N_("Formazione dirigenti"),
        legal_reference=f"{DLGS}, art. 37 c. 7; {ASR}, Parte II, punto 2.3",
        source="ASR P. II 2.3 p. 15: 'Durata minima 12 ore'; refresher 6 h every 5 years (P. III 1.3, read as "
        "a summary)",
        min_hours=12,
        requirement=DIRIGENTE,
        refresh_years=5,
        refresh_hours=6,
    ),
    CourseType(
        code="dirigente_aggiornamento",
        title=N_("Aggiornamento dirigenti"),
        legal_reference=f"{DLGS}, art. 37 c. 7; {ASR}, Parte III, punto 1.3",
        source="ASR P. III 1.3: quinquennial, at least 6 h (read as a summary)",
        min_hours=6,
        requirement=DIRIGENTE,
        refresher_of=("dirigente",),
        refresh_years=5,
        refresh_hours=6,
    ),
    CourseType(
        code="dirigente_modulo_cantieri",
        title=N_("Modulo aggiuntivo cantieri — dirigenti"),
        legal_reference=f"{DLGS}, art. 97 c. 3-ter; {ASR}, Parte II, punto 2.3",
        source="ASR P. II 2.3 p. 16: 'Modulo aggiuntivo «Cantieri»: durata minima 6 ore'; P. III: not valid "
        "as a refresher of any figure",
        min_hours=6,
        requirement=None,
    ),
    CourseType(
        code="datore_lavoro",
        title=N_("Formazione datori di lavoro"),
        legal_reference=f"{DLGS}, art. 37 c. 7; {ASR}, Parte II, punto 3",
        source="ASR P. II 3 p. 17: 'Durata minima 16 ore'; refresher 6 h every 5 years (P. III 1.4, read as a "
        "summary); first course within 24 months of the Accordo's entry into force (P. VII)",
        min_hours=16,
        requirement=DATORE_LAVORO,
        refresh_years=5,
        refresh_hours=6,
    ),
    CourseType(
        code="datore_lavoro_aggiornamento",
        title=N_("Aggiornamento datori di lavoro"),
        legal_reference=f"{DLGS}, art. 37 c. 7; {ASR}, Parte III, punto 1.4",
        source="ASR P. III 1.4: quinquennial, at least 6 h (read as a summary)",
        min_hours=6,
        requirement=DATORE_LAVORO,
        refresher_of=("datore_lavoro",),
        refresh_years=5,
        refresh_hours=6,
    ),
    CourseType(
        code="datore_lavoro_modulo_cantieri",
        title=N_("Modulo aggiuntivo cantieri — datori di lavoro"),
        legal_reference=f"{DLGS}, art. 97 c. 3-ter; {ASR}, Parte II, punto 3",
        source="ASR P. II 3 p. 19: 'Modulo aggiuntivo «Cantieri»: durata minima 6 ore'; P. III: not valid as "
        "a refresher of any figure",
        min_hours=6,
        requirement=None,
    ),
)

_RLS = (
    CourseType(
        code="rls",
        title=N_("Formazione del rappresentante dei lavoratori per la sicurezza (RLS)"),
        legal_reference=f"{DLGS}, art. 37 c. 10 e 11",
        source="Art. 37 c. 11: 'La durata minima dei corsi è di 32 ore iniziali'; yearly refresher of at least "
        "4 h (15-50 workers) or 8 h (above 50), below 15 set by the collective agreement (D.L. 159/2025 "
        "art. 5, L. 198/2025)",
        min_hours=32,
        requirement=RLS,
        refresh_years=1,
        refresh_hours_by_headcount=RLS_REFRESH_BANDS,
    ),
    CourseType(
        code="rls_aggiornamento",
        title=N_("Aggiornamento RLS"),
        legal_reference=f"{DLGS}, art. 37 c. 11 (come modificato dal D.L. 159/2025, conv. L. 198/2025)",
        source="Art. 37 c. 11: at least 4 h a year (15-50 workers) or 8 h (above 50)",
        min_hours=4,
        requirement=RLS,
        refresher_of=("rls",),
        refresh_years=1,
        refresh_hours_by_headcount=RLS_REFRESH_BANDS,
    ),
)

# DM 2/9/2021 allegato III: first courses 1-FOR 4 h, 2-FOR 8 h, 3-FOR 16 h; refreshers 1-AGG 2 h,
# 2-AGG 5 h, 3-AGG 8 h (totals "compresa verifica di apprendimento"); art. 5 c. 5: refresher "con
# cadenza almeno quinquennale".
_FIRE = ((1, 4, 2), (2, 8, 5), (3, 16, 8))
_FIRE_TITLES = {
    1: (N_("Addetti antincendio — livello 1"), N_("Aggiornamento addetti antincendio — livello 1")),
    2: (N_("Addetti antincendio — livello 2"), N_("Aggiornamento addetti antincendio — livello 2")),
    3: (N_("Addetti antincendio — livello 3"), N_("Aggiornamento addetti antincendio — livello 3")),
}


def _fire_courses() -> tuple[CourseType, ...]:
    courses: list[CourseType] = []
    for level, hours, refresh in _FIRE:
        title, refresher_title = _FIRE_TITLES[level]
        common = {"requirement": ANTINCENDIO, "level": str(level), "refresh_years": 5, "refresh_hours": refresh,
                  "delivery_modes": PRACTICE_IN_PRESENCE}
        courses.append(CourseType(
            code=f"antincendio_{level}", title=title,
            legal_reference=f"{DLGS}, artt. 37 c. 9 e 46; D.M. 2 settembre 2021, allegato III (corso {level}-FOR)",
            source=f"DM 2/9/2021 all. III: corso {level}-FOR {hours} h; refresher {level}-AGG {refresh} h at "
            "least every 5 years (art. 5 c. 5)",
            min_hours=hours, **common,
        ))
        courses.append(CourseType(
            code=f"antincendio_aggiornamento_{level}", title=refresher_title,
            legal_reference=f"{DLGS}, artt. 37 c. 9 e 46; D.M. 2 settembre 2021, art. 5 c. 5 e allegato III "
            f"(corso {level}-AGG)",
            source=f"DM 2/9/2021 all. III: corso {level}-AGG {refresh} h; art. 5 c. 5: at least every 5 years",
            min_hours=refresh, refresher_of=(f"antincendio_{level}",), **common,
        ))
    return tuple(courses)


# DM 388/2003: group A 16 h (allegato 3), groups B and C 12 h (allegato 4); art. 3 c. 5: repeated "con
# cadenza triennale almeno per quanto attiene alla capacità di intervento pratico". The DM sets no
# refresher hours: 6 h (A) and 4 h (B/C) are the common practice — secondary source.
_FIRST_AID = (
    ("a", 16, 6, "allegato 3", N_("Addetti al primo soccorso — gruppo A"),
     N_("Aggiornamento addetti al primo soccorso — gruppo A")),
    ("bc", 12, 4, "allegato 4", N_("Addetti al primo soccorso — gruppi B e C"),
     N_("Aggiornamento addetti al primo soccorso — gruppi B e C")),
)


def _first_aid_courses() -> tuple[CourseType, ...]:
    courses: list[CourseType] = []
    for group, hours, refresh, annex, title, refresher_title in _FIRST_AID:
        common = {"requirement": PRIMO_SOCCORSO, "level": group, "refresh_years": 3, "refresh_hours": refresh,
                  "delivery_modes": PRACTICE_IN_PRESENCE}
        courses.append(CourseType(
            code=f"primo_soccorso_{group}", title=title,
            legal_reference=f"{DLGS}, artt. 37 c. 9 e 45; D.M. 15 luglio 2003 n. 388, art. 3 e {annex}",
            source=f"DM 388/2003 {annex}: {hours} h; art. 3 c. 5: every 3 years; refresher {refresh} h: "
            "secondary source (common practice, the DM sets no hours)",
            min_hours=hours, **common,
        ))
        courses.append(CourseType(
            code=f"primo_soccorso_aggiornamento_{group}", title=refresher_title,
            legal_reference=f"{DLGS}, artt. 37 c. 9 e 45; D.M. 15 luglio 2003 n. 388, art. 3 c. 5",
            source=f"DM 388/2003 art. 3 c. 5: every 3 years; {refresh} h: secondary source (common practice)",
            min_hours=refresh, refresher_of=(f"primo_soccorso_{group}",), **common,
        ))
    return tuple(courses)


COURSE_TYPES: tuple[CourseType, ...] = (*_WORKERS, *_MANAGERS, *_RLS, *_fire_courses(), *_first_aid_courses())
COURSE_TYPE_CODES: tuple[str, ...] = tuple(course.code for course in COURSE_TYPES)
_BY_CODE = {course.code: course for course in COURSE_TYPES}


def course_type(code: str) -> CourseType:
    """The course type of ``code``; ``KeyError`` for an unknown code (use :func:`find_course_type` to ask)."""
    return _BY_CODE[code]


def find_course_type(code: str | None) -> CourseType | None:
    return _BY_CODE.get(code) if code else None


def course_types_for(requirement: str) -> tuple[CourseType, ...]:
    """Every course type that counts for ``requirement``, in the stable order."""
    return tuple(course for course in COURSE_TYPES if course.requirement == requirement)
