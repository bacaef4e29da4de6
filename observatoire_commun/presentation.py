"""Wordings shared by the app and the annual report (one wording everywhere)."""

from __future__ import annotations

#: The national headline figures (Vue nationale and the report's synthesis).
CHIFFRES_CLES = ["ATTR_SD", "TX_ATTR_SD", "DEM_URG", "NDLS_PERS", "PLACES_PF"]
#: Section titles of the catalogue (indicators.md), for Méthodologie and the report.
SECTIONS = {
    "A": "Accès au logement social (SNE)",
    "B": "Demande d'hébergement (SI-SIAO)",
    "C": "Parcours (SI-SIAO et SNE reliés)",
    "D": "Rue (Nuits de la Solidarité)",
    "E": "Offre de logement adapté",
    "F": "Évaluation des territoires Logement d'abord",
}
#: Section F indicators: (code, French label, unit of the change).
EVALUATION_INDICATEURS = [
    ("TX_ATTR_SD", "Part des attributions aux ménages sans domicile", "pt"),
    ("ATTR_SD_100K", "Attributions à des ménages sans domicile pour 100 000 habitants", ""),
]
#: First call (AMI) of the Logement d'abord territories; a territory's reference year is the year
#: before its call, the group LDA's the year before the first call.
PREMIER_APPEL = 2018


def annee_reference(ami: int) -> int:
    """The reference year of a Logement d'abord territory: the year before its call."""
    return int(ami) - 1


ANNEE_REFERENCE_GROUPE = annee_reference(PREMIER_APPEL)
#: Disclosure threshold used when a publication file does not say it (data/config/secret_statistique.yaml).
SEUIL_SECRET_DEFAUT = 11

#: The time zone every date and time is shown in.
FUSEAU = "Europe/Paris"

#: French label of each quarantine rule and file-level refusal (assets/ingest/contracts.py).
REGLES = {
    "malformed_row": "ligne mal formée (nombre de champs incorrect)",
    "required_value_missing": "valeur obligatoire manquante",
    "invalid_value": "valeur hors de la liste autorisée",
    "invalid_integer": "nombre entier invalide",
    "invalid_date": "date invalide",
    "invalid_departement": "code de département invalide",
    "unknown_commune": "commune inconnue du COG",
    "date_out_of_range": "date hors de la période possible",
    "date_chain": "dates dans un ordre impossible",
    "pourvue_without_orientation": "demande pourvue sans orientation",
    "non_pourvue_without_motif": "demande non pourvue sans motif",
    "children_not_less_than_persons": "plus d'enfants que de personnes",
    "required_column_missing": "colonne obligatoire absente (fichier refusé)",
    "duplicate_column": "colonne en double (fichier refusé)",
    "unreadable_file": "fichier illisible (fichier refusé)",
}


def libelle_regle(code: str | None) -> str:
    """« date invalide » for `invalid_date`; an unknown code is shown as is."""
    if not code:
        return ""
    return REGLES.get(code, code)


#: French label of each suite of publication.qualite_controles: the Great Expectations suites, and
#: the Dagster asset checks by group (`controles_dagster_<groupe>`, assets/diffusion/controles.py).
SUITES = {
    "publication_indicateurs": "Great Expectations, indicateurs publiés",
    "publication_territoires": "Great Expectations, territoires publiés",
}
GROUPES_CONTROLES = {
    "barometre": "Baromètre", "siao": "SI-SIAO", "sne": "SNE", "ndls": "Nuit de la Solidarité", "offre": "offre",
    "reference": "référentiels", "indicateurs": "indicateurs", "evaluation": "évaluation",
    "publication": "publication",
}


def libelle_suite(code: str | None) -> str:
    """« Contrôles Dagster, Baromètre » for `controles_dagster_barometre`; an unknown code as is."""
    if not code:
        return ""
    if code.startswith("controles_dagster_"):
        groupe = code.removeprefix("controles_dagster_")
        return f"Contrôles Dagster, {GROUPES_CONTROLES.get(groupe, groupe)}"
    return SUITES.get(code, code)


#: Said wherever synthetic (demo) data are shown: banner, chart notes, report.
MENTION_SYNTHETIQUE = "Données synthétiques de démonstration"
#: French label of each source code (publication.indicateurs.source, publication.qualite.source).
SOURCES = {
    "sne": "SNE (attributions de logements sociaux)",
    "siao": "SI-SIAO (demandes d'hébergement)",
    "ndls": "Nuits de la Solidarité",
    "offre": "offre d'hébergement et de logement adapté",
    "barometre": "Baromètre du Logement d'abord",
    "sne+siao": "SNE et SI-SIAO reliés",
}


def libelle_source(source: str | None) -> str:
    """« SNE (attributions de logements sociaux) » for `sne`; an unknown code is shown as is."""
    if not source:
        return "publication de l'observatoire"
    return SOURCES.get(source, source)


def note(source: str | None, periode: str, synthetique: bool) -> str:
    """A chart's note: « Source : … · Période : … [· Données synthétiques de démonstration] »."""
    morceaux = [f"Source : {libelle_source(source)}", f"Période : {periode}"]
    if synthetique:
        morceaux.append(MENTION_SYNTHETIQUE)
    return " · ".join(morceaux)


__all__ = ["ANNEE_REFERENCE_GROUPE", "CHIFFRES_CLES", "EVALUATION_INDICATEURS", "FUSEAU", "MENTION_SYNTHETIQUE",
           "PREMIER_APPEL", "REGLES", "SECTIONS", "SEUIL_SECRET_DEFAUT", "SOURCES", "annee_reference",
           "libelle_regle", "libelle_source", "libelle_suite", "note"]
