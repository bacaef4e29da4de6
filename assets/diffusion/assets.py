"""Asset of the layer `diffusion`: the researchers' publication file (a separate DuckDB file with
the schema `publication`, plus Parquet), built from the warehouse's disclosure-controlled tables."""

from __future__ import annotations

import dagster as dg
import polars as pl

from assets.diffusion.controles import resultats
from assets.diffusion.fichier import TABLES, build
from assets.diffusion.resources import PublicationFileResource
from assets.publication.assets import markdown_table
from pipelines.resources import LandingResource, WarehouseResource

GROUP = "publication"
KINDS = {"duckdb", "parquet"}
DEPS = [
    dg.AssetKey(["publication", "indicateurs"]),
    dg.AssetKey(["publication", "parcours_siao"]),
    dg.AssetKey(["marts", "series_publiees"]),
    dg.AssetKey(["marts", "evaluation_lda"]),
    dg.AssetKey(["marts", "evaluation_methode"]),
    dg.AssetKey(["marts", "objectifs"]),
    dg.AssetKey(["reference", "territoires"]),
]


# Lowest priority: the run's executor (one step at a time) takes this step last among those ready, so
# the checks of every asset it is built from (non-blocking ones too) are evaluated before it reads them.
@dg.asset(key=dg.AssetKey(["publication", "fichier"]), group_name=GROUP, kinds=KINDS, deps=DEPS,
          op_tags={"dagster/priority": "-1"})
def fichier(
    context,
    warehouse: WarehouseResource, landing: LandingResource, publication_file: PublicationFileResource,
) -> dg.MaterializeResult:
    """The publication file for researchers: one DuckDB file (`OBSERVATOIRE_PUBLICATION`) whose
    schema `publication` holds only disclosure-controlled tables — `indicateurs` (warehouse
    `publication.indicateurs`), `territoires`, `series_publiees` (`marts.series_publiees`),
    `parcours_siao` (warehouse `publication.parcours_siao`), `evaluation_lda` (`marts.evaluation_lda`,
    a row secret where the territory's cell it rests on is), `evaluation_methode`,
    `qualite` (`meta.ingest_log` × quarantine counts per rule, no raw line), `qualite_controles` (the
    Great Expectations results and the latest result of every asset check of the run, `controles.py`),
    `catalogue` (`data/config/indicateurs.csv`), `dictionnaire` (`data/config/dictionnaire.csv`)
    and `a_propos` (synthetic or real data, build date) — every table and column commented in
    French, and the same tables as `<folder>/parquet/<table>.parquet`. Written to a new file,
    verified (no identifier column, every column documented and commented, no count in 1..seuil−1),
    then swapped in atomically; the warehouse is only read.
    """
    synthetic = publication_file.synthetic(landing.path)
    controles = resultats(context)
    warehouse.release()  # the file is attached read-only by another connection: the run's one is closed first
    report = build(
        warehouse.database,
        publication_file.file,
        synthetic=synthetic,
        landing=landing.path,
        parquet_dir=publication_file.parquet_dir,
        controles=controles,
    )
    tables = pl.DataFrame({"table": list(TABLES), "lignes": [report.rows[t] for t in TABLES]})
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(report.path)),
            "parquet": dg.MetadataValue.path(str(publication_file.parquet_dir)),
            "bytes": dg.MetadataValue.int(report.bytes),
            "tables": dg.MetadataValue.md(markdown_table(tables, len(TABLES))),
            "dagster/row_count": dg.MetadataValue.int(int(sum(report.rows.values()))),
            "donnees_synthetiques": dg.MetadataValue.bool(report.synthetic),
            "date_construction": dg.MetadataValue.text(report.built_at),
            "controles_dagster": dg.MetadataValue.int(controles.height),
            "controles_dagster_en_echec": dg.MetadataValue.int(controles.filter(~pl.col("success")).height),
        }
    )


ASSETS = [fichier]
