"""Assets of the layer `evaluation` (group `evaluation`, schema `marts`): the observatory's figures
beside the published Baromètre series, and the evaluation of the Logement d'abord territories
(section F of the catalogue).

- `marts/comparaison_barometre`: ATTR_SD_PERS beside the Baromètre, with the gap;
- `marts/series_publiees`: the Baromètre series in the columns of `publication.series_publiees`;
- `marts/evaluation_lda`: difference in differences with a bootstrap interval (`bootstrap.py`);
- `marts/evaluation_methode`: the method note, in French.
"""

import dagster as dg
import duckdb
import polars as pl
from pydantic import Field

from assets.evaluation.bootstrap import METHODE, Parametres, evaluer
from pipelines.config import SQL_DIR
from pipelines.resources import WarehouseResource

GROUP = "evaluation"
KINDS = {"duckdb"}
SQL_FOLDER = SQL_DIR / "evaluation"
PREVIEW_ROWS = 10
#: Name of the Baromètre's annual series in `staging.barometre_annuel`.
SERIE_BAROMETRE = "BAROMETRE_LDA_PERSONNES"

INDICATEURS_KEY = dg.AssetKey(["marts", "indicateurs"])
BAROMETRE_ANNUEL_KEY = dg.AssetKey(["staging", "barometre_annuel"])
TERRITOIRES_KEY = dg.AssetKey(["reference", "territoires"])
PERIMETRES_KEY = dg.AssetKey(["reference", "perimetres"])
PERIMETRES_DEPARTEMENTS_KEY = dg.AssetKey(["reference", "perimetres_departements"])
COMMUNES_KEY = dg.AssetKey(["reference", "communes"])

COMPARAISON_KEY = dg.AssetKey(["marts", "comparaison_barometre"])
SERIES_PUBLIEES_KEY = dg.AssetKey(["marts", "series_publiees"])
EVALUATION_KEY = dg.AssetKey(["marts", "evaluation_lda"])
METHODE_KEY = dg.AssetKey(["marts", "evaluation_methode"])


def sql_text(name: str) -> str:
    return (SQL_FOLDER / f"{name}.sql").read_text(encoding="utf-8")


def run_sql(conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, object] | None = None) -> None:
    """Run `sql/evaluation/<name>.sql` (a `create or replace table`), fetching the result whole."""
    conn.execute(sql_text(name), params or {}).fetchall()


def query(conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    """The rows of the `select` in `sql/evaluation/<name>.sql`."""
    return conn.sql(sql_text(name), params=params or {}).pl()


def markdown_table(frame: pl.DataFrame, rows: int = PREVIEW_ROWS) -> str:
    """A polars frame (its first `rows` rows) as a Markdown table."""
    with pl.Config(tbl_formatting="MARKDOWN", tbl_hide_column_data_types=True, tbl_hide_dataframe_shape=True,
                   tbl_rows=rows, tbl_cols=-1, tbl_width_chars=60_000, fmt_str_lengths=120):
        return str(frame.head(rows))


def table_metadata(conn: duckdb.DuckDBPyConnection, table: str, order_by: str) -> dict[str, dg.MetadataValue]:
    """Row count and a Markdown preview of `table` (`table` and `order_by` are constants of this module)."""
    count = conn.sql(f"select count(*) from {table}").fetchall()[0][0]
    preview = conn.sql(f"select * from {table} order by {order_by} limit {PREVIEW_ROWS}").pl()
    return {
        "dagster/row_count": dg.MetadataValue.int(int(count)),
        "preview": dg.MetadataValue.md(markdown_table(preview)),
    }


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists marts").fetchall()


@dg.asset(key=COMPARAISON_KEY, group_name=GROUP, kinds=KINDS,
          deps=[INDICATEURS_KEY, BAROMETRE_ANNUEL_KEY, TERRITOIRES_KEY])
def comparaison_barometre(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per (territory, year) for the départements, régions and France: the observatory's
    `ATTR_SD_PERS` (attributions to homeless households × 2.2 persons, the Baromètre's convention)
    beside the Baromètre's annual value (`serie = 'BAROMETRE_LDA_PERSONNES'`), `ecart` =
    observatoire − baromètre and `ecart_relatif_pc` (% of the Baromètre value), with the Baromètre's
    `statut_barometre` ('ok' complete year, 'partiel' year stopping before December, see
    `dernier_mois_barometre`) and its `layout` ('2017-2022' or 'IND-295'). A year published by one
    side only is kept (full join), the other side null.

    Source: `marts.indicateurs`, `staging.barometre_annuel`, `reference.territoires`.
    SQL: `sql/evaluation/comparaison_barometre.sql`.
    """
    with warehouse.connect() as conn:
        ensure_schema(conn)
        run_sql(conn, "comparaison_barometre", {"serie": SERIE_BAROMETRE})
        metadata = table_metadata(conn, "marts.comparaison_barometre",
                                  "territoire_type = 'france' desc, territoire_type, territoire_code, periode")
        deux_cotes = conn.sql("select count(*), median(abs(ecart_relatif_pc)) from marts.comparaison_barometre "
                              "where ecart is not null").fetchall()[0]
    return dg.MaterializeResult(metadata={
        **metadata,
        "rows_both_sides": dg.MetadataValue.int(int(deux_cotes[0])),
        "median_abs_relative_gap_pc": dg.MetadataValue.float(float(deux_cotes[1]) if deux_cotes[1] is not None else 0.0),
    })


@dg.asset(key=SERIES_PUBLIEES_KEY, group_name=GROUP, kinds=KINDS, deps=[BAROMETRE_ANNUEL_KEY])
def series_publiees(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per (published series, territory, year): the Baromètre's Logement d'abord series
    annualised, in exactly the columns of the interface `publication.series_publiees` (serie,
    territoire_type, territoire_code, periode, valeur, unite, source) plus `statut` ('ok' or
    'partiel'); the publication step copies it.

    Source: `staging.barometre_annuel`. SQL: `sql/evaluation/series_publiees.sql`.
    """
    with warehouse.connect() as conn:
        ensure_schema(conn)
        run_sql(conn, "series_publiees")
        metadata = table_metadata(conn, "marts.series_publiees", "serie, territoire_type, territoire_code, periode")
    return dg.MaterializeResult(metadata=metadata)


class EvaluationConfig(dg.Config):
    n_bootstrap: int = Field(default=999, description="Nombre de tirages du bootstrap.")
    graine: int = Field(default=2026, description="Graine du générateur aléatoire (résultats reproductibles).")
    annee_reference_groupe: int = Field(
        default=2017, description="Année de référence du groupe LDA (2017 : l'année précédant l'appel de 2018).")


def evaluation_inputs(conn: duckdb.DuckDBPyConnection, parametres: Parametres) -> tuple[pl.DataFrame, ...]:
    """The three inputs of `evaluer`, read from the warehouse."""
    return (
        query(conn, "evaluation_series"),
        query(conn, "evaluation_territoires", {"annee_reference_groupe": parametres.annee_reference_groupe}),
        query(conn, "evaluation_unites"),
    )


def write_evaluation(conn: duckdb.DuckDBPyConnection, parametres: Parametres) -> pl.DataFrame:
    """Compute the evaluation from the warehouse and replace `marts.evaluation_lda`."""
    resultat = evaluer(*evaluation_inputs(conn, parametres), parametres)  # noqa: F841 (read by DuckDB)
    ensure_schema(conn)
    conn.execute("create or replace table marts.evaluation_lda as select * from resultat").fetchall()
    return resultat


@dg.asset(key=EVALUATION_KEY, group_name=GROUP, kinds=KINDS,
          deps=[INDICATEURS_KEY, TERRITOIRES_KEY, PERIMETRES_KEY, PERIMETRES_DEPARTEMENTS_KEY, COMMUNES_KEY])
def evaluation_lda(config: EvaluationConfig, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per (indicator, Logement d'abord territory or group LDA, year after its reference
    year): a difference in differences against the rest of France, with a bootstrap 95 % interval
    over départements — descriptive, not causal.

    Indicators: `TX_ATTR_SD` (share of social-housing attributions going to homeless households, %)
    and `ATTR_SD_100K` (those attributions per 100 000 inhabitants, population of
    `reference.territoires`). For each territory (its `annee_reference` = the year before its call;
    for the group LDA 2017, the year before the 2018 call, for the whole group — configurable) and
    each later year with data: `evolution_territoire` = value(year) − value(reference year),
    `evolution_reste_france` = the same for the group HORS_LDA, `did` = their difference;
    `ic_bas`/`ic_haut` = 2.5 / 97.5 percentiles of B (999) seeded bootstrap replicates in which the
    départements wholly outside the Logement d'abord territories (`n_departements_controle`) are drawn
    with replacement and the rest of France's change recomputed as a ratio of sums (Σ ATTR_SD /
    Σ ATTR_TOT, or / Σ population); a territory made of several whole départements has its
    départements drawn too, the group LDA its disjoint territories, and an EPCI or commune keeps its
    own change fixed. `methode` says it in one French sentence per row; `marts.evaluation_methode`
    holds the full note and its limits (selection of the territories, concurrent policies, small
    numbers).

    Source: `marts.indicateurs` (ATTR_SD, ATTR_TOT), `reference.territoires`, `reference.perimetres`,
    `reference.perimetres_departements`, `reference.communes`. SQL: `sql/evaluation/evaluation_*.sql`;
    computation: `assets/evaluation/bootstrap.py`.
    """
    parametres = Parametres(config.n_bootstrap, config.graine, config.annee_reference_groupe)
    with warehouse.connect() as conn:
        resultat = write_evaluation(conn, parametres)
        metadata = table_metadata(conn, "marts.evaluation_lda",
                                  "territoire_type, territoire_code, indicateur, periode")
    groupe = resultat.filter((pl.col("territoire_code") == "LDA") & (pl.col("indicateur") == "TX_ATTR_SD"))
    return dg.MaterializeResult(metadata={
        **metadata,
        "territoires": dg.MetadataValue.int(resultat.select("territoire_type", "territoire_code").n_unique()),
        "n_bootstrap": dg.MetadataValue.int(parametres.n_bootstrap),
        "graine": dg.MetadataValue.int(parametres.graine),
        "groupe_lda_tx_attr_sd": dg.MetadataValue.md(markdown_table(
            groupe.select("periode", "valeur_reference", "valeur", "evolution_territoire", "evolution_reste_france",
                          "did", "ic_bas", "ic_haut"), 20)),
    })


@dg.asset(key=METHODE_KEY, group_name=GROUP, kinds=KINDS)
def evaluation_methode(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row (`texte`): the method note of `marts.evaluation_lda`, in French, for the national page
    and the annual report — what the difference in differences and its bootstrap interval are, and
    why they are descriptive, not causal (selection of the territories, concurrent policies, the
    rest of France also under the national plan, small numbers, choice of the reference year).

    Source: `assets/evaluation/bootstrap.py` (`METHODE`).
    """
    with warehouse.connect() as conn:
        ensure_schema(conn)
        conn.execute("create or replace table marts.evaluation_methode (texte varchar)").fetchall()
        conn.execute("insert into marts.evaluation_methode values ($texte)", {"texte": METHODE}).fetchall()
    return dg.MaterializeResult(metadata={
        "dagster/row_count": dg.MetadataValue.int(1),
        "preview": dg.MetadataValue.md(METHODE),
    })


ASSETS = [comparaison_barometre, series_publiees, evaluation_lda, evaluation_methode]
