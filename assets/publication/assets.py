"""Assets of the layer `publication`: the disclosure-controlled tables of the DuckDB schema
`publication` (what the app, the report, the exports and the researchers' file may show).
The internal marts keep exact values; only `publication.*` is suppressed.
"""


import dagster as dg
import duckdb
import polars as pl

from assets.publication.secret import CATALOGUE_PATH, CONFIG_PATH, SecretConfig, publish
from pipelines.resources import WarehouseResource

SCHEMA = "publication"
GROUP = "publication"
KINDS = {"duckdb"}
MARTS_INDICATEURS = dg.AssetKey(["marts", "indicateurs"])
PREVIEW_ROWS = 10


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


class SecretStatistiqueConfig(dg.Config):
    """Where the disclosure rules and the indicator catalogue are read from."""

    regles: str = str(CONFIG_PATH)
    catalogue: str = str(CATALOGUE_PATH)


def statut_counts(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return conn.sql(
        "select statut, count(*) as lignes from publication.indicateurs group by statut order by statut"
    ).pl()


@dg.asset(key_prefix=SCHEMA, group_name=GROUP, kinds=KINDS, deps=[MARTS_INDICATEURS])
def indicateurs(config: SecretStatistiqueConfig, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per (indicator, territory, period) of `marts.indicateurs`, same columns, with the
    disclosure control (*secret statistique*) of `data/config/secret_statistique.yaml` applied:
    a suppressed row has `statut = 'secret'` and null `valeur`, `numerateur`, `denominateur` (and
    `part_non_localisable`). Threshold `seuil` (11): effectifs of 1 to seuil − 1 are suppressed.

    - Primary, by the catalogue's `type` (`data/config/indicateurs.csv`): *count* secret when its
      numerator (= the value; for `ATTR_SD_PERS` = `ATTR_SD`, the households) is in 1..seuil−1,
      0 is published; *rate* secret when the numerator is in 1..seuil−1 or the denominator is
      below seuil (0 over ≥ seuil cases is published), except that the denominator rule does not
      apply to rates over a population of inhabitants (`NDLS_TAUX`, `TX_EQUIP_LA`); *median*
      secret on fewer than seuil cases (`numerateur`); *ratio* (`PRESSION_SD`: demands / ATTR_SD,
      `NDLS_EVOL_PC`: constant-perimeter persons N / previous) follows the rate rule, both terms
      being counts of records. An `ok` row missing the count its rule needs is secret.
    - Linked (same territory and period): `ATTR_SD_PERS` has the status of `ATTR_SD` (both ways);
      a rate or ratio is secret when a count it publishes or lets recompute is secret
      (`composantes`: TX_ATTR_SD ← ATTR_SD, ATTR_TOT; PRESSION_SD ← ATTR_SD; TX_SORTIES_LOG ←
      SORTIES_LOG; NDLS_TAUX ← NDLS_PERS; TX_EQUIP_LA ← PLACES_PF, PLACES_IML); territories with
      the same communes (`reference.perimetres`: a région of one département, a Logement d'abord
      territory equal to a département) and a total equal to its only non-zero part share the status.
    - Secondary, for every type (a rate publishes its numerator and denominator, a median its
      number of cases): in the hierarchies région = Σ départements, France = Σ régions,
      France = LDA + HORS_LDA (same indicator and period) and year = Σ months (same territory),
      a published total with exactly one secret part gets a second part suppressed: the smallest
      non-zero published one (ties by period, then code), or the total itself when there is none.
    - Linked and secondary rounds repeat until nothing changes (a suppression can create a new
      single-suppressed total at another level).
    - Then the audit-driven suppression (`protection.py`): the audit of `observatoire audit` (linear
      programming over every published relation) on the table to publish; a cell it pins (or
      narrows, or an implicit remainder of 1..seuil−1) gets one more cell suppressed, the rounds run
      again, until the audit of the touched components finds nothing. Source: `marts.indicateurs`.
    """
    regles = SecretConfig.load(config.regles)
    with warehouse.connect() as conn:
        report = publish(conn, regles, config.catalogue)
        counts = statut_counts(conn)
        preview = conn.sql(
            "select * from publication.indicateurs where statut = 'secret' limit $n", params={"n": PREVIEW_ROWS}
        ).pl()
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(int(report.rows)),
            "seuil": dg.MetadataValue.int(regles.seuil),
            "secret_primaire": dg.MetadataValue.int(int(report.primaire)),
            "secret_secondaire": dg.MetadataValue.int(int(report.secondaire)),
            "secret_lie": dg.MetadataValue.int(int(report.liens)),
            "tours": dg.MetadataValue.int(int(report.rounds)),
            "secret_audit": dg.MetadataValue.int(int(report.audit)),
            "audit_exposes_avant": dg.MetadataValue.int(int(report.audit_exposes)),
            "audit_tours": dg.MetadataValue.int(int(report.audit_tours)),
            "audit_duree_s": dg.MetadataValue.float(round(report.audit_secondes, 1)),
            "audit_composantes_infaisables": dg.MetadataValue.int(int(report.audit_infaisables)),
            "statuts": dg.MetadataValue.md(markdown_table(counts, 10)),
            "preview_secret": dg.MetadataValue.md(markdown_table(preview)),
        }
    )


ASSETS = [indicateurs]
