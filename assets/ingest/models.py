"""pandera models of the accepted frames, one per table kind (see `contracts.py`).

They describe the *accepted* frames (typed, pseudonymised) and restate the SIAO consistency rules
as dataframe checks, so that a frame built elsewhere can be checked too. Kept apart from the
contracts so that reading and checking a file (`observatoire check`) does not import pandera.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from assets.ingest.contracts import (
    COMMUNE_PATTERN,
    COMPOSITIONS,
    DEPARTEMENT_PATTERN,
    DESTINATIONS,
    MOTIFS,
    PSEUDONYM_PATTERN,
    RESERVATAIRES,
    SEXES,
    SITUATIONS_LOGEMENT,
    SITUATIONS_SIAO,
    STATUTS,
    TRANCHES_AGE,
    TYPES_DEMANDE,
    TYPES_LIEU,
    TYPES_ORIENTATION,
    TYPES_PLACE,
    consistency_checks,
)


# --------------------------------------------------------------------------------------------
# pandera models of the accepted frames
# --------------------------------------------------------------------------------------------
def _passes(kind: str, rule: str, data: pa.PolarsData) -> pl.LazyFrame:
    fails = [c.fail for c in consistency_checks(kind) if c.rule == rule]
    return data.lazyframe.select(~pl.any_horizontal([f.fill_null(False) for f in fails]).alias(rule))


class _Provenance(pa.DataFrameModel):
    source_file: str = pa.Field(nullable=False)
    line_number: pl.Int64 = pa.Field(ge=2)


class SiaoModel(_Provenance):
    """Accepted SIAO rows: one request in one monthly extraction (typed, pseudonymised)."""

    request_id: str
    menage_id: str = pa.Field(str_matches=PSEUDONYM_PATTERN)
    extraction_date: pl.Date
    request_date: pl.Date
    request_type: str = pa.Field(isin=TYPES_DEMANDE)
    departement: str = pa.Field(str_matches=DEPARTEMENT_PATTERN)
    commune: str = pa.Field(nullable=True, str_matches=COMMUNE_PATTERN)
    household_composition: str = pa.Field(isin=COMPOSITIONS)
    nb_persons: pl.Int64 = pa.Field(ge=1)
    nb_children: pl.Int64 = pa.Field(ge=0)
    sex: str = pa.Field(nullable=True, isin=SEXES)
    tranche_age: str = pa.Field(nullable=True, isin=TRANCHES_AGE)
    situation_at_request: str = pa.Field(nullable=True, isin=SITUATIONS_SIAO)
    request_status: str = pa.Field(isin=STATUTS)
    non_attribution_reason: str = pa.Field(nullable=True, isin=MOTIFS)
    orientation_date: pl.Date = pa.Field(nullable=True)
    orientation_type: str = pa.Field(nullable=True, isin=TYPES_ORIENTATION)
    admission_date: pl.Date = pa.Field(nullable=True)
    exit_date: pl.Date = pa.Field(nullable=True)
    exit_destination: str = pa.Field(nullable=True, isin=DESTINATIONS)
    nur_id: str = pa.Field(nullable=True, str_matches=PSEUDONYM_PATTERN)

    class Config:
        strict = True

    @pa.dataframe_check
    def date_out_of_range(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _passes("siao", "date_out_of_range", data)

    @pa.dataframe_check
    def date_chain(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _passes("siao", "date_chain", data)

    @pa.dataframe_check
    def pourvue_without_orientation(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _passes("siao", "pourvue_without_orientation", data)

    @pa.dataframe_check
    def non_pourvue_without_motif(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _passes("siao", "non_pourvue_without_motif", data)

    @pa.dataframe_check
    def children_not_less_than_persons(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _passes("siao", "children_not_less_than_persons", data)


class SneDemandesModel(_Provenance):
    """Accepted SNE demands: one active social housing demand on 31 December."""

    nur_id: str = pa.Field(str_matches=PSEUDONYM_PATTERN)
    filing_date: pl.Date = pa.Field(nullable=True)
    commune: str = pa.Field(str_matches=COMMUNE_PATTERN)
    housing_situation: str = pa.Field(isin=SITUATIONS_LOGEMENT)
    household_composition: str = pa.Field(isin=COMPOSITIONS)
    nb_persons: pl.Int64 = pa.Field(ge=1)
    dalo_priority: pl.Boolean
    asylum_seeker: pl.Boolean

    class Config:
        strict = True


class SneAttributionsModel(SneDemandesModel):
    """Accepted SNE attributions: one social dwelling attributed (lease signed)."""

    attribution_date: pl.Date
    reservation_holder: str = pa.Field(isin=RESERVATAIRES)

    class Config:
        strict = True


class NdlsModel(_Provenance):
    """Accepted Nuits de la Solidarité rows: one counting sector and place type of one night."""

    night_date: pl.Date
    commune: str = pa.Field(str_matches=COMMUNE_PATTERN)
    sector: str
    sector_covered: pl.Boolean
    location_type: str = pa.Field(isin=TYPES_LIEU)
    persons: pl.Int64 = pa.Field(ge=0)

    class Config:
        strict = True


class OffreModel(_Provenance):
    """Accepted offer rows: places open on 31 December for one département and type of place."""

    departement: str = pa.Field(str_matches=DEPARTEMENT_PATTERN)
    place_type: str = pa.Field(isin=TYPES_PLACE)
    places: pl.Int64 = pa.Field(ge=0)

    class Config:
        strict = True


MODELS: dict[str, type[pa.DataFrameModel]] = {
    "siao": SiaoModel,
    "sne_attributions": SneAttributionsModel,
    "sne_demandes": SneDemandesModel,
    "ndls": NdlsModel,
    "offre": OffreModel,
}
