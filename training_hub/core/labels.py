"""Labels of the coded values that pages, documents and calendars print (roles, areas, provinces,
path kinds), as Italian msgids translated when shown."""

from __future__ import annotations

from training_hub.core.i18n import N_, gettext

ROLE_LABELS = {
    "admin": N_("Ufficio formazione"),
    "trainer": N_("Formatore"),
    "coordinator": N_("Coordinatore"),
    "worker": N_("Lavoratore"),
    "tutor": N_("Tutor"),
}
AREA_LABELS = {
    "minori": N_("Minori"),
    "anziani": N_("Anziani"),
    "disabili": N_("Disabili"),
    "psichiatria": N_("Psichiatria"),
    "riabilitazione": N_("Riabilitazione"),
    "varie": N_("Varie"),
}
PROVINCE_LABELS = {
    "BG": "Bergamo",
    "BS": "Brescia",
    "CO": "Como",
    "CR": "Cremona",
    "LC": "Lecco",
    "LO": "Lodi",
    "MN": "Mantova",
    "MI": "Milano",
    "MB": "Monza e Brianza",
    "PV": "Pavia",
    "SO": "Sondrio",
    "VA": "Varese",
}
PATH_KIND_LABELS = {
    "internal_training": N_("Formazione interna"),
    "inclusion": N_("Percorsi di inclusione"),
    "marketing": N_("Marketing sociale"),
    "other": N_("Altro"),
}


def label(mapping: dict[str, str], key: str | None) -> str:
    if key is None:
        return ""
    return gettext(mapping.get(key, key))
