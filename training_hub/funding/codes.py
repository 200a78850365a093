"""Code tables of the participant and company data the funds ask for, each with its source.

Training Hub stores its own stable keys (``laurea``, ``tempo_indeterminato``, ``impiegato_direttivo``…);
the layouts (``layouts.py``) write them in a fund's words. The field list is the one of the funds'
participant import templates (research/italian-rules.md §1: Fon.Ar.Com's "MODELLO FARC": citizenship
code, education level code, contract type code, CCNL code, job grade code, seniority, company INPS
number, gross hourly company cost). The *numeric* codes each fund's platform uses (Fon.Coop GIFCOOP,
Fondimpresa FPF) are not public and are not confirmed here [?]: the layouts write the labels below,
which the platforms' drop-down lists use, and the codes of international standards where there is one
(ISCED for education, ISO 3166 for citizenship).

Nothing here is special-category data: the fund templates' "assunzione ai sensi della L. 68/99" (hired
under the disability employment law) would reveal a disability and is deliberately absent (GDPR art. 9;
DESIGN.md: no special-category data in any fund export).
"""

from __future__ import annotations

from babel import Locale

from training_hub.core.i18n import N_

# Sex, as the codice fiscale encodes it (day of birth + 40 for women: D.M. 23/12/1976).
SEXES: dict[str, str] = {"M": N_("Maschio"), "F": N_("Femmina")}

# Education level → (label, ISCED 2011 level). ISCED 2011 (UNESCO Institute for Statistics) is the
# classification of the EU's and ISTAT's statistics; the Italian titles are placed on it as in the
# Quadro nazionale delle qualificazioni (D.I. 8 gennaio 2018, allegato: QNQ levels ↔ titles).
EDUCATION_LEVELS: dict[str, tuple[str, str]] = {
    "nessuno": (N_("Nessun titolo o licenza elementare"), "1"),
    "licenza_media": (N_("Licenza media"), "2"),
    "qualifica": (N_("Qualifica professionale (IeFP)"), "3"),
    "diploma": (N_("Diploma di scuola secondaria superiore"), "3"),
    "ifts": (N_("Certificato di specializzazione tecnica superiore (IFTS)"), "4"),
    "its": (N_("Diploma ITS Academy"), "5"),
    "laurea": (N_("Laurea (triennale)"), "6"),
    "laurea_magistrale": (N_("Laurea magistrale o a ciclo unico"), "7"),
    "dottorato": (N_("Dottorato di ricerca"), "8"),
}

# Contract types of the workers the funds train (employees, apprentices; D.Lgs. 81/2015 for the
# kinds). Fondimpresa Avviso 2/2024: "lavoratori dipendenti … e gli apprendisti". A cooperative's
# worker-member (socio lavoratore, L. 142/2001) holds one of these contracts too.
CONTRACT_TYPES: dict[str, str] = {
    "tempo_indeterminato": N_("Lavoro dipendente a tempo indeterminato"),
    "tempo_determinato": N_("Lavoro dipendente a tempo determinato"),
    "apprendistato": N_("Apprendistato"),
    "stagionale": N_("Lavoro stagionale"),
    "intermittente": N_("Lavoro intermittente"),
}

# Job grade (inquadramento) categories: the categories of workers of art. 2095 c.c. (dirigenti,
# quadri, impiegati, operai), with impiegati and operai split as the funds' monitoring forms do
# (ISFOL/ANPAL monitoring of the Fondi interprofessionali) [?]. The CCNL level itself (e.g. "C1" of the
# CCNL cooperative sociali) is kept apart, as free text.
JOB_GRADES: dict[str, str] = {
    "dirigente": N_("Dirigente"),
    "quadro": N_("Quadro"),
    "impiegato_direttivo": N_("Impiegato direttivo"),
    "impiegato": N_("Impiegato amministrativo o tecnico"),
    "operaio_qualificato": N_("Operaio qualificato"),
    "operaio_generico": N_("Operaio generico"),
}

# Citizenship is stored as the ISO 3166-1 alpha-2 code of the country; the funds' forms group it.
CITIZENSHIP_GROUPS: dict[str, str] = {
    "IT": N_("Italiana"),
    "UE": N_("Altro paese dell'Unione europea"),
    "EXTRA_UE": N_("Paese non appartenente all'Unione europea"),
}

# The 27 member states of the European Union since 1 February 2020 (ISO 3166-1 alpha-2: Greece is GR).
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})

# Company size: Commission Recommendation 2003/361/EC (and Annex I of Reg. UE 651/2014, GBER).
COMPANY_SIZES: dict[str, str] = {
    "micro": N_("Microimpresa"),
    "piccola": N_("Piccola impresa"),
    "media": N_("Media impresa"),
    "grande": N_("Grande impresa"),
}


# Two-letter codes in Babel's (CLDR) territories that are not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "QO"})


def country_name(country: str | None) -> str | None:
    """The Italian name of an ISO 3166-1 alpha-2 country code (CLDR, through Babel); ``None`` if unknown."""
    code = (country or "").strip().upper()
    if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES:
        return None
    return Locale.parse("it").territories.get(code)


def citizenship_group(country: str | None) -> str | None:
    """``IT``, ``UE`` or ``EXTRA_UE`` for an ISO 3166-1 alpha-2 code; ``None`` when not a country."""
    if country_name(country) is None:
        return None
    code = (country or "").strip().upper()
    if code == "IT":
        return "IT"
    return "UE" if code in EU_MEMBER_STATES else "EXTRA_UE"
