"""Assets of the layer `reference`: public reference data (COG 2026) and configuration tables
loaded into the DuckDB schema `reference`.

Every asset runs one SQL file of `sql/reference/` (`create or replace table reference.<name>`),
reading the files of `data/reference/` and `data/config/` with DuckDB (codes are always read as
text, so "01" and "2A" keep their form) and the tables upstream of it.
"""

import os
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
from pydantic import Field

from pipelines.config import CONFIG_DIR, REFERENCE_DIR, SQL_DIR
from pipelines.resources import WarehouseResource

SCHEMA = "reference"
GROUP = "reference"
KINDS = {"duckdb"}
SQL_FOLDER = SQL_DIR / "reference"
COG_DIR = REFERENCE_DIR / "cog"

#: Environment variable that overrides the path of the Logement d'abord territories list.
TERRITOIRES_LDA_ENV = "OBSERVATOIRE_TERRITOIRES_LDA"
TERRITOIRES_LDA_DEFAULT = CONFIG_DIR / "territoires_lda.csv"

PREVIEW_ROWS = 10


def run_sql(conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, str] | None = None) -> None:
    """Run `sql/reference/<name>.sql` with its `$name` parameters, fetching the result whole."""
    sql = (SQL_FOLDER / f"{name}.sql").read_text(encoding="utf-8")
    if params:
        conn.execute(sql, params).fetchall()
    else:
        conn.execute(sql).fetchall()


def markdown_table(frame: pl.DataFrame, rows: int = PREVIEW_ROWS) -> str:
    """A polars frame (its first `rows` rows) as a Markdown table."""
    with pl.Config(
        tbl_formatting="MARKDOWN",
        tbl_hide_column_data_types=True,
        tbl_hide_dataframe_shape=True,
        tbl_rows=rows,
        tbl_cols=-1,
        tbl_width_chars=60_000,
        fmt_str_lengths=80,
    ):
        return str(frame.head(rows))


def markdown_preview(conn: duckdb.DuckDBPyConnection, table: str, rows: int = PREVIEW_ROWS) -> str:
    """The first rows of `reference.<table>` as a Markdown table."""
    return markdown_table(conn.table(f"{SCHEMA}.{table}").limit(rows).pl(), rows)


def materialize_result(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    asset_key: dg.AssetKey | None = None,
    extra: dict[str, dg.MetadataValue] | None = None,
) -> dg.MaterializeResult:
    """Row count and Markdown preview of `reference.<table>` (plus `extra` metadata)."""
    row_count = conn.table(f"{SCHEMA}.{table}").aggregate("count(*)").fetchall()[0][0]
    return dg.MaterializeResult(
        asset_key=asset_key,
        metadata={
            "dagster/row_count": dg.MetadataValue.int(int(row_count)),
            "preview": dg.MetadataValue.md(markdown_preview(conn, table)),
            **(extra or {}),
        },
    )


def build_table(
    warehouse: WarehouseResource, table: str, params: dict[str, str] | None = None
) -> dg.MaterializeResult:
    """Create the schema if needed, run `sql/reference/<table>.sql` and describe the table."""
    with warehouse.connect() as conn:
        conn.execute(f"create schema if not exists {SCHEMA}").fetchall()
        run_sql(conn, table, params)
        return materialize_result(conn, table)


@dg.asset(key_prefix=SCHEMA, group_name=GROUP, kinds=KINDS)
def communes(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per commune-actuelle of the COG 2026 (34 969, the COM included): code, name,
    département, région, zone, population and EPCI (SIREN and name).

    Source: `data/reference/cog/commune_epci_2026.csv` (flattened from @etalab/decoupage-administratif
    6.0.0, see its SOURCE.md). `population` = `population_communes_json` (INSEE populations légales
    as in communes.json), the single population vintage every indicator uses.
    """
    return build_table(warehouse, "communes", {"path": str(COG_DIR / "commune_epci_2026.csv")})


@dg.asset(key_prefix=SCHEMA, group_name=GROUP, kinds=KINDS)
def arrondissements(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per municipal arrondissement of Paris, Lyon and Marseille (45) with the code of the
    commune it belongs to (75056, 69123, 13055), so that records coded by arrondissement are
    placed in their commune.

    Source: `data/config/arrondissements.csv`.
    """
    return build_table(warehouse, "arrondissements", {"path": str(CONFIG_DIR / "arrondissements.csv")})


@dg.asset(key_prefix=SCHEMA, group_name=GROUP, kinds=KINDS, deps=[communes])
def epci(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per EPCI à fiscalité propre of 2026 (1 255): SIREN, name, type (CC, CA, CU, METRO,
    MET69), and the population and number of its member communes in `reference.communes`
    (same population vintage as the communes).

    Source: `data/reference/cog/epci_2026.csv` (DGCL composition of the EPCI 2026 via
    @etalab/decoupage-administratif 6.0.0) + `reference.communes`.
    """
    return build_table(warehouse, "epci", {"path": str(COG_DIR / "epci_2026.csv")})


@dg.asset(key_prefix=SCHEMA, group_name=GROUP, kinds=KINDS, deps=[communes])
def departements(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per département of France: the 101 metropolitan and overseas départements (01…95,
    2A, 2B, 971…974, 976; the COM 975, 977… are not France for the observatory), with its
    région and the population of its communes.

    Source: `data/reference/cog/departements.json` and `regions.json` (COG 2026,
    @etalab/decoupage-administratif 6.0.0) + `reference.communes`.
    """
    return build_table(
        warehouse,
        "departements",
        {"departements": str(COG_DIR / "departements.json"), "regions": str(COG_DIR / "regions.json")},
    )


@dg.asset(key_prefix=SCHEMA, group_name=GROUP, kinds=KINDS, deps=[departements])
def regions(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per région of France: 18 (13 metropolitan, 5 overseas coded 01, 02, 03, 04, 06;
    the COM excluded), with the population of its départements.

    Source: `data/reference/cog/regions.json` (COG 2026) + `reference.departements`.
    """
    return build_table(warehouse, "regions", {"path": str(COG_DIR / "regions.json")})


class TerritoiresLdaConfig(dg.Config):
    """Where the list of Logement d'abord territories is read from."""

    path: str | None = Field(
        default=None,
        description=(
            "CSV of the Logement d'abord territories (columns ami, territoire_libelle, nature, "
            f"perimetre, region, departement, source_url). Unset: the environment variable "
            f"{TERRITOIRES_LDA_ENV}, else data/config/territoires_lda.csv."
        ),
    )

    def resolved_path(self) -> Path:
        return Path(self.path or os.environ.get(TERRITOIRES_LDA_ENV) or TERRITOIRES_LDA_DEFAULT)


PERIMETRES_LDA_KEY = dg.AssetKey([SCHEMA, "perimetres_lda"])
TERRITOIRES_LDA_KEY = dg.AssetKey([SCHEMA, "territoires_lda"])


@dg.multi_asset(
    name="territoires_lda",
    group_name=GROUP,
    specs=[
        dg.AssetSpec(
            PERIMETRES_LDA_KEY,
            deps=[communes, departements],
            kinds=KINDS,
            description=(
                "One row per (Logement d'abord territory, perimeter component, commune of France): "
                "`epci:<SIREN>` → the EPCI's member communes, `departement:<code>` → all communes of "
                "the département, `commune:<INSEE>` → the commune itself. A component matching no "
                "commune has no row. Source: the list of territories (data/config/territoires_lda.csv, "
                f"or the path set in the config / {TERRITOIRES_LDA_ENV}) + reference.communes."
            ),
        ),
        dg.AssetSpec(
            TERRITOIRES_LDA_KEY,
            deps=[PERIMETRES_LDA_KEY, communes],
            kinds=KINDS,
            description=(
                "One row per Logement d'abord territory of the user-editable list: code "
                "LDA-<ami>-<code> (<code> = first EPCI SIREN of the perimeter, else the département, "
                "else the commune), call year, reference year (ami − 1), name, nature, perimeter, "
                "number of communes and population of the perimeter. Source: "
                f"data/config/territoires_lda.csv (or the config path / {TERRITOIRES_LDA_ENV})."
            ),
        ),
    ],
)
def territoires_lda(config: TerritoiresLdaConfig, warehouse: WarehouseResource):
    """Reads the list of Logement d'abord territories (data/config/territoires_lda.csv by default;
    the op config `path` or the environment variable OBSERVATOIRE_TERRITOIRES_LDA override it),
    resolves each perimeter into communes (`reference.perimetres_lda`) and writes one row per
    territory (`reference.territoires_lda`)."""
    path = config.resolved_path()
    if not path.is_file():
        raise dg.Failure(f"Liste des territoires Logement d'abord introuvable : {path}")
    with warehouse.connect() as conn:
        conn.execute(f"create schema if not exists {SCHEMA}").fetchall()
        run_sql(conn, "stg_territoires_lda", {"path": str(path)})
        run_sql(conn, "perimetres_lda")
        run_sql(conn, "territoires_lda")
        source = {"source": dg.MetadataValue.path(str(path))}
        yield materialize_result(conn, "perimetres_lda", PERIMETRES_LDA_KEY, source)
        yield materialize_result(conn, "territoires_lda", TERRITOIRES_LDA_KEY, source)


@dg.asset(key_prefix=SCHEMA, group_name=GROUP, kinds=KINDS, deps=[communes, departements, PERIMETRES_LDA_KEY])
def perimetres(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per (territory, member commune) for every territory of `reference.territoires`:
    département, région, France (FR), Logement d'abord territory, groups LDA (union of the
    Logement d'abord perimeters) and HORS_LDA (every other commune of France), and the EPCI (code
    = SIREN, its member communes). Only communes of the 101 départements appear (COM excluded).
    Every indicator assigns its records to territories by joining on `code_commune`.

    Source: `reference.communes`, `reference.departements`, `reference.perimetres_lda`.
    """
    return build_table(warehouse, "perimetres")


@dg.asset(key_prefix=SCHEMA, group_name=GROUP, kinds=KINDS, deps=[perimetres, communes, departements])
def perimetres_departements(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per (territory, département it contains whole: every commune of the département
    is in the territory's perimeter). Records that carry only a département code are assigned
    through this table (a département to itself, a région to its départements, FR to the 101,
    LDA-2018-93 to 93, HORS_LDA to the départements without any Logement d'abord commune…).

    Source: `reference.perimetres`, `reference.communes`, `reference.departements`.
    """
    return build_table(warehouse, "perimetres_departements")


@dg.asset(key_prefix=SCHEMA, group_name=GROUP, kinds=KINDS, deps=[perimetres, communes])
def populations(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per territory of `reference.perimetres`: its population, the sum of its communes'
    population (COG 2026 `population_communes_json`, one vintage for every year).

    Source: `reference.perimetres`, `reference.communes`.
    """
    return build_table(warehouse, "populations")


@dg.asset(
    key_prefix=SCHEMA,
    group_name=GROUP,
    kinds=KINDS,
    deps=[departements, regions, TERRITOIRES_LDA_KEY, populations, epci, perimetres],
)
def territoires(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per published territory: the 101 départements, the 18 régions, France (`FR`), the
    Logement d'abord territories (`LDA-<ami>-<code>`) and the groups `LDA` (Territoires Logement
    d'abord) and `HORS_LDA` (Reste de la France), and the EPCI (`epci`, code = SIREN, label from
    the COG), with its population; `ami`, `nature` and `annee_reference` are set for Logement
    d'abord territories only.

    Source: `reference.departements`, `reference.regions`, `reference.territoires_lda`,
    `reference.epci`, `reference.populations`.
    """
    return build_table(warehouse, "territoires")


@dg.asset(key_prefix=SCHEMA, group_name=GROUP, kinds=KINDS)
def situations_logement(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per housing situation of a source (`sne`, `siao`) with its "sans domicile" flag
    and its category; the indicators select the "ménages sans domicile" through this table.

    Source: `data/config/situations_logement.csv`.
    """
    return build_table(warehouse, "situations_logement", {"path": str(CONFIG_DIR / "situations_logement.csv")})


@dg.asset(key_prefix=SCHEMA, group_name=GROUP, kinds=KINDS)
def categories(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per (category list, value), with a code where the list maps values to codes: the
    SIAO orientations and exit destinations towards housing, the offer's place types of PLACES_PF,
    PLACES_IML and PLACES_HEB, the SNE réservataires. The indicators' SQL selects through this table
    instead of spelling the values.

    Source: `data/config/categories.csv`.
    """
    return build_table(warehouse, "categories", {"path": str(CONFIG_DIR / "categories.csv")})


ASSETS = [
    communes,
    arrondissements,
    epci,
    departements,
    regions,
    territoires_lda,
    perimetres,
    perimetres_departements,
    populations,
    territoires,
    situations_logement,
    categories,
]
