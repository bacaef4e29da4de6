"""Contracts of the source files: columns, value lists, quarantine rules and pandera models.

One `Contract` per table kind (`siao`, `sne_attributions`, `sne_demandes`, `ndls`, `offre`)
describes the columns of the file (canonical French name as in the input contracts, the
snake_case English name of the accepted frame, the type of value and whether a value is
required). The value lists are copied exactly from the contracts; `normalise.py` matches them
ignoring case, accents, spaces and punctuation and stores these canonical spellings.

The row rules, in the fixed priority order used to pick the ONE rule reported for a refused row
(the first failing rule; within a rule, the first failing column in file-contract order):

1. `malformed_row`: wrong number of fields, or a `Total` line that is not the final footer;
2. `required_value_missing`: a required cell is empty or a missing-value marker;
3. `invalid_value`: a value outside its list (enumerations, `Oui`/`Non`);
4. `invalid_integer`: not an integer, or below its minimum (`nb_personnes` >= 1, counts >= 0),
   or a year of birth outside 1900..year of the request;
5. `invalid_date`: unreadable or impossible date (`31/02/2023`);
6. `invalid_departement`: not `01`..`95` (but `20`), `2A`, `2B`, `971`..`976`;
7. `unknown_commune`: commune code not in the COG 2026 after the lost-zero fix and the
   arrondissement roll-up;
8. `date_out_of_range` (SIAO): a date of the chain before 2010-01-01 or after the extraction date;
9. `date_chain` (SIAO): demande <= orientation <= admission <= sortie <= extraction (days; the
   dates present are compared pairwise);
10. `pourvue_without_orientation` (SIAO): `Pourvue` needs a Date and a Type d'orientation;
11. `non_pourvue_without_motif` (SIAO): `Non pourvue` needs a Motif de non-attribution;
12. `children_not_less_than_persons` (SIAO): Nombre d'enfants must be < Nombre de personnes.

Whole-file rules (the file is `rejected`, no row is read): `required_column_missing`,
`duplicate_column` (two headers mapping to one column), `unreadable_file` (encoding neither
UTF-8 nor Windows-1252, empty file).

The pandera models describe the *accepted* frames (typed, pseudonymised) and restate the SIAO
consistency rules as dataframe checks, so that a frame built elsewhere can be checked too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------
ROW_RULES: tuple[str, ...] = (
    "malformed_row",
    "required_value_missing",
    "invalid_value",
    "invalid_integer",
    "invalid_date",
    "invalid_departement",
    "unknown_commune",
    "date_out_of_range",
    "date_chain",
    "pourvue_without_orientation",
    "non_pourvue_without_motif",
    "children_not_less_than_persons",
)
RULE_PRIORITY: dict[str, int] = {rule: i for i, rule in enumerate(ROW_RULES)}
FILE_RULES: tuple[str, ...] = ("required_column_missing", "duplicate_column", "unreadable_file")

# First day a date of the SIAO chain may take.
CHAIN_START = dt.date(2010, 1, 1)

# --------------------------------------------------------------------------------------------
# Value lists (exactly as in the input contracts)
# --------------------------------------------------------------------------------------------
TYPES_DEMANDE = ("Urgence", "Insertion")
COMPOSITIONS = (
    "Personne seule",
    "Couple sans enfant",
    "Couple avec enfant(s)",
    "Famille monoparentale",
    "Groupe d'adultes",
)
SEXES = ("F", "M")
SITUATIONS_SIAO = (
    "Rue / abri de fortune",
    "Squat / bidonville",
    "Hébergé chez un tiers",
    "Hébergement d'urgence",
    "Hôtel",
    "Hébergement d'insertion (CHRS)",
    "Logement ordinaire",
    "Sortie d'institution",
)
STATUTS = ("Pourvue", "Non pourvue", "En attente", "Annulée")
MOTIFS = ("Absence de place", "Place inadaptée", "Refus du ménage", "Autre")
TYPES_ORIENTATION = (
    "CHU",
    "Hôtel",
    "CHRS",
    "Pension de famille",
    "Résidence sociale",
    "Intermédiation locative",
    "Logement ordinaire",
    "Autre",
)
DESTINATIONS = (
    "Logement social",
    "Logement privé",
    "Pension de famille",
    "Résidence sociale / FJT",
    "Intermédiation locative",
    "Autre hébergement",
    "Hébergé chez un tiers",
    "Rue",
    "Institution",
    "Inconnue",
)
RESERVATAIRES = ("Etat", "Action Logement", "Collectivité", "Bailleur", "Autre")
SITUATIONS_LOGEMENT = (
    "Sans abri ou habitat de fortune",
    "Squat",
    "Hôtel",
    "Structure d'hébergement",
    "Camping / caravane",
    "Résidence sociale, foyer, pension de famille",
    "Chez parents ou enfants",
    "Chez un particulier",
    "Locataire parc social",
    "Locataire parc privé",
    "Propriétaire",
    "Logement de fonction",
    "Autre",
)
TYPES_LIEU = (
    "Rue",
    "Métro / RER",
    "Gare",
    "Parc / bois / talus",
    "Hôpital",
    "Parking",
    "Bailleur social",
    "Campement",
    "Autre",
)
TYPES_PLACE = (
    "Pension de famille",
    "Résidence accueil",
    "IML mandat de gestion",
    "IML location / sous-location",
    "CHRS",
    "CHU",
    "Hôtel",
)
OUI_NON = ("Oui", "Non")
TRANCHES_AGE = ("<18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")

DEPARTEMENT_PATTERN = r"^(0[1-9]|1[0-9]|2[1-9]|2A|2B|[3-8][0-9]|9[0-5]|97[1-6])$"
COMMUNE_PATTERN = r"^[0-9][0-9AB][0-9]{3}$"
PSEUDONYM_PATTERN = r"^[0-9a-f]{64}$"

# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------
# Types of value: text, menage (pseudonymised to menage_id), nur (pseudonymised to nur_id),
# date, integer, birth_year (turned into tranche_age), enum, bool (Oui/Non), departement, commune.
VALUE_TYPES = ("text", "menage", "nur", "date", "integer", "birth_year", "enum", "bool", "departement", "commune")

_DTYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "menage": pl.String(),
    "nur": pl.String(),
    "date": pl.Date(),
    "integer": pl.Int64(),
    "birth_year": pl.String(),
    "enum": pl.String(),
    "bool": pl.Boolean(),
    "departement": pl.String(),
    "commune": pl.String(),
}

# Columns added to every accepted frame.
PROVENANCE_SCHEMA: dict[str, pl.DataType] = {"source_file": pl.String(), "line_number": pl.Int64()}

QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String(),
    "file_name": pl.String(),
    "line_number": pl.Int64(),
    "column_name": pl.String(),
    "rule": pl.String(),
    "message": pl.String(),
    "raw_line": pl.String(),
}


@dataclass(frozen=True)
class Column:
    """One column of a source file.

    `name` is the canonical French header (contract), `field` the column of the accepted frame.
    `required`: a value is required in every row (else the cell may be empty or a marker).
    """

    name: str
    field: str
    type: str
    required: bool = True
    values: tuple[str, ...] = ()
    minimum: int | None = None

    def __post_init__(self) -> None:
        if self.type not in VALUE_TYPES:
            raise ValueError(f"unknown value type {self.type!r} for column {self.name!r}")
        if self.type == "enum" and not self.values:
            raise ValueError(f"enumerated column {self.name!r} without values")

    @property
    def dtype(self) -> pl.DataType:
        return _DTYPES[self.type]


@dataclass(frozen=True)
class Contract:
    """The contract of one table kind: its source folder, its columns and what the header must hold."""

    kind: str
    source: str
    columns: tuple[Column, ...]
    # True: every column of the contract must be in the header. False: only the columns whose
    # values are required; an absent optional column is read as empty.
    all_columns_required_in_file: bool = True
    description: str = ""
    _by_name: dict[str, Column] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_name.update({c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        return self._by_name[name]

    def required_in_file(self, column: Column) -> bool:
        return self.all_columns_required_in_file or column.required

    @property
    def accepted_schema(self) -> dict[str, pl.DataType]:
        """Column name -> dtype of the accepted frame, in order."""
        schema = {c.field: c.dtype for c in self.columns}
        schema.update(PROVENANCE_SCHEMA)
        return schema

    def empty_accepted(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.accepted_schema)


SIAO = Contract(
    kind="siao",
    source="siao",
    all_columns_required_in_file=False,
    description="One row per SIAO request as listed in one monthly extraction of one SIAO.",
    columns=(
        Column("Numéro demande", "request_id", "text"),
        Column("Numéro ménage", "menage_id", "menage"),
        Column("Date d'extraction", "extraction_date", "date"),
        Column("Date de la demande", "request_date", "date"),
        Column("Type de demande", "request_type", "enum", values=TYPES_DEMANDE),
        Column("Département SIAO", "departement", "departement"),
        Column("Commune de la demande", "commune", "commune", required=False),
        Column("Composition familiale", "household_composition", "enum", values=COMPOSITIONS),
        Column("Nombre de personnes", "nb_persons", "integer", minimum=1),
        Column("Nombre d'enfants", "nb_children", "integer", minimum=0),
        Column("Sexe", "sex", "enum", required=False, values=SEXES),
        Column("Année de naissance", "tranche_age", "birth_year", required=False),
        Column("Situation à la demande", "situation_at_request", "enum", required=False, values=SITUATIONS_SIAO),
        Column("Statut de la demande", "request_status", "enum", values=STATUTS),
        Column("Motif de non-attribution", "non_attribution_reason", "enum", required=False, values=MOTIFS),
        Column("Date d'orientation", "orientation_date", "date", required=False),
        Column("Type d'orientation", "orientation_type", "enum", required=False, values=TYPES_ORIENTATION),
        Column("Date d'admission", "admission_date", "date", required=False),
        Column("Date de sortie", "exit_date", "date", required=False),
        Column("Destination à la sortie", "exit_destination", "enum", required=False, values=DESTINATIONS),
        Column("NUR", "nur_id", "nur", required=False),
    ),
)

_SNE_COMMON_HEAD = (
    Column("numero_unique", "nur_id", "nur"),
    Column("date_depot", "filing_date", "date", required=False),
)
_SNE_COMMON_TAIL = (
    Column("situation_logement", "housing_situation", "enum", values=SITUATIONS_LOGEMENT),
    Column("composition", "household_composition", "enum", values=COMPOSITIONS),
    Column("nb_personnes", "nb_persons", "integer", minimum=1),
    Column("prioritaire_dalo", "dalo_priority", "bool", values=OUI_NON),
    Column("demandeur_asile", "asylum_seeker", "bool", values=OUI_NON),
)

SNE_ATTRIBUTIONS = Contract(
    kind="sne_attributions",
    source="sne",
    description="One row per social dwelling attributed (lease signed), from one annual SNE extraction.",
    columns=(
        *_SNE_COMMON_HEAD,
        Column("date_attribution", "attribution_date", "date"),
        Column("commune", "commune", "commune"),
        Column("reservataire", "reservation_holder", "enum", values=RESERVATAIRES),
        *_SNE_COMMON_TAIL,
    ),
)

SNE_DEMANDES = Contract(
    kind="sne_demandes",
    source="sne",
    description="One row per social housing demand active on 31 December, from one annual SNE extraction.",
    columns=(
        *_SNE_COMMON_HEAD,
        Column("commune", "commune", "commune"),
        *_SNE_COMMON_TAIL,
    ),
)

NDLS = Contract(
    kind="ndls",
    source="ndls",
    description="One row per counting sector and place type of one Nuit de la Solidarité of one city.",
    columns=(
        Column("date_nuit", "night_date", "date"),
        Column("code_commune", "commune", "commune"),
        Column("secteur", "sector", "text"),
        Column("secteur_couvert", "sector_covered", "bool", values=OUI_NON),
        Column("type_lieu", "location_type", "enum", values=TYPES_LIEU),
        Column("personnes", "persons", "integer", minimum=0),
    ),
)

OFFRE = Contract(
    kind="offre",
    source="offre",
    description="One row per département and type of place: places open on 31 December.",
    columns=(
        Column("departement", "departement", "departement"),
        Column("type_place", "place_type", "enum", values=TYPES_PLACE),
        Column("places", "places", "integer", minimum=0),
    ),
)

CONTRACTS: dict[str, Contract] = {c.kind: c for c in (SIAO, SNE_ATTRIBUTIONS, SNE_DEMANDES, NDLS, OFFRE)}
KINDS: tuple[str, ...] = tuple(CONTRACTS)
SOURCES: tuple[str, ...] = ("siao", "sne", "ndls", "offre")


# --------------------------------------------------------------------------------------------
# SIAO consistency rules, as polars expressions on the typed columns (accepted-frame names)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    """One named row check: `fail` is true on a failing row; `message` says why, in French."""

    rule: str
    column: str | None
    fail: pl.Expr
    message: pl.Expr


# The SIAO date chain, in order (accepted-frame field, canonical name).
SIAO_CHAIN: tuple[tuple[str, str], ...] = (
    ("request_date", "Date de la demande"),
    ("orientation_date", "Date d'orientation"),
    ("admission_date", "Date d'admission"),
    ("exit_date", "Date de sortie"),
    ("extraction_date", "Date d'extraction"),
)


def _fmt(field_name: str) -> pl.Expr:
    return pl.col(field_name).dt.strftime("%d/%m/%Y")


def siao_consistency_checks() -> list[Check]:
    """The SIAO consistency rules in priority order (then chain/column order)."""
    checks: list[Check] = []
    start = pl.lit(CHAIN_START)
    # date_out_of_range: first "before 2010" on every chain date (so that an extraction date
    # before 2010 is reported on its own column), then "after the extraction date".
    for fld, name in SIAO_CHAIN:
        checks.append(
            Check(
                "date_out_of_range",
                name,
                pl.col(fld) < start,
                pl.format(f"Date « {{}} » antérieure au 01/01/2010 dans la colonne « {name} »", _fmt(fld)),
            )
        )
    for fld, name in SIAO_CHAIN[:-1]:
        checks.append(
            Check(
                "date_out_of_range",
                name,
                pl.col(fld) > pl.col("extraction_date"),
                pl.format(
                    f"Date « {{}} » postérieure à la date d'extraction ({{}}) dans la colonne « {name} »",
                    _fmt(fld),
                    _fmt("extraction_date"),
                ),
            )
        )
    # date_chain: every present date must not be earlier than a present date before it in the chain.
    for j, (later, later_name) in enumerate(SIAO_CHAIN):
        for earlier, earlier_name in SIAO_CHAIN[:j]:
            checks.append(
                Check(
                    "date_chain",
                    later_name,
                    pl.col(later) < pl.col(earlier),
                    pl.format(
                        f"Chronologie incohérente : « {later_name} » ({{}}) est antérieure à « {earlier_name} » ({{}})",
                        _fmt(later),
                        _fmt(earlier),
                    ),
                )
            )
    pourvue = pl.col("request_status") == "Pourvue"
    checks.append(
        Check(
            "pourvue_without_orientation",
            "Date d'orientation",
            pourvue & pl.col("orientation_date").is_null(),
            pl.lit("Demande « Pourvue » sans « Date d'orientation »"),
        )
    )
    checks.append(
        Check(
            "pourvue_without_orientation",
            "Type d'orientation",
            pourvue & pl.col("orientation_type").is_null(),
            pl.lit("Demande « Pourvue » sans « Type d'orientation »"),
        )
    )
    checks.append(
        Check(
            "non_pourvue_without_motif",
            "Motif de non-attribution",
            (pl.col("request_status") == "Non pourvue") & pl.col("non_attribution_reason").is_null(),
            pl.lit("Demande « Non pourvue » sans « Motif de non-attribution »"),
        )
    )
    checks.append(
        Check(
            "children_not_less_than_persons",
            "Nombre d'enfants",
            pl.col("nb_children") >= pl.col("nb_persons"),
            pl.format(
                "« Nombre d'enfants » ({}) doit être inférieur à « Nombre de personnes » ({})",
                pl.col("nb_children"),
                pl.col("nb_persons"),
            ),
        )
    )
    return checks


def consistency_checks(kind: str) -> list[Check]:
    """Cross-column rules of a table kind (only SIAO has some in the contracts)."""
    return siao_consistency_checks() if kind == "siao" else []


def __getattr__(name: str):
    """The pandera models (`MODELS`, `SiaoModel` …) live in `assets.ingest.models`, imported on first
    use: pandera (and pandas under it) costs ≈ 0.5 s of imports that `observatoire check` spares."""
    if name == "MODELS" or name.endswith("Model"):
        from assets.ingest import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
