"""The demo's safety courses that are over, so a new user sees every case of the attestato (issue 15):

* "Formazione specifica rischio medio" (``lavoratori_specifica_medio``, 8 h in two sessions of 4 h, three
  and two weeks ago, in presence at the consortium's seat), a 30-question final test: three participants
  passed with full attendance (attestato), one attended 95% but failed the test (none), one attended
  87,5% and passed the test (none);
* "Preposti — aggiornamento" (``preposto_aggiornamento``, 6 h in two sessions of 3 h, last week, by
  synchronous videoconference and in presence), a 10-question test: three passed (attestato), one at 83%
  (none).

The participants are workers of the demo's home cooperative; their codici fiscali are computed from
their names and a birth date and comune (python-codicefiscale), so the attestato shows place and date
of birth. Paper results are recorded by the course's trainer, as a trainer would enter them. Called at
the end of :func:`training_hub.demo.loader.load_demo_data`.
"""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from typing import Any

from codicefiscale import codicefiscale

from training_hub.assessment.tables import AttemptVia, FinalTest, FinalTestAttempt, FinalTestQuestion
from training_hub.core.tables import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseStatus,
    CourseTrainer,
    Enrolment,
    EnrolmentStatus,
    Location,
    Person,
    Session,
    TrainingPath,
)
from training_hub.core.timeutil import rome_wall_clock
from training_hub.demo.plan import is_working_day

SAFETY_PATH = "Sicurezza sul lavoro (D.Lgs. 81/2008)"
TRAINER = "trainer@demo.test"

# (question, choices, index of the right one): the specific course's test uses all 30, the refresher's
# the 10 on the preposto's duties (the last ten).
QUESTIONS: list[tuple[str, list[str], int]] = [
    ("Che cosa si intende per pericolo?", ["La proprietà di un fattore di poter causare danni", "La probabilità di un infortunio", "Un infortunio avvenuto"], 0),
    ("Che cosa si intende per rischio?", ["Un oggetto pericoloso", "La probabilità di raggiungere il livello potenziale di danno", "Una sanzione"], 1),
    ("Chi redige il documento di valutazione dei rischi?", ["Il lavoratore", "Il datore di lavoro", "Il medico di base"], 1),
    ("Che cosa sono i DPI?", ["Dispositivi di protezione individuale", "Documenti di prevenzione interna", "Divieti permanenti"], 0),
    ("I DPI vanno usati…", ["Solo se si vuole", "Secondo le istruzioni ricevute", "Solo in presenza del preposto"], 1),
    ("Chi è il RLS?", ["Il rappresentante dei lavoratori per la sicurezza", "Il responsabile legale", "Il revisore"], 0),
    ("Un lavoratore che vede un pericolo deve…", ["Ignorarlo", "Segnalarlo subito al preposto", "Aspettare la fine del turno"], 1),
    ("Il numero unico di emergenza è…", ["112", "118 soltanto", "1500"], 0),
    ("Durante un'evacuazione si usa…", ["L'ascensore", "Le scale e le vie di esodo segnalate", "La via più breve"], 1),
    ("La segnaletica verde indica…", ["Divieti", "Salvataggio e soccorso", "Obblighi"], 1),
    ("La segnaletica rotonda blu indica…", ["Un obbligo", "Un pericolo", "Un divieto"], 0),
    ("Nel sollevare un carico si deve…", ["Piegare le gambe e tenere la schiena dritta", "Piegare la schiena", "Ruotare il busto"], 0),
    ("Il rischio biologico riguarda…", ["Virus e batteri", "Il rumore", "Le scale"], 0),
    ("Le mani si lavano…", ["Solo a fine turno", "Prima e dopo ogni contatto con l'assistito", "Solo se sporche"], 1),
    ("I guanti monouso…", ["Si riusano", "Si cambiano tra un assistito e l'altro", "Sostituiscono il lavaggio delle mani"], 1),
    ("Lo stress lavoro-correlato…", ["Va valutato tra i rischi", "Non riguarda le cooperative", "È un fatto privato"], 0),
    ("Un'aggressione sul lavoro va…", ["Taciuta", "Segnalata e registrata", "Risolta da soli"], 1),
    ("Un pavimento bagnato va…", ["Segnalato con il cartello apposito", "Lasciato asciugare senza avvisi", "Coperto con un tappeto"], 0),
    ("Le prese elettriche danneggiate…", ["Si usano con cautela", "Non si usano e si segnalano", "Si riparano da sé"], 1),
    ("Chi è il preposto?", ["Chi sovrintende all'attività e ne controlla la sicurezza", "Un ospite", "Il medico competente"], 0),
    ("Il medico competente…", ["Effettua la sorveglianza sanitaria", "Redige le buste paga", "Nomina il RLS"], 0),
    ("La formazione sulla sicurezza si fa…", ["In orario di lavoro e senza costi per il lavoratore", "Nel tempo libero", "A pagamento"], 0),
    ("Il lavoratore può rifiutare i DPI?", ["Sì, sempre", "No, deve usarli come previsto", "Solo d'estate"], 1),
    ("Un estintore a polvere si usa…", ["Dirigendo il getto alla base delle fiamme", "Verso il fumo", "Dall'alto"], 0),
    ("In caso di incendio per prima cosa…", ["Si dà l'allarme", "Si raccolgono gli effetti personali", "Si apre ogni finestra"], 0),
    ("La movimentazione di un assistito si fa…", ["Con gli ausili previsti e, se serve, in due", "Sempre da soli", "Senza avvisare l'assistito"], 0),
    ("I farmaci dell'assistito…", ["Si conservano come indicato", "Si lasciano ovunque", "Si condividono"], 0),
    ("Il quasi-infortunio…", ["Va segnalato per prevenire", "Non interessa a nessuno", "È un infortunio"], 0),
    ("La cassetta di primo soccorso…", ["Va tenuta completa e accessibile", "Va chiusa a chiave", "Non serve"], 0),
    ("Il preposto che vede un comportamento pericoloso…", ["Interviene e, se serve, interrompe l'attività", "Non fa nulla", "Aspetta il datore di lavoro"], 0),
]

# (full name, sex, birth date, comune of birth)
SPECIFIC_PEOPLE = [
    ("Chiara Fontana", "F", date(1989, 4, 12), "Milano", 480, 90.0),
    ("Davide Marino", "M", date(1984, 9, 3), "Bergamo", 480, 83.3),
    ("Francesca Greco", "F", date(1992, 1, 25), "Brescia", 480, 76.7),
    ("Matteo Lombardi", "M", date(1979, 7, 8), "Pavia", 456, 56.7),   # 95% and failed: no attestato
    ("Valentina Bruno", "F", date(1995, 11, 19), "Como", 420, 80.0),  # 87,5% and passed: no attestato
]
REFRESHER_PEOPLE = [
    ("Roberto Galli", "M", date(1975, 2, 14), "Lodi", 360, 90.0),
    ("Silvia Conti", "F", date(1981, 6, 30), "Cremona", 360, 80.0),
    ("Stefano Moretti", "M", date(1977, 10, 5), "Monza", 360, 100.0),
    ("Laura Barbieri", "F", date(1986, 3, 21), "Varese", 300, 90.0),  # 83%: no attestato
]


def _codice_fiscale(full_name: str, sex: str, born: date, comune: str) -> str | None:
    first, last = full_name.split(" ", 1)
    try:
        return str(codicefiscale.encode(lastname=last, firstname=first, gender=sex,
                                        birthdate=born.strftime("%d/%m/%Y"), birthplace=comune))
    except ValueError:
        return None


async def _person(full_name: str, sex: str, born: date, comune: str, cooperative: int, password_hash: str) -> int:
    slug = full_name.lower().replace(" ", ".")
    person = Person(full_name=full_name, email=f"{slug}.sicurezza@cooperative.demo.test", roles="worker",
                    cooperative=cooperative, area="anziani", password_hash=password_hash,
                    codice_fiscale=_codice_fiscale(full_name, sex, born, comune))
    await person.save()
    return person.id


async def _course(path_id: int, title: str, code: str, description: str, location: int, trainer: int,
                  days: list[date], hours: tuple[time, time], topics: list[str], delivery: str,
                  online_url: str | None = None) -> tuple[int, list[Any]]:
    starts = rome_wall_clock(days[0], hours[0])
    ends = rome_wall_clock(days[-1], hours[1])
    course = Course(path=path_id, position=10, title=title, description=description, capacity=20,
                    delivery_mode=delivery, location=location, attendance_threshold=90, safety_course_type=code,
                    status=CourseStatus.COMPLETED.value, starts_at=starts, ends_at=ends, created_by=trainer,
                    enrolment_opens_at=starts - timedelta(days=30), enrolment_closes_at=starts - timedelta(days=2),
                    cancellation_deadline=starts - timedelta(days=3))
    await course.save()
    await CourseTrainer.insert(CourseTrainer(course=course.id, person=trainer))
    sessions = []
    for index, (day, topic) in enumerate(zip(days, topics, strict=True)):
        online = online_url if (online_url and index == 0) else None
        session = Session(course=course.id, starts_at=rome_wall_clock(day, hours[0]), ends_at=rome_wall_clock(day, hours[1]),
                          location=None if online else location, online_url=online, trainer=trainer, topics=topic,
                          uid=f"{uuid.uuid4()}@training-hub")
        await session.save()
        sessions.append(session)
    return course.id, sessions


async def _test(course_id: int, questions: list[tuple[str, list[str], int]], trainer: int) -> int:
    test = FinalTest(course=course_id, pass_percent=70, updated_by=trainer)
    await test.save()
    await FinalTestQuestion.insert(*[
        FinalTestQuestion(final_test=test.id, position=index, text=text, choices=choices, correct=[right])
        for index, (text, choices, right) in enumerate(questions, start=1)])
    return test.id


async def _participants(course_id: int, sessions: list[Any], test_id: int, people: list[tuple[Any, ...]],
                        cooperative: int, password_hash: str, trainer: int, question_count: int) -> None:
    per_session = [int((s.ends_at - s.starts_at).total_seconds() // 60) for s in sessions]
    for full_name, sex, born, comune, minutes, score in people:
        person = await _person(full_name, sex, born, comune, cooperative, password_hash)
        enrolment = Enrolment(person=person, course=course_id, status=EnrolmentStatus.CONFIRMED.value,
                              enrolled_via="self", confirmed_at=sessions[0].starts_at - timedelta(days=10))
        await enrolment.save()
        missing = sum(per_session) - minutes
        for index, session in enumerate(sessions):
            attended = per_session[index] - (missing if index == len(sessions) - 1 else 0)
            status = AttendanceStatus.PRESENT.value if attended == per_session[index] else AttendanceStatus.LEFT_EARLY.value
            await Attendance.insert(Attendance(session=session.id, enrolment=enrolment.id, status=status,
                                               minutes=attended, recorded_by=trainer,
                                               left_at=session.ends_at - timedelta(minutes=per_session[index] - attended)
                                               if status != AttendanceStatus.PRESENT.value else None))
        correct = round(score * question_count / 100)
        await FinalTestAttempt.insert(FinalTestAttempt(
            final_test=test_id, enrolment=enrolment.id, recorded_via=AttemptVia.PAPER.value,
            correct_count=correct, question_count=question_count, score_percent=score, passed=score >= 70,
            recorded_by=trainer, submitted_at=sessions[-1].ends_at + timedelta(minutes=10)))


def _working(day: date, comune: str) -> date:
    """``day`` or the working day before it (no weekend, holiday, office closure or patron saint)."""
    while not is_working_day(day, comune):
        day -= timedelta(days=1)
    return day


async def load_safety_demo(today: date, *, password_hash: str) -> dict[str, int]:
    """The two safety courses, their tests, results and attendance (see the module)."""
    path = await TrainingPath.select(TrainingPath.id).where(TrainingPath.title == SAFETY_PATH).first()
    trainer = await Person.select(Person.id, Person.cooperative).where(Person.email == TRAINER).first()
    home = await Person.select(Person.cooperative).where(Person.email == "worker@demo.test").first()
    seat = await Location.select(Location.id).order_by(Location.id).first()
    if not (path and trainer and home and seat):
        return {"safety_courses": 0}
    monday = today - timedelta(days=today.weekday())
    specific_days = [_working(monday - timedelta(days=20), "Milano"), _working(monday - timedelta(days=13), "Milano")]
    if specific_days[0] >= specific_days[1]:  # both pushed back into the year-end closure
        specific_days[0] = _working(specific_days[1] - timedelta(days=1), "Milano")
    specific_id, specific_sessions = await _course(
        path["id"], "Formazione specifica rischio medio", "lavoratori_specifica_medio",
        "Formazione specifica dei lavoratori dei servizi socio-sanitari (rischio medio, ATECO 88): rischi "
        "biologici, movimentazione degli assistiti, aggressioni, stress lavoro-correlato, emergenze.",
        seat["id"], trainer["id"], specific_days, (time(9, 0), time(13, 0)),
        ["Rischio biologico, igiene delle mani, DPI; movimentazione manuale degli assistiti",
         "Aggressioni e stress lavoro-correlato; emergenze ed evacuazione; test finale"], "in_presence")
    test_id = await _test(specific_id, QUESTIONS, trainer["id"])
    await _participants(specific_id, specific_sessions, test_id, SPECIFIC_PEOPLE, home["cooperative"],
                        password_hash, trainer["id"], len(QUESTIONS))

    refresher_days = [_working(monday - timedelta(days=6), "Milano"), _working(monday - timedelta(days=4), "Milano")]
    if refresher_days[0] == refresher_days[1]:
        refresher_days[0] = _working(refresher_days[0] - timedelta(days=1), "Milano")
    refresher_id, refresher_sessions = await _course(
        path["id"], "Preposti — aggiornamento", "preposto_aggiornamento",
        "Aggiornamento biennale dei preposti (art. 37 c. 7-ter D.Lgs. 81/2008): obblighi del preposto, "
        "vigilanza e interruzione delle attività pericolose, casi dai servizi.",
        seat["id"], trainer["id"], refresher_days, (time(14, 0), time(17, 0)),
        ["Obblighi del preposto dopo il D.L. 146/2021; vigilanza (in videoconferenza sincrona)",
         "Casi pratici, comunicazione con i lavoratori; test finale"], "blended",
        online_url="https://meet.demo.test/preposti-aggiornamento")
    refresher_test = await _test(refresher_id, QUESTIONS[-10:], trainer["id"])
    await _participants(refresher_id, refresher_sessions, refresher_test, REFRESHER_PEOPLE, home["cooperative"],
                        password_hash, trainer["id"], 10)
    return {"safety_courses": 2}
