"""Asset checks of `publication/fichier` (blocking), run on the published file opened read-only:
every table and column has a comment; no identifier column; no published count between 1 and
seuil − 1 (rules of `data/config/secret_statistique.yaml`)."""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg
import duckdb
import polars as pl

from assets.diffusion.assets import fichier
from assets.diffusion.fichier import identifier_columns, small_counts, uncommented
from assets.diffusion.resources import PublicationFileResource
from assets.publication.assets import markdown_table
from assets.publication.secret import CONFIG_PATH, SecretConfig

MAX_LISTED = 50


def on_file(publication_file: PublicationFileResource, query: Callable[[duckdb.DuckDBPyConnection], list[str] | pl.DataFrame]) -> dg.AssetCheckResult:
    with duckdb.connect(str(publication_file.file), read_only=True) as conn:
        found = query(conn)
    frame = found if isinstance(found, pl.DataFrame) else pl.DataFrame({"objet": found}, schema={"objet": pl.String})
    metadata: dict[str, dg.MetadataValue] = {"offending_rows": dg.MetadataValue.int(frame.height)}
    if frame.height:
        metadata["details"] = dg.MetadataValue.md(markdown_table(frame, MAX_LISTED))
    return dg.AssetCheckResult(passed=frame.height == 0, metadata=metadata)


@dg.asset_check(asset=fichier, blocking=True)
def colonnes_commentees(publication_file: PublicationFileResource) -> dg.AssetCheckResult:
    """Every table and column of the schema publication has a comment (COMMENT ON)."""
    return on_file(publication_file, uncommented)


@dg.asset_check(asset=fichier, blocking=True)
def aucune_colonne_identifiant(publication_file: PublicationFileResource) -> dg.AssetCheckResult:
    """No column named like an identifier (*_id, menage*, nur*, numero*)."""
    return on_file(publication_file, identifier_columns)


@dg.asset_check(asset=fichier, blocking=True)
def aucun_petit_effectif(publication_file: PublicationFileResource) -> dg.AssetCheckResult:
    """No `ok` row of publication.indicateurs shows a count between 1 and seuil − 1: counts
    (numerateur), numerators of rates and ratios, record-count denominators (not the populations
    of NDLS_TAUX and TX_EQUIP_LA), cases of medians; types from the catalogue."""
    config = SecretConfig.load(CONFIG_PATH)
    return on_file(publication_file, lambda conn: small_counts(conn, config))


CHECKS = [colonnes_commentees, aucune_colonne_identifiant, aucun_petit_effectif]
