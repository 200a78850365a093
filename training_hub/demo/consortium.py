"""The consortium of the demo: its cooperatives in nine of the twelve provinces, the five demo logins and the
other people, and the places where courses meet.

The logins and their password are a contract (DESIGN.md, the README): ``admin@demo.test``,
``trainer@demo.test``, ``coordinator@demo.test``, ``worker@demo.test``, ``tutor@demo.test``, all
with ``demo-password``. The coordinator also holds the trainer role; she teaches her cooperative's
internal course (``courses.PATHS``).
"""

from __future__ import annotations

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
    # Joined in 2026 from the provinces added with the other five of Lombardy (issue 13, item 10).
    ("Cooperativa Sociale Il Resegone", "LC", "Lecco", ["disabili", "minori"]),
    ("Cooperativa Sociale Campo dei Fiori", "VA", "Varese", ["anziani"]),
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


EXTRA_TRAINERS = {
    "trainer2@demo.test": "Anna Marchetti",
    "trainer3@demo.test": "Paolo Greco",
}


def partita_iva(seed: int) -> str:
    """A valid partita IVA (check digit included) for the ``seed``-th demo cooperative."""
    first_ten = f"{8_000_000_000 + seed * 7919:010d}"[-10:]
    return first_ten + partita_iva_check_digit(first_ten)
