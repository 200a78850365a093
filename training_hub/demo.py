"""Demo data: the consortium's cooperatives in the seven provinces, the three kinds of path with
realistic courses and sessions over the coming weeks, and the five demo logins.

Dates follow the day the demo is loaded, so they are placed by :class:`DemoCalendar` under the rules
the application applies to a trainer scheduling the same sessions (no clash of trainer or room, no
Sunday, holiday or patron saint, within the hours): every course can be opened and saved unchanged.

Loaded by ``training-hub demo`` and ``training-hub serve --demo`` (only into an empty database).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from training_hub.catalogue.holidays import national_holiday, patron_saint
from training_hub.catalogue.scheduling import EARLIEST, LATEST, MAX_MINUTES_PER_DAY, overlaps
from training_hub.core.security import hash_password
from training_hub.core.tables import (
    Cooperative,
    Course,
    CourseEligibleArea,
    CourseStatus,
    CourseTrainer,
    DeliveryMode,
    EnrolledVia,
    Enrolment,
    EnrolmentStatus,
    Location,
    PathKind,
    Person,
    Session,
    TrainingPath,
    TutorLink,
)
from training_hub.core.timeutil import minutes_between, rome_wall_clock, to_rome, utcnow
from training_hub.directory.service import partita_iva_check_digit

DEMO_PASSWORD = "demo-password"
DEMO_LOGINS = {
    "admin@demo.test": ("Giulia Ferrari", "admin"),
    "trainer@demo.test": ("Marco Bianchi", "trainer"),
    "coordinator@demo.test": ("Elena Colombo", "coordinator"),
    "worker@demo.test": ("Luca Rossi", "worker"),
    "tutor@demo.test": ("Sara Ricci", "tutor"),
}

# (name, province, comune, areas) — the regional presence listed in the consortium's brochure.
COOPERATIVES = [
    ("Cooperativa Sociale Il Sentiero", "BG", "Bergamo", ["varie"]),
    ("Cooperativa Sociale Il Melograno", "CO", "Como", ["minori", "anziani"]),
    ("Lario Solidale Società Cooperativa Sociale", "CO", "Cantù", ["psichiatria", "disabili"]),
    ("Cooperativa Sociale La Bussola", "BS", "Brescia", ["minori"]),
    ("Cooperativa Sociale Il Ponte", "BS", "Chiari", ["minori", "disabili"]),
    ("Franciacorta Insieme Cooperativa Sociale", "BS", "Rovato", ["disabili", "anziani"]),
    ("Cooperativa Sociale Spazio Aperto", "MI", "Milano", ["anziani", "riabilitazione"]),
    ("Naviglio Cooperativa Sociale", "MI", "Milano", ["varie", "psichiatria"]),
    ("Cooperativa Sociale Il Girasole", "MI", "Sesto San Giovanni", ["minori"]),
    ("Terre Virgiliane Cooperativa Sociale", "MN", "Mantova", ["disabili"]),
    ("Cooperativa Sociale Ticino", "PV", "Pavia", ["riabilitazione", "anziani"]),
    ("Cooperativa Sociale La Rondine", "PV", "Vigevano", ["minori"]),
    ("Oltrepò Sociale Cooperativa", "PV", "Voghera", ["minori", "varie"]),
    ("Cooperativa Sociale Il Seme", "PV", "Pavia", ["disabili", "anziani"]),
    ("Cooperativa Sociale Il Torrazzo", "CR", "Cremona", ["minori", "anziani"]),
    ("Po Solidale Cooperativa Sociale", "CR", "Crema", ["varie", "disabili", "anziani"]),
]
HOME_COOPERATIVE = "Cooperativa Sociale Spazio Aperto"

FIRST_NAMES = [
    "Alessandro", "Chiara", "Francesco", "Martina", "Andrea", "Federica", "Matteo", "Valentina", "Davide",
    "Silvia", "Stefano", "Paola", "Simone", "Laura", "Roberto", "Francesca", "Giorgio", "Anna", "Paolo",
    "Elisa", "Riccardo", "Monica", "Fabio", "Cristina", "Nicola", "Serena", "Lorenzo", "Alessia",
]
LAST_NAMES = [
    "Galli", "Conti", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana",
    "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Fabbri",
    "Brambilla", "Villa", "Cattaneo", "Longhi", "Bassi", "Pozzi", "Riva", "Sala",
]

# (key, name, address, comune, province, capacity, step_free, online)
LOCATIONS = [
    ("sede", "Sede del Consorzio Sociale Light", "Via Tolmezzo, 3", "Milano", "MI", 40, True, False),
    ("spazio", "Sala formazione Spazio Aperto", "Via Padova, 104", "Milano", "MI", 24, True, False),
    ("bergamo", "Centro civico Longuelo", "Via Lochis, 10", "Bergamo", "BG", 30, True, False),
    ("brescia", "Aula La Bussola", "Via Milano, 52", "Brescia", "BS", 20, False, False),
    ("como", "Casa del Volontariato", "Via Grandi, 21", "Como", "CO", 25, True, False),
    ("cremona", "Sala Il Torrazzo", "Via Dante, 134", "Cremona", "CR", 18, True, False),
    ("mantova", "Centro Terre Virgiliane", "Viale Risorgimento, 17", "Mantova", "MN", 20, True, False),
    ("pavia", "Aula Ticino", "Corso Garibaldi, 41", "Pavia", "PV", 22, False, False),
    ("online", "Aula virtuale del Consorzio", "", "", None, None, True, True),
]


@dataclass
class DemoCourse:
    title: str
    description: str
    capacity: int
    location: str
    weeks_ahead: int
    sessions: list[tuple[str, str, str]]  # (start HH:MM, end HH:MM, topics), one per week
    trainer: str = "trainer@demo.test"
    delivery_mode: str = DeliveryMode.IN_PRESENCE.value
    requires_approval: bool = False
    threshold: int = 70
    funder_code: str | None = None
    areas: tuple[str, ...] = ()


@dataclass
class DemoPath:
    kind: str
    title: str
    description: str
    objectives: str
    courses: list[DemoCourse]
    sequential: bool = False
    owner: str | None = None


PATHS = [
    DemoPath(
        kind=PathKind.INTERNAL_TRAINING.value,
        title="Formare i formatori: progettare la formazione interna",
        description=(
            "Un percorso per costruire, dentro ogni cooperativa, persone capaci di pianificare, progettare "
            "e gestire la formazione interna."
        ),
        objectives="Leggere i fabbisogni formativi; progettare un percorso; valutarne i risultati.",
        sequential=True,
        courses=[
            DemoCourse(
                "Analisi dei fabbisogni formativi",
                "Strumenti per rilevare i bisogni di formazione degli operatori e dei servizi.",
                20, "sede", 1,
                [("09:30", "13:00", "Il ciclo della formazione; interviste e questionari"),
                 ("09:30", "13:00", "Dalla rilevazione al piano formativo")],
                funder_code="FONCOOP-AVV-2026-014",
            ),
            DemoCourse(
                "Progettare un percorso formativo",
                "Obiettivi, metodi, tempi e costi: la progettazione di un corso per la propria cooperativa.",
                20, "sede", 4,
                [("09:30", "13:00", "Obiettivi di apprendimento"), ("09:30", "13:00", "Metodi attivi"),
                 ("09:30", "13:00", "Budget e finanziamenti dei fondi interprofessionali")],
                funder_code="FONCOOP-AVV-2026-014",
            ),
            DemoCourse(
                "Valutare la formazione",
                "Gradimento, apprendimento, ricaduta sul lavoro: come misurare e raccontare i risultati.",
                20, "online", 8,
                [("14:30", "17:30", "I livelli della valutazione"), ("14:30", "17:30", "Restituire i risultati")],
                delivery_mode=DeliveryMode.ONLINE.value,
                funder_code="FONCOOP-AVV-2026-014",
            ),
        ],
    ),
    DemoPath(
        kind=PathKind.INCLUSION.value,
        title="Percorsi di inserimento lavorativo",
        description=(
            "Percorsi mirati di inserimento e sviluppo a favore di persone con disabilità o in situazione di "
            "svantaggio sociale, e strumenti per chi le accompagna."
        ),
        objectives="Progettare inserimenti sostenibili; sostenere la persona e il gruppo di lavoro.",
        courses=[
            DemoCourse(
                "Accompagnare l'inserimento lavorativo",
                "Il progetto individuale, il ruolo del tutor, la rete con i servizi del territorio.",
                16, "spazio", 2,
                [("14:00", "17:30", "Il progetto individuale"), ("14:00", "17:30", "Lavorare con la rete dei servizi"),
                 ("14:00", "17:30", "Casi e strumenti")],
                areas=("disabili", "psichiatria", "riabilitazione"),
            ),
            DemoCourse(
                "Laboratorio di competenze per il lavoro",
                "Un laboratorio pratico, con materiali in linguaggio facile, per chi inizia un percorso di "
                "inserimento: puntualità, sicurezza, lavoro di gruppo.",
                10, "spazio", 1,
                [("10:00", "12:00", "Conoscersi e presentarsi"), ("10:00", "12:00", "Sicurezza e regole"),
                 ("10:00", "12:00", "Lavorare in gruppo"), ("10:00", "12:00", "Il mio progetto")],
                trainer="trainer2@demo.test",
                requires_approval=True,
            ),
        ],
    ),
    DemoPath(
        kind=PathKind.MARKETING.value,
        title="Marketing dell'impresa sociale",
        description=(
            "Nuove competenze di marketing per valorizzare le finalità, le metodologie e gli strumenti propri "
            "dell'impresa sociale, a partire dai suoi valori."
        ),
        objectives="Raccontare i valori della cooperativa; rendicontare l'impatto; usare i canali digitali.",
        courses=[
            DemoCourse(
                "Comunicare i valori della cooperativa",
                "Identità, missione e persone: costruire un racconto credibile per committenti e comunità.",
                25, "bergamo", 2,
                [("09:00", "13:00", "Identità e valori"), ("09:00", "13:00", "Il racconto e i suoi canali")],
                trainer="trainer3@demo.test",
            ),
            DemoCourse(
                "Bilancio sociale e rendicontazione",
                "Le linee guida per il bilancio sociale degli enti del Terzo settore, passo dopo passo.",
                6, "como", 3,
                [("14:30", "18:00", "Le linee guida"), ("14:30", "18:00", "Indicatori e dati")],
                trainer="trainer3@demo.test",
            ),
            DemoCourse(
                "Social media per le cooperative sociali",
                "Piano editoriale, fotografie e privacy delle persone seguite, misurare i risultati.",
                30, "online", 5,
                [("17:00", "19:00", "Il piano editoriale"), ("17:00", "19:00", "Immagini, consenso e privacy"),
                 ("17:00", "19:00", "Misurare")],
                delivery_mode=DeliveryMode.ONLINE.value,
                trainer="trainer3@demo.test",
            ),
        ],
    ),
    DemoPath(
        kind=PathKind.OTHER.value,
        title="Sicurezza sul lavoro (D.Lgs. 81/2008)",
        description="Formazione obbligatoria dei lavoratori sulla salute e sicurezza nei luoghi di lavoro.",
        objectives="Conoscere rischi, prevenzione e organizzazione della sicurezza in cooperativa.",
        courses=[
            DemoCourse(
                "Formazione generale dei lavoratori",
                "Modulo generale di 4 ore: concetti di rischio, danno, prevenzione, organizzazione.",
                20, "brescia", 1,
                [("14:00", "18:00", "Rischio, danno, prevenzione e protezione; diritti e doveri")],
                threshold=90,
                funder_code="FONCOOP-SIC-2026-003",
            ),
            DemoCourse(
                "Primo soccorso in cooperativa",
                "Corso per gli addetti al primo soccorso (gruppi B e C), con esercitazioni pratiche.",
                18, "cremona", 3,
                [("09:00", "13:00", "Allertare i soccorsi; valutazione"), ("09:00", "13:00", "Esercitazioni pratiche"),
                 ("09:00", "13:00", "Casi pratici e verifica")],
                threshold=90,
                funder_code="FONCOOP-SIC-2026-003",
            ),
        ],
    ),
    DemoPath(
        kind=PathKind.INTERNAL_TRAINING.value,
        title="Formazione interna Spazio Aperto",
        description="I corsi interni della cooperativa Spazio Aperto, riservati ai suoi soci e lavoratori.",
        objectives="Accogliere i nuovi operatori e condividere le procedure dei servizi.",
        owner=HOME_COOPERATIVE,
        courses=[
            DemoCourse(
                "Accoglienza dei nuovi operatori",
                "Procedure, servizi e persone della cooperativa: le prime settimane di lavoro.",
                12, "spazio", 2,
                [("14:00", "16:00", "La cooperativa e i suoi servizi"), ("14:00", "16:00", "Procedure e sicurezza")],
                trainer="coordinator@demo.test",
            ),
        ],
    ),
]

EXTRA_TRAINERS = {
    "trainer2@demo.test": "Anna Marchetti",
    "trainer3@demo.test": "Paolo Greco",
}


def _partita_iva(seed: int) -> str:
    first_ten = f"{8_000_000_000 + seed * 7919:010d}"[-10:]
    return first_ten + partita_iva_check_digit(first_ten)


# The office's year-end closure: no course on these days, no enrolment deadline either.
OFFICE_CLOSED = {(12, 24), (12, 31)}
ENROLMENT_OPENS = time(9, 0)  # enrolment opens at 09:00 of a working day
DEADLINES = time(12, 0)  # closes, and free cancellation ends, at noon of a working day
LOCATION_COMUNI = {key: comune for key, _n, _a, comune, _p, _c, _s, _o in LOCATIONS}
LOCATION_CAPACITIES = {key: capacity for key, _n, _a, _c, _p, capacity, _s, _o in LOCATIONS}
PHYSICAL_LOCATIONS = {key for key, *_rest, online in LOCATIONS if not online}


def is_working_day(day: date, comune: str | None = None) -> bool:
    """Monday to Friday, no national holiday, not in the office's year-end closure and, for a session in
    ``comune``, not its patron saint's day: the days scheduling raises no warning about."""
    return (day.weekday() < 5 and (day.month, day.day) not in OFFICE_CLOSED and not national_holiday(day)
            and not patron_saint(day, comune))


def _working_days_from(start: date) -> date:
    """The first working day (see :func:`is_working_day`) on or after ``start``."""
    day = start
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _working_day_before(day: date) -> date:
    """The last working day before ``day``."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _at(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return rome_wall_clock(day, time(hours, minutes))


@dataclass(frozen=True)
class DemoSlot:
    """One session of the demo calendar (instants in UTC)."""

    course: str
    starts_at: datetime
    ends_at: datetime
    location: str  # a key of LOCATIONS
    trainer: str  # a demo e-mail

    @property
    def day(self) -> date:
        return to_rome(self.starts_at).date()


@dataclass(frozen=True)
class PlannedCourse:
    """Where and when a demo course meets, and its enrolment window."""

    title: str
    location: str
    trainer: str
    capacity: int
    sessions: list[tuple[datetime, datetime]]
    enrolment_opens_at: datetime
    enrolment_closes_at: datetime
    cancellation_deadline: datetime


class DemoCalendar:
    """Places the demo's courses, one after the other, by the rules scheduling applies to a trainer
    (``training_hub.catalogue.scheduling.check_schedule``), errors and warnings alike: no trainer and
    no room in two sessions at once, working days only (no Sunday, national holiday or patron saint of
    the location's comune), 08:00-22:00, at most 10 hours a day for a trainer. Besides, a trainer
    teaches in one town a day (online lessons aside): nobody is in Cremona at 13:00 and in Milano at 14:00.

    A course's sessions are weekly from its first day; a session that cannot be held on its day moves
    to the next day that fits, and a course whose first day does not fit starts on the next one.
    """

    MAX_SHIFT_DAYS = 60

    def __init__(self) -> None:
        self.slots: list[DemoSlot] = []

    def _fits(self, candidate: DemoSlot, pending: list[DemoSlot]) -> bool:
        location, trainer, day = candidate.location, candidate.trainer, candidate.day
        if not is_working_day(day, LOCATION_COMUNI[location]):
            return False
        physical = location in PHYSICAL_LOCATIONS
        minutes = minutes_between(candidate.starts_at, candidate.ends_at)
        for other in (*self.slots, *pending):
            same_trainer = other.trainer == trainer
            if overlaps(candidate.starts_at, candidate.ends_at, other.starts_at, other.ends_at) and (
                    same_trainer or (physical and other.location == location)):
                return False
            if same_trainer and other.day == day:
                minutes += minutes_between(other.starts_at, other.ends_at)
                if (physical and other.location in PHYSICAL_LOCATIONS
                        and LOCATION_COMUNI[other.location] != LOCATION_COMUNI[location]):
                    return False
        return minutes <= MAX_MINUTES_PER_DAY

    def _attempt(self, title: str, first_day: date, times: list[tuple[str, str]], location: str,
                 trainer: str) -> list[DemoSlot] | None:
        """The course's sessions starting on ``first_day``, or None when that day does not fit."""
        pending: list[DemoSlot] = []
        day = first_day
        for start, end in times:
            for _ in range(self.MAX_SHIFT_DAYS):
                slot = DemoSlot(title, _at(day, start), _at(day, end), location, trainer)
                if self._fits(slot, pending):
                    break
                if not pending:
                    return None
                day += timedelta(days=1)
            else:
                return None
            pending.append(slot)
            day = slot.day + timedelta(weeks=1)
        return pending

    def place(self, title: str, target: date, times: list[tuple[str, str]], location: str, trainer: str, *,
              backwards: bool = False, ends_before: date | None = None) -> list[tuple[datetime, datetime]]:
        """Book a weekly course starting on ``target`` or, when it does not fit, on the first day after
        it that does (``backwards``: before it, for editions already held, over by ``ends_before``)."""
        for start, end in times:
            if not (EARLIEST <= time.fromisoformat(start) < time.fromisoformat(end) <= LATEST):
                raise ValueError(f"{title}: {start}-{end} is outside 08:00-22:00")
        step = timedelta(days=-1 if backwards else 1)
        for shift in range(self.MAX_SHIFT_DAYS):
            slots = self._attempt(title, target + shift * step, times, location, trainer)
            if slots and (ends_before is None or slots[-1].day < ends_before):
                self.slots.extend(slots)
                return [(slot.starts_at, slot.ends_at) for slot in slots]
        raise RuntimeError(f"No room in the demo calendar for {title!r} near {target}")


def _course_plan(title: str, location: str, trainer: str, capacity: int,
                 sessions: list[tuple[datetime, datetime]], opens_on: date) -> PlannedCourse:
    """Enrolment opens at 09:00 of the working day ``opens_on`` (or the one before), closes at noon of
    the working day before the first session; free cancellation ends at noon of the working day before
    that. The room holds the course's seats, as the course form requires."""
    room = LOCATION_CAPACITIES[location]
    if room is not None and room < capacity:
        raise ValueError(f"{title}: {capacity} seats in a room of {room}")
    closes_on = _working_day_before(to_rome(sessions[0][0]).date())
    opens_on = opens_on if is_working_day(opens_on) else _working_day_before(opens_on)
    return PlannedCourse(
        title=title, location=location, trainer=trainer, capacity=capacity, sessions=sessions,
        enrolment_opens_at=rome_wall_clock(opens_on, ENROLMENT_OPENS),
        enrolment_closes_at=rome_wall_clock(closes_on, DEADLINES),
        cancellation_deadline=rome_wall_clock(_working_day_before(closes_on), DEADLINES),
    )


def plan_demo(today: date) -> dict[str, PlannedCourse]:
    """When and where every demo course meets, by title: the courses of the coming weeks (``PATHS``,
    open for enrolment since a week ago) and the editions held in the past weeks (``PAST_COURSES`` of
    ``training_hub.reports.demo``), all in one calendar so that none clashes with another."""
    from training_hub.reports.demo import PAST_COURSES  # (that module imports LOCATIONS from this one)

    calendar = DemoCalendar()
    plan: dict[str, PlannedCourse] = {}
    for demo_path in PATHS:
        for demo in demo_path.courses:
            sessions = calendar.place(demo.title, today + timedelta(weeks=demo.weeks_ahead),
                                      [(start, end) for start, end, _topics in demo.sessions],
                                      demo.location, demo.trainer)
            plan[demo.title] = _course_plan(demo.title, demo.location, demo.trainer, demo.capacity, sessions,
                                            today - timedelta(days=7))
    for past in PAST_COURSES:
        sessions = calendar.place(past.title, today - timedelta(weeks=past.weeks_ago), past.sessions,
                                  past.location, past.trainer, backwards=True, ends_before=today)
        plan[past.title] = _course_plan(past.title, past.location, past.trainer, past.capacity, sessions,
                                        to_rome(sessions[0][0]).date() - timedelta(days=30))
    return plan


def session_uid() -> str:
    return f"{uuid.uuid4()}@training-hub"


async def database_is_empty() -> bool:
    return not await Person.exists()


async def load_demo_data(today: date | None = None) -> dict[str, Any]:
    """Fill an empty database. Returns counts of what was created."""
    today = today or to_rome(utcnow()).date()
    password_hash = hash_password(DEMO_PASSWORD)
    cooperatives: dict[str, int] = {}
    for index, (name, province, comune, areas) in enumerate(COOPERATIVES):
        coop = Cooperative(
            name=name, province=province, comune=comune, areas=",".join(areas), tax_code=_partita_iva(index + 1)
        )
        await coop.save()
        cooperatives[name] = coop.id
    home_coop = cooperatives[HOME_COOPERATIVE]

    people: dict[str, int] = {}
    for email, (full_name, role) in DEMO_LOGINS.items():
        cooperative = home_coop if role in ("coordinator", "worker", "tutor") else None
        area = "anziani" if role == "worker" else None
        roles = "trainer,coordinator" if role == "coordinator" else role
        person = Person(
            full_name=full_name, email=email, roles=roles, cooperative=cooperative, area=area,
            password_hash=password_hash,
            codice_fiscale="RSSLCU90A01F205P" if role == "worker" else None,
        )
        await person.save()
        people[email] = person.id
    for email, full_name in EXTRA_TRAINERS.items():
        person = Person(full_name=full_name, email=email, roles="trainer", password_hash=password_hash)
        await person.save()
        people[email] = person.id

    workers: list[int] = []
    inclusion_participants: list[int] = []
    counter = 0
    for name, _province, _comune, areas in COOPERATIVES:
        for slot in range(6):
            first = FIRST_NAMES[counter % len(FIRST_NAMES)]
            last = LAST_NAMES[(counter * 7 + 3) % len(LAST_NAMES)]
            counter += 1
            person = Person(
                full_name=f"{first} {last}",
                email=f"{first}.{last}.{counter}@cooperative.demo.test".lower(),
                roles="worker",
                cooperative=cooperatives[name],
                area=areas[slot % len(areas)],
                password_hash=password_hash,
            )
            await person.save()
            workers.append(person.id)
            if name == HOME_COOPERATIVE and slot >= 4:
                inclusion_participants.append(person.id)
    for participant in inclusion_participants:
        await TutorLink.insert(TutorLink(tutor=people["tutor@demo.test"], person=participant))

    locations: dict[str, int] = {}
    for key, name, address, comune, province, capacity, step_free, online in LOCATIONS:
        location = Location(
            name=name, address=address, comune=comune, province=province, capacity=capacity,
            step_free_access=step_free, is_online=online,
        )
        await location.save()
        locations[key] = location.id

    plan = plan_demo(today)
    courses: dict[str, int] = {}
    session_count = 0
    for demo_path in PATHS:
        path = TrainingPath(
            kind=demo_path.kind, title=demo_path.title, description=demo_path.description,
            objectives=demo_path.objectives, sequential=demo_path.sequential,
            owner_cooperative=cooperatives[demo_path.owner] if demo_path.owner else None,
            created_by=people["admin@demo.test"],
        )
        await path.save()
        for position, demo in enumerate(demo_path.courses, start=1):
            planned = plan[demo.title]
            instants = planned.sessions
            course = Course(
                path=path.id, position=position, title=demo.title, description=demo.description,
                capacity=demo.capacity, delivery_mode=demo.delivery_mode,
                location=locations[demo.location],
                enrolment_opens_at=planned.enrolment_opens_at,
                enrolment_closes_at=planned.enrolment_closes_at,
                cancellation_deadline=planned.cancellation_deadline,
                requires_approval=demo.requires_approval,
                attendance_threshold=demo.threshold,
                funder_plan_code=demo.funder_code,
                status=CourseStatus.PUBLISHED.value,
                starts_at=instants[0][0], ends_at=instants[-1][1],
                created_by=people[demo.trainer],
            )
            await course.save()
            courses[demo.title] = course.id
            await CourseTrainer.insert(CourseTrainer(course=course.id, person=people[demo.trainer]))
            for area in demo.areas:
                await CourseEligibleArea.insert(CourseEligibleArea(course=course.id, area=area))
            is_online = demo.location == "online"
            for (starts_at, ends_at), (_s, _e, topics) in zip(instants, demo.sessions, strict=True):
                await Session.insert(
                    Session(
                        course=course.id, starts_at=starts_at, ends_at=ends_at,
                        location=None if is_online else locations[demo.location],
                        online_url="https://meet.jit.si/consorzio-light-formazione" if is_online else None,
                        trainer=people[demo.trainer], topics=topics, uid=session_uid(),
                    )
                )
                session_count += 1

    # Enrolments: the demo worker has two confirmed seats and one place on a waiting list; the small
    # "Bilancio sociale" course is full, so its waiting list is visible.
    def enrol(person_id: int, course_title: str, status: str, *, via: str = "self", by: int | None = None) -> Enrolment:
        stamp = utcnow()
        return Enrolment(
            person=person_id, course=courses[course_title], status=status, enrolled_via=via,
            enrolled_by=by or person_id,
            confirmed_at=stamp if status == EnrolmentStatus.CONFIRMED.value else None,
            waitlisted_at=stamp if status == EnrolmentStatus.WAITLISTED.value else None,
        )

    worker = people["worker@demo.test"]
    rows = [
        enrol(worker, "Analisi dei fabbisogni formativi", EnrolmentStatus.CONFIRMED.value),
        enrol(worker, "Formazione generale dei lavoratori", EnrolmentStatus.CONFIRMED.value),
    ]
    for person_id in workers[:6]:
        rows.append(enrol(person_id, "Bilancio sociale e rendicontazione", EnrolmentStatus.CONFIRMED.value))
    for person_id in workers[6:8]:
        rows.append(enrol(person_id, "Bilancio sociale e rendicontazione", EnrolmentStatus.WAITLISTED.value))
    rows.append(enrol(worker, "Bilancio sociale e rendicontazione", EnrolmentStatus.WAITLISTED.value))
    for person_id in workers[10:22]:
        rows.append(enrol(person_id, "Analisi dei fabbisogni formativi", EnrolmentStatus.CONFIRMED.value))
        rows.append(enrol(person_id, "Formazione generale dei lavoratori", EnrolmentStatus.CONFIRMED.value))
    for person_id in inclusion_participants:
        rows.append(
            enrol(person_id, "Laboratorio di competenze per il lavoro", EnrolmentStatus.PENDING.value,
                  via=EnrolledVia.TUTOR.value, by=people["tutor@demo.test"])
        )
    for row in rows:  # one by one: the waiting list is ordered by arrival
        await row.save()
    from training_hub.reports.demo import load_report_demo  # past courses, registers and surveys
    await load_report_demo(today, plan=plan)
    from training_hub.inclusion.demo_data import load_inclusion_demo  # the demo tutor's two pathways
    await load_inclusion_demo(today)

    return {
        "cooperatives": len(cooperatives),
        "people": len(people) + len(workers),
        "courses": len(courses),
        "sessions": session_count,
        "enrolments": len(rows),
    }
