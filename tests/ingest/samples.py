"""Hand-made source files for the ingestion tests: a valid row per contract, changed cell by cell."""

from __future__ import annotations

from pathlib import Path

SIAO_HEADER = [
    "Numéro demande",
    "Numéro ménage",
    "Date d'extraction",
    "Date de la demande",
    "Type de demande",
    "Département SIAO",
    "Commune de la demande",
    "Composition familiale",
    "Nombre de personnes",
    "Nombre d'enfants",
    "Sexe",
    "Année de naissance",
    "Situation à la demande",
    "Statut de la demande",
    "Motif de non-attribution",
    "Date d'orientation",
    "Type d'orientation",
    "Date d'admission",
    "Date de sortie",
    "Destination à la sortie",
    "NUR",
]

SIAO_ROW = {
    "Numéro demande": "D0001",
    "Numéro ménage": "MEN-CLEAR-0001",
    "Date d'extraction": "30/04/2023",
    "Date de la demande": "02/03/2023",
    "Type de demande": "Urgence",
    "Département SIAO": "75",
    "Commune de la demande": "75056",
    "Composition familiale": "Personne seule",
    "Nombre de personnes": "1",
    "Nombre d'enfants": "0",
    "Sexe": "F",
    "Année de naissance": "1985",
    "Situation à la demande": "Rue / abri de fortune",
    "Statut de la demande": "Pourvue",
    "Motif de non-attribution": "",
    "Date d'orientation": "10/03/2023",
    "Type d'orientation": "CHU",
    "Date d'admission": "12/03/2023",
    "Date de sortie": "",
    "Destination à la sortie": "",
    "NUR": "",
}

SNE_ATTR_HEADER = [
    "numero_unique",
    "date_depot",
    "date_attribution",
    "commune",
    "reservataire",
    "situation_logement",
    "composition",
    "nb_personnes",
    "prioritaire_dalo",
    "demandeur_asile",
]

SNE_ATTR_ROW = {
    "numero_unique": "0751123000001",
    "date_depot": "15/01/2021",
    "date_attribution": "20/06/2023",
    "commune": "75056",
    "reservataire": "Etat",
    "situation_logement": "Hôtel",
    "composition": "Famille monoparentale",
    "nb_personnes": "3",
    "prioritaire_dalo": "Oui",
    "demandeur_asile": "Non",
}

SNE_DEM_HEADER = [h for h in SNE_ATTR_HEADER if h not in ("date_attribution", "reservataire")]
SNE_DEM_ROW = {k: v for k, v in SNE_ATTR_ROW.items() if k in SNE_DEM_HEADER}

NDLS_HEADER = ["date_nuit", "code_commune", "secteur", "secteur_couvert", "type_lieu", "personnes"]
NDLS_ROW = {
    "date_nuit": "26/01/2023",
    "code_commune": "75112",
    "secteur": "S12-04",
    "secteur_couvert": "Oui",
    "type_lieu": "Rue",
    "personnes": "4",
}

OFFRE_HEADER = ["departement", "type_place", "places"]
OFFRE_ROW = {"departement": "01", "type_place": "Pension de famille", "places": "42"}

# A few COG 2026 commune codes, enough for the tests (the real list is checked separately).
COMMUNES = frozenset({"75056", "69123", "13055", "01004", "01001", "2A004", "93066", "97411"})


def row(base: dict[str, str], **changes: str) -> dict[str, str]:
    """A copy of `base` with some cells changed (keyword = canonical column name via `cells`)."""
    out = dict(base)
    out.update(changes)
    return out


def line(header: list[str], values: dict[str, str], sep: str = ";") -> str:
    return sep.join(values[h] for h in header)


def write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    """Write `text` (lines joined with '\\n') with an explicit encoding and line ending."""
    data = text.replace("\n", newline).encode(encoding)
    path.write_bytes(data)
    return path


def csv_text(header: list[str], rows: list[dict[str, str]], sep: str = ";") -> str:
    return "\n".join([sep.join(header), *(line(header, r, sep) for r in rows)]) + "\n"


def siao_file(tmp_path: Path, rows: list[dict[str, str]], name: str = "siao_75_2023-04.csv", **kwargs) -> Path:
    return write(tmp_path / name, csv_text(SIAO_HEADER, rows), **kwargs)


def siao_rows(n: int, **changes: str) -> list[dict[str, str]]:
    """`n` valid SIAO rows with distinct ids."""
    return [row(SIAO_ROW, **{"Numéro demande": f"D{i:05d}", "Numéro ménage": f"MEN{i:05d}"}, **changes) for i in range(n)]
