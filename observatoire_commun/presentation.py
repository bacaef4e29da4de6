"""Wordings shared by the app and the annual report (one wording everywhere)."""

from __future__ import annotations

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


__all__ = ["FUSEAU", "REGLES", "libelle_regle"]
