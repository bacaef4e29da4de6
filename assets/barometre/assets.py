"""Assets of the layer `barometre`: the State's published Logement d'abord series (Baromètre des
résultats de l'action publique), from the files dropped in `<landing>/barometre/` to one annual
table set beside the observatory's own figures.

- `raw/barometre`: the files, both layouts (2017–2022 etalab files, 2023– IND-295 DITP files),
  loaded incrementally (`loader.py`), every file logged in `meta.ingest_log`;
- `staging/barometre_mensuel`: one cumulative value per layout, territory and month;
- `staging/barometre_annuel`: one value per territory and year.
"""

import dagster as dg
import duckdb
import polars as pl

from assets.barometre.loader import LoadSummary, load_folder
from pipelines.config import CONFIG_DIR, SQL_DIR
from pipelines.resources import LandingResource, WarehouseResource

GROUP = "barometre"
KINDS = {"duckdb"}
SQL_FOLDER = SQL_DIR / "barometre"

#: Name and unit of the annual series in `staging.barometre_annuel`.
SERIE = "BAROMETRE_LDA_PERSONNES"
UNITE = "personnes"

PREVIEW_ROWS = 10

RAW_KEY = dg.AssetKey(["raw", "barometre"])
MENSUEL_KEY = dg.AssetKey(["staging", "barometre_mensuel"])
ANNUEL_KEY = dg.AssetKey(["staging", "barometre_annuel"])
OBJECTIFS_STAGING_KEY = dg.AssetKey(["staging", "barometre_objectifs"])
OBJECTIFS_KEY = dg.AssetKey(["marts", "objectifs"])
MARTS_SQL_FOLDER = SQL_DIR / "marts"
TERRITOIRES_KEY = dg.AssetKey(["reference", "territoires"])
#: The local targets a coordinator adds (README « Objectifs »); read by marts/objectifs.
OBJECTIFS_LOCAUX = CONFIG_DIR / "objectifs.csv"
INDICATEURS_CSV = CONFIG_DIR / "indicateurs.csv"
#: The observatory's series followed against the IND-295 target (observatoire_commun.objectifs).
INDICATEUR_SUIVI = "ATTR_SD_PERS"


def objectifs_locaux(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every row of data/config/objectifs.csv with `motif`: why it cannot be followed (None when it
    can). The territories are those of reference.territoires (none when it is not built)."""
    existe = conn.execute(
        "select count(*) from duckdb_tables() where schema_name = 'reference' and table_name = 'territoires'"
    ).fetchone()[0]
    conn.execute(
        "create or replace temp view territoires_connus as "
        + ("select territoire_type, territoire_code from reference.territoires" if existe else
           "select cast(null as varchar) as territoire_type, cast(null as varchar) as territoire_code where false")
    ).fetchall()
    return conn.sql(sql_text("objectifs_locaux"),
                    params={"fichier": str(OBJECTIFS_LOCAUX), "indicateurs": str(INDICATEURS_CSV)}).pl()


def sql_text(name: str) -> str:
    return (SQL_FOLDER / f"{name}.sql").read_text(encoding="utf-8")


def run_sql(conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, object] | None = None) -> None:
    """Run `sql/barometre/<name>.sql` with its `$name` parameters, fetching the result whole."""
    conn.execute(sql_text(name), params or {}).fetchall()


def markdown_table(frame: pl.DataFrame, rows: int = PREVIEW_ROWS) -> str:
    """A polars frame (its first `rows` rows) as a Markdown table."""
    with pl.Config(
        tbl_formatting="MARKDOWN",
        tbl_hide_column_data_types=True,
        tbl_hide_dataframe_shape=True,
        tbl_rows=rows,
        tbl_cols=-1,
        tbl_width_chars=60_000,
        fmt_str_lengths=300,
    ):
        return str(frame.head(rows))


def table_metadata(conn: duckdb.DuckDBPyConnection, table: str, order_by: str) -> dict[str, dg.MetadataValue]:
    """Row count and a Markdown preview of `table` (its first rows in `order_by` order)."""
    count = conn.execute(f"select count(*) from {table}").fetchall()[0][0]
    preview = conn.sql(f"select * from {table} order by {order_by} limit {PREVIEW_ROWS}").pl()
    return {
        "dagster/row_count": dg.MetadataValue.int(int(count)),
        "preview": dg.MetadataValue.md(markdown_table(preview)),
    }


def files_table(summary: LoadSummary) -> str:
    rows = [
        {
            "fichier": f.file_name,
            "action": f.action,
            "présentation": f.result.layout if f.result else None,
            "lues": f.result.rows_read if f.result else None,
            "retenues": f.result.rows_accepted if f.result else None,
            "quarantaine": f.result.rows_quarantined if f.result else None,
            "ignorées": f.result.rows_skipped if f.result else None,
            "message": f.result.error if f.result else None,
        }
        for f in summary.files
    ]
    if not rows:
        return "aucun fichier dans le dossier de dépôt"
    return markdown_table(pl.DataFrame(rows), len(rows))


@dg.asset(key=RAW_KEY, group_name=GROUP, kinds=KINDS)
def raw_barometre(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, landing: LandingResource
) -> dg.MaterializeResult:
    """One row per line kept from a Baromètre file: the Logement d'abord indicator, a territory
    (département, région, France), a month, its published value (long format, as published).

    Source: the `*.csv` files of `<landing>/barometre/`, layout recognised by the header: the
    2017–2022 etalab files (`barometre-resultats-logement-ville-detail-{departemental,regional,
    national}.csv`, rows `id_indicateur = logement-sans-domicile-hebergement-urgence`, values
    cumulated since 1 January; the `…-synthese-*.csv` summaries are read and keep no row) and the
    2023– DITP files (`ind-295.csv`, rows `indic_id = IND-295`, values cumulated since January 2023,
    plus its 2022-12 baseline and 2026-12 target rows; `ind-302.csv` holds another indicator and
    keeps no row). Incremental: a file already logged with the same bytes is not read again, a
    file with new bytes replaces its rows. Every file is logged in `meta.ingest_log`, refused rows
    go to `meta.quarantine`.
    """
    folder = landing.folder("barometre")
    if not folder.is_dir():
        context.log.warning(f"Dossier de dépôt du Baromètre absent : {folder}")
    with warehouse.connect() as conn:
        summary = load_folder(conn, folder)
        for error in summary.errors:
            context.log.warning(f"Fichier du Baromètre refusé : {error}")
        context.log.info(
            f"barometre : {summary.count('chargé')} fichiers chargés, {summary.count('remplacé')} remplacés, "
            f"{summary.count('refusé')} refusés, {summary.count('inchangé')} inchangés"
        )
        metadata = table_metadata(conn, "raw.barometre", "layout, file_name, line_number")
    return dg.MaterializeResult(
        metadata={
            **metadata,
            "files_seen": dg.MetadataValue.int(len(summary.files)),
            "files_loaded": dg.MetadataValue.int(summary.count("chargé")),
            "files_replaced": dg.MetadataValue.int(summary.count("remplacé")),
            "files_rejected": dg.MetadataValue.int(summary.count("refusé")),
            "files_unchanged": dg.MetadataValue.int(summary.count("inchangé")),
            "rows_read": dg.MetadataValue.int(summary.total("rows_read")),
            "rows_accepted": dg.MetadataValue.int(summary.total("rows_accepted")),
            "rows_quarantined": dg.MetadataValue.int(summary.total("rows_quarantined")),
            "rows_skipped": dg.MetadataValue.int(summary.total("rows_skipped")),
            "files": dg.MetadataValue.md(files_table(summary)),
            "source": dg.MetadataValue.path(str(folder)),
        }
    )


@dg.asset(key=MENSUEL_KEY, group_name=GROUP, kinds=KINDS, deps=[RAW_KEY])
def barometre_mensuel(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per (layout, territory, month) of the Baromètre's Logement d'abord series: the
    cumulative value published for that month (persons housed since the start of the cumulation),
    with `debut_cumul`, the month the cumulation starts from (1 January for the 2017–2022 layout,
    January 2023 for IND-295, whose 2022-12 baseline row has `nature = 'valeur_initiale'`).

    Source: `raw.barometre` (targets left out; a month given by two files: the file ingested last)
    and `meta.ingest_log`. SQL: `sql/barometre/barometre_mensuel.sql`. The asset checks report the
    traps of the published files on this table.
    """
    with warehouse.connect() as conn:
        conn.execute("create schema if not exists staging").fetchall()
        run_sql(conn, "barometre_mensuel")
        metadata = table_metadata(conn, "staging.barometre_mensuel", "layout, territoire_type, territoire_code, date")
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(key=ANNUEL_KEY, group_name=GROUP, kinds=KINDS, deps=[MENSUEL_KEY])
def barometre_annuel(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per (territory, calendar year) of the Baromètre's Logement d'abord series
    (`serie = 'BAROMETRE_LDA_PERSONNES'`, `unite = 'personnes'`): persons from the street or from
    shelters who obtained a social dwelling that year, for the départements, régions and France.

    Annualisation: 2017–2022 layout (cumulated since 1 January) → the December value (2017…2021);
    IND-295 (cumulated since January 2023, no reset) → December minus the previous December
    (2023 = December 2023 − the 2022-12 baseline, 0). Partial years are kept, flagged: 2022 stops in
    November (value = cumulative to November) and 2024 in May (value = May 2024 − December 2023):
    `statut = 'partiel'` and `dernier_mois` the last month included; complete years have
    `statut = 'ok'`. Consumers that want whole years only filter `statut = 'ok'`. `source` names the
    layout and the file of the last month.

    Source: `staging.barometre_mensuel`. SQL: `sql/barometre/barometre_annuel.sql`.
    """
    with warehouse.connect() as conn:
        conn.execute("create schema if not exists staging").fetchall()
        run_sql(conn, "barometre_annuel", {"serie": SERIE, "unite": UNITE})
        metadata = table_metadata(conn, "staging.barometre_annuel", "territoire_type = 'france' desc, territoire_type, territoire_code, periode")
        statuts = dict(
            conn.execute("select statut, count(*) from staging.barometre_annuel group by statut").fetchall()
        )
    return dg.MaterializeResult(
        metadata={
            **metadata,
            "rows_ok": dg.MetadataValue.int(int(statuts.get("ok", 0))),
            "rows_partiel": dg.MetadataValue.int(int(statuts.get("partiel", 0))),
        }
    )


@dg.asset(key=OBJECTIFS_STAGING_KEY, group_name=GROUP, kinds=KINDS, deps=[RAW_KEY])
def barometre_objectifs(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per territory of the Baromètre's IND-295 series (départements, régions, France):
    initial value (`indic_vi`, the 2022-12 baseline row), latest current value (`indic_va`) and
    its month, target (`indic_vc`) and its date (2026-12), progress rate (`indic_ta`, %) as
    published on the latest row.

    Source: `raw.barometre` (IND-295 rows; a row given by two files: the file ingested last) and
    `meta.ingest_log`. SQL: `sql/barometre/barometre_objectifs.sql`.
    """
    with warehouse.connect() as conn:
        conn.execute("create schema if not exists staging").fetchall()
        run_sql(conn, "barometre_objectifs")
        metadata = table_metadata(conn, "staging.barometre_objectifs", "territoire_type, territoire_code")
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(key=OBJECTIFS_KEY, group_name=GROUP, kinds=KINDS, deps=[OBJECTIFS_STAGING_KEY, TERRITOIRES_KEY])
def objectifs(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per (series, territory) with a target: initial, current and target values, the
    target's date and the progress rate (%): the Baromètre's IND-295 targets, as series
    `BAROMETRE_LDA_PERSONNES` (persons, cumulated since January 2023, followed with `ATTR_SD_PERS`),
    and the local targets of `data/config/objectifs.csv` the observatory can follow (the check
    `objectifs_locaux_suivables` names the others).

    Source: `staging.barometre_objectifs`, `data/config/objectifs.csv` (`reference.territoires`).
    SQL: `sql/barometre/objectifs_locaux.sql`, `sql/marts/objectifs.sql`. Published as
    `publication.objectifs`.
    """
    with warehouse.connect() as conn:
        conn.execute("create schema if not exists marts").fetchall()
        locaux = objectifs_locaux(conn).filter(pl.col("motif").is_null()).drop("motif", "ligne")
        conn.register("objectifs_locaux_suivis", locaux.to_arrow())
        sql = (MARTS_SQL_FOLDER / "objectifs.sql").read_text(encoding="utf-8")
        conn.execute(sql, {"serie": SERIE, "indicateur_suivi": INDICATEUR_SUIVI}).fetchall()
        conn.unregister("objectifs_locaux_suivis")
        metadata = table_metadata(conn, "marts.objectifs", "serie, territoire_type, territoire_code")
    return dg.MaterializeResult(metadata=metadata)


ASSETS = [raw_barometre, barometre_mensuel, barometre_annuel, barometre_objectifs, objectifs]
