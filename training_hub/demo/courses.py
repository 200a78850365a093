"""The demo's courses: the three kinds of path with courses over the coming weeks (``PATHS``), and a
few editions held in the past weeks (``PAST_COURSES``) that give the reports and surveys something
to show. Plain data: :mod:`.plan` places them in one calendar, :mod:`.loader` and :mod:`.history`
write them.
"""

from __future__ import annotations

from dataclasses import dataclass

from training_hub.core.tables import DeliveryMode, PathKind
from training_hub.demo.consortium import HOME_COOPERATIVE


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
    # Sessions held elsewhere than ``location``: (index of the session, location key); the course page
    # then shows each session's venue (issue 13, item 4).
    elsewhere: tuple[tuple[int, str], ...] = ()


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
                elsewhere=((2, "brescia"),),
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


@dataclass
class PastCourse:
    title: str
    kind: str
    weeks_ago: int  # the first session
    sessions: list[tuple[str, str]]  # (start, end) HH:MM, one a week
    participants: int
    answers: int  # survey answers; below 5 the results stay hidden
    threshold: int = 70
    survey_open: bool = False  # ended days ago: the survey is still open
    location: str = "sede"  # a key of consortium.LOCATIONS: the consortium's seat
    trainer: str = "trainer@demo.test"

    @property
    def capacity(self) -> int:
        return max(self.participants, 12)


PAST_COURSES = [
    PastCourse("Raccontare l'impresa sociale (prima edizione)", PathKind.MARKETING.value, 9,
               [("09:30", "13:00"), ("09:30", "13:00"), ("09:30", "12:30")], 10, 7),
    PastCourse("Formazione generale dei lavoratori (edizione precedente)", PathKind.OTHER.value, 7,
               [("14:00", "18:00")], 8, 6, threshold=90),
    PastCourse("Laboratorio di competenze (prima edizione)", PathKind.INCLUSION.value, 6,
               [("10:00", "12:00"), ("10:00", "12:00")], 3, 2),
    PastCourse("Progettare la formazione interna (edizione pilota)", PathKind.INTERNAL_TRAINING.value, 2,
               [("14:30", "17:30"), ("14:30", "17:30")], 6, 2, survey_open=True),
]
