"""Ingestion assets: landing files → `raw.<kind>` (+ `meta.ingest_log`, `meta.quarantine`),
then the `staging` models of each source (SQL files in `sql/staging/`).

Raw assets are incremental: a file already logged with the same SHA-256 is not read again.
"""

from __future__ import annotations

import dagster as dg
import polars as pl

from assets.ingest.incremental import build_by_partition
from assets.ingest.loader import LoadSummary, ensure_meta, load_folder
from pipelines.config import SQL_DIR
from pipelines.resources import LandingResource, PseudonymisationResource, WarehouseResource


def _communes(conn) -> frozenset[str] | None:
    """Valid commune codes from the warehouse's reference layer (COG 2026)."""
    rows = conn.execute("select code_commune from reference.communes").fetchall()
    return frozenset(r[0] for r in rows) or None


def _result(summary: LoadSummary, conn, kind: str) -> dg.MaterializeResult:
    total = conn.execute(f"select count(*) from raw.{kind}").fetchall()[0][0]
    with pl.Config(tbl_formatting="MARKDOWN", tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        preview = str(conn.sql(f"select * exclude (line_number) from raw.{kind} limit 5").pl())
    errors = "\n".join(f"- {e}" for e in summary.errors[:20]) or "aucun"
    return dg.MaterializeResult(
        asset_key=dg.AssetKey(["raw", kind]),
        metadata={
            "dagster/row_count": total,
            **{f"run/{k}": v for k, v in summary.metadata().items()},
            "fichiers refusés": dg.MetadataValue.md(errors),
            "preview": dg.MetadataValue.md(preview),
        },
    )


def _load(context, source: str, kinds: list[str], warehouse, landing, pseudonymisation):
    key = pseudonymisation.require()
    # Ingestion in a connection of its own, closed after: within a run's shared connection, DuckDB's
    # cache (up to its 2 GB) would otherwise be kept from one source's load into the next one, on top of
    # the frames being validated (peak of a national build 3.4 → 4.1 GiB, measured).
    warehouse.release()
    try:
        with warehouse.connect() as conn:
            summary = load_folder(conn, source, landing.folder(source), pseudo_key=key, communes=_communes(conn),
                                  progress=lambda i, n: context.log.info(f"{source}: {i}/{n} fichiers"))
            context.log.info(
                f"{source}: {summary.files_loaded} fichiers chargés, {summary.files_rejected} refusés, "
                f"{summary.files_unchanged} inchangés, {summary.rows_quarantined} lignes en quarantaine "
                f"({summary.seconds:.1f} s)"
            )
            return [_result(summary, conn, kind) for kind in kinds]
    finally:
        warehouse.release()


REFERENCE_DEPS = [dg.AssetKey(["reference", "communes"])]


@dg.asset(key=["raw", "siao"], group_name="siao", deps=REFERENCE_DEPS)
def raw_siao(context, warehouse: WarehouseResource, landing: LandingResource,
             pseudonymisation: PseudonymisationResource) -> dg.MaterializeResult:
    """One row per accepted line of a SIAO monthly extraction (`siao_<DEP>_<AAAA-MM>.csv`), identifiers
    pseudonymised, birth year turned into an age band; refused lines in `meta.quarantine`."""
    return _load(context, "siao", ["siao"], warehouse, landing, pseudonymisation)[0]


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", "sne_attributions"], group_name="sne", deps=REFERENCE_DEPS),
           dg.AssetSpec(["raw", "sne_demandes"], group_name="sne", deps=REFERENCE_DEPS)],
)
def raw_sne(context, warehouse: WarehouseResource, landing: LandingResource, pseudonymisation: PseudonymisationResource):
    """SNE files: one row per attribution (`sne_attributions_<AAAA>.csv`) and one row per active demand on
    31/12 (`sne_demandes_<AAAA>.csv`), NUR pseudonymised with the same key as the SIAO side."""
    yield from _load(context, "sne", ["sne_attributions", "sne_demandes"], warehouse, landing, pseudonymisation)


@dg.asset(key=["raw", "ndls"], group_name="ndls", deps=REFERENCE_DEPS)
def raw_ndls(context, warehouse: WarehouseResource, landing: LandingResource,
             pseudonymisation: PseudonymisationResource) -> dg.MaterializeResult:
    """One row per sector and place type of a Nuit de la Solidarité (`ndls_<CODE_COMMUNE>_<AAAA>.csv`)."""
    return _load(context, "ndls", ["ndls"], warehouse, landing, pseudonymisation)[0]


@dg.asset(key=["raw", "offre"], group_name="offre", deps=REFERENCE_DEPS)
def raw_offre(context, warehouse: WarehouseResource, landing: LandingResource,
              pseudonymisation: PseudonymisationResource) -> dg.MaterializeResult:
    """One row per département and type of place open on 31 December (`offre_<AAAA>.csv`)."""
    return _load(context, "offre", ["offre"], warehouse, landing, pseudonymisation)[0]


def relation_type(conn, schema: str, name: str) -> str | None:
    """'BASE TABLE', 'VIEW' or None: what `<schema>.<name>` is in the warehouse now."""
    rows = conn.execute(
        "select table_type from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
    ).fetchall()
    return rows[0][0] if rows else None


def replace_relation(conn, schema: str, name: str, sql: str, view: bool) -> None:
    """`create or replace` `<schema>.<name>` as a view or a table, whatever it was before."""
    conn.execute(f"create schema if not exists {schema}")
    wanted = "VIEW" if view else "BASE TABLE"
    existing = relation_type(conn, schema, name)
    if existing is not None and existing != wanted:
        conn.execute(f"drop {'view' if existing == 'VIEW' else 'table'} {schema}.{name}")
    conn.execute(f"create or replace {'view' if view else 'table'} {schema}.{name} as {sql}")


def _metadata(conn, name: str) -> dict:
    n = conn.execute(f"select count(*) from staging.{name}").fetchall()[0][0]
    with pl.Config(tbl_formatting="MARKDOWN", tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        preview = str(conn.sql(f"select * from staging.{name} limit 5").pl())
    return {"dagster/row_count": n, "preview": dg.MetadataValue.md(preview)}


def _staging_asset(name: str, sql_file: str, group: str, deps: list[list[str]], doc: str, view: bool = False):
    """A staging model. `view`: a rename-only model over a big raw table is a view (no copy of
    tens of millions of rows at each run); the other models are tables."""

    @dg.asset(key=["staging", name], group_name=group, deps=[dg.AssetKey(d) for d in deps])
    def _asset(warehouse: WarehouseResource) -> dg.MaterializeResult:
        sql = (SQL_DIR / "staging" / sql_file).read_text(encoding="utf-8")
        with warehouse.connect() as conn:
            replace_relation(conn, "staging", name, sql, view)
            metadata = _metadata(conn, name)
        return dg.MaterializeResult(metadata=metadata)

    _asset.__doc__ = doc
    return _asset


# Fingerprint of the SIAO history by Département SIAO from its files (name and SHA-256 of every
# loaded file holding rows of the département, as `meta.fichiers_departements` keeps them with the
# rows): far cheaper than hashing, or even grouping, tens of millions of rows.
SIAO_FILES_SQL = """
    with fichiers as (
        select departement, source_file from meta.fichiers_departements group by all
    )
    select
        fichiers.departement as partition,
        count(*) as nb_lignes,
        sum(hash(fichiers.source_file, log.sha256)) as empreinte
    from fichiers
    left join meta.ingest_log as log
        on log.file_name = fichiers.source_file and log.source = 'siao' and log.status = 'loaded'
    group by all
"""


@dg.asset(key=["staging", "siao_demandes"], group_name="siao",
          deps=[dg.AssetKey(["staging", "siao_demandes_historique"])])
def siao_demandes(context, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per SIAO request (Département SIAO, Numéro demande): its latest accepted extraction.

    Incremental by Département SIAO (`incremental.build_by_partition`): only the départements whose
    extraction files changed since the last run are recomputed (a new monthly file touches one);
    the first run recomputes everything. The rows are the same as a full rebuild's."""
    sql = (SQL_DIR / "staging" / "stg_siao__demandes.sql").read_text(encoding="utf-8")
    with warehouse.connect() as conn:
        conn.execute("create schema if not exists staging")
        ensure_meta(conn)  # meta.fichiers_departements, read by the fingerprints
        # the view it reads is part of its SQL: a change of the view rebuilds all
        view = (SQL_DIR / "staging" / "stg_siao__demandes_historique.sql").read_text(encoding="utf-8")
        recomputed = build_by_partition(conn, "staging.siao_demandes", sql, {}, "departement_siao",
                                        "staging.siao_demandes_historique", [], upstream_fingerprints=SIAO_FILES_SQL,
                                        extra=view)
        context.log.info(f"staging.siao_demandes : départements recalculés : {recomputed}")
        metadata = _metadata(conn, "siao_demandes")
    return dg.MaterializeResult(metadata={**metadata, "départements recalculés": recomputed})


STAGING = [
    _staging_asset("siao_demandes_historique", "stg_siao__demandes_historique.sql", "siao", [["raw", "siao"]],
                   "Every accepted row of every SIAO extraction (the history of each request); a view on raw.siao.",
                   view=True),
    siao_demandes,
    _staging_asset("siao_couverture", "stg_siao__couverture.sql", "siao", [["raw", "siao"]],
                   "One row per département-month covered by an accepted SIAO file."),
    _staging_asset("sne_attributions", "stg_sne__attributions.sql", "sne", [["raw", "sne_attributions"]],
                   "One row per social dwelling attributed (SNE); a view on raw.sne_attributions.", view=True),
    _staging_asset("sne_demandes", "stg_sne__demandes.sql", "sne", [["raw", "sne_demandes"]],
                   "One row per active social housing demand on 31 December of the file's year (SNE); a view on "
                   "raw.sne_demandes.", view=True),
    _staging_asset("ndls_secteurs", "stg_ndls__secteurs.sql", "ndls", [["raw", "ndls"]],
                   "One row per sector and place type of a Nuit de la Solidarité, with its city and edition."),
    _staging_asset("offre_places", "stg_offre__places.sql", "offre", [["raw", "offre"]],
                   "Places open on 31 December by département, type and year."),
]

ASSETS = [raw_siao, raw_sne, raw_ndls, raw_offre, *STAGING]
