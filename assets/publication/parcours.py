"""The SIAO pathway for the Sankey diagram of the app and the report: `publication.parcours_siao`,
`marts.parcours_siao` under the same disclosure control as the indicators.

Every cell (step, origin, destination) of a territory and year is a count; `secret.suppress` runs
on them unchanged (primary 1..seuil−1, equivalent territories, région = Σ départements, France =
Σ régions = LDA + HORS_LDA, LDA = Σ its territories), with the pathway's own totals added
(`sql/publication/parcours_relations.sql`: each origin's and destination's total, the grand total,
the same orientation total in both steps). The grand total of a year is DEM_URG + DEM_INS: it is
made secret wherever one of them is secret in `publication.indicateurs`, so that the published
indicators and the pathway never let a suppressed count be recomputed from each other.
"""


import csv
import tempfile
from pathlib import Path

import dagster as dg
import duckdb

from assets.publication.assets import GROUP, KINDS, SecretStatistiqueConfig, markdown_table
from assets.publication.secret import SecretConfig, SecretReport, read_sql, run_sql, suppress
from pipelines.resources import WarehouseResource

MARTS_PARCOURS = dg.AssetKey(["marts", "parcours_siao"])
PUBLICATION_INDICATEURS = dg.AssetKey(["publication", "indicateurs"])

FORCE_SECRET_TOTAL = """
update pub_etat set secret = true, motif = 'lien DEM_URG / DEM_INS'
where not secret
  and indicateur like 'PARCOURS|%|Ensemble|Ensemble'
  and exists (
      select 1 from publication.indicateurs as i
      where i.territoire_type = pub_etat.territoire_type
        and i.territoire_code = pub_etat.territoire_code
        and i.periode = pub_etat.periode
        and i.indicateur in ('DEM_URG', 'DEM_INS')
        and i.statut = 'secret'
  )
"""


def _pathway_relations(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(read_sql("parcours_relations")).fetchall()
    if conn.sql("select count(*) from information_schema.tables where table_schema = 'publication' "
                "and table_name = 'indicateurs'").fetchall()[0][0]:
        conn.execute(FORCE_SECRET_TOTAL).fetchall()


def publish_parcours(conn: duckdb.DuckDBPyConnection, config: SecretConfig) -> SecretReport:
    """Write publication.parcours_siao from marts.parcours_siao under the disclosure rules."""
    run_sql(conn, "parcours_cellules")
    codes = [row[0] for row in conn.sql("select distinct indicateur from pub_parcours_source order by 1").fetchall()]
    with tempfile.TemporaryDirectory() as folder:
        catalogue = Path(folder) / "catalogue_parcours.csv"
        with catalogue.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "type", "unite"])
            writer.writerows([code, "count", "demandes"] for code in codes)
        report = suppress(conn, config, catalogue, source="pub_parcours_source", extra=_pathway_relations)
    conn.execute("create schema if not exists publication").fetchall()
    run_sql(conn, "parcours_siao")
    conn.execute(
        "comment on table publication.parcours_siao is 'Parcours des demandes SIAO de l''année (situation à la "
        "demande → orientation → sortie), par territoire, sous secret statistique'"
    ).fetchall()
    return report


@dg.asset(key=["publication", "parcours_siao"], group_name=GROUP, kinds=KINDS,
          deps=[MARTS_PARCOURS, PUBLICATION_INDICATEURS])
def parcours_siao(config: SecretStatistiqueConfig, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One row per (territory, year, step, origin, destination) of `marts.parcours_siao` — the SIAO
    requests of the year from their situation at the request to their orientation
    (`situation_orientation`) and from their orientation to their exit (`orientation_sortie`), with
    the margins `Ensemble` — with the disclosure control of the indicators: a secret cell has
    `statut = 'secret'` and a null `n`. The grand total (the year's requests) is secret wherever
    DEM_URG or DEM_INS is secret in `publication.indicateurs`."""
    regles = SecretConfig.load(config.regles)
    with warehouse.connect() as conn:
        report = publish_parcours(conn, regles)
        counts = conn.sql(
            "select statut, count(*) as lignes from publication.parcours_siao group by statut order by statut"
        ).pl()
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(int(report.rows)),
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
        }
    )


@dg.asset_check(asset=parcours_siao, blocking=True, description=(
    "Aucune case publiée du parcours SIAO entre 1 et seuil − 1 ; aucune valeur sur une case secrète."))
def parcours_siao_petits_effectifs(config: SecretStatistiqueConfig, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    regles = SecretConfig.load(config.regles)
    with warehouse.connect() as conn:
        fautes = conn.sql(
            "select * from publication.parcours_siao where (statut = 'ok' and n between 1 and $s - 1) "
            "or (statut = 'secret' and n is not null)",
            params={"s": regles.seuil},
        ).pl()
    return dg.AssetCheckResult(
        passed=fautes.is_empty(),
        metadata={"lignes_en_defaut": dg.MetadataValue.int(fautes.height),
                  "exemples": dg.MetadataValue.md(markdown_table(fautes, 20))},
    )
