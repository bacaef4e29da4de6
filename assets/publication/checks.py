"""Asset checks of `publication/indicateurs`.

- Disclosure (blocking): no published row that the primary rule would suppress, no value on a
  secret row, no published total with exactly one secret part, no published row linked to a
  secret one. Each runs one query of `sql/publication/check_*.sql` returning the offending rows.
- Great Expectations suites (`qualite.py`), one Dagster check per property, blocking where a
  failure would publish a wrong number (ranges, codes, duplicates), non-blocking for completeness
  and for `publication.territoires`; each result is written to `publication.qualite_controles`
  and returned as metadata (Markdown of the failing examples).
"""


from collections.abc import Iterator

import dagster as dg
import duckdb

from assets.publication.assets import indicateurs, markdown_table
from assets.publication.qualite import CHECK_SPECS, run_suites
from assets.publication.secret import (
    CATALOGUE_PATH,
    CONFIG_PATH,
    SecretConfig,
    build_relations,
    load_links,
    read_sql,
    run_sql,
)
from pipelines.resources import WarehouseResource

MAX_LISTED = 50


def prepare(conn: duckdb.DuckDBPyConnection, config: SecretConfig) -> None:
    """pub_publie, pub_relations and the configured links, over publication.indicateurs."""
    run_sql(conn, "publie", {"catalogue": str(CATALOGUE_PATH)})
    conn.execute("create or replace temp view pub_cible as select * from pub_publie").fetchall()
    load_links(conn, config)  # before the relations: they read pub_identites
    build_relations(conn, config)


def offending_rows_result(
    conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, object] | None = None
) -> dg.AssetCheckResult:
    frame = conn.sql(read_sql(name), params=params or {}).pl()
    metadata: dict[str, dg.MetadataValue] = {"offending_rows": dg.MetadataValue.int(frame.height)}
    if frame.height:
        metadata["details"] = dg.MetadataValue.md(markdown_table(frame, MAX_LISTED))
    return dg.AssetCheckResult(passed=frame.height == 0, metadata=metadata)


def disclosure_check(warehouse: WarehouseResource, name: str, with_seuil: bool = False) -> dg.AssetCheckResult:
    config = SecretConfig.load(CONFIG_PATH)
    params: dict[str, object] = {}
    if with_seuil:
        params = {"seuil": config.seuil, "denominateur_population": list(config.denominateur_population)}
    with warehouse.connect() as conn:
        prepare(conn, config)
        return offending_rows_result(conn, name, params)


@dg.asset_check(asset=indicateurs, blocking=True)
def aucun_petit_effectif_publie(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """No published row that the primary rule suppresses: no count in 1..seuil−1 (counts: valeur;
    rates and ratios: numerateur, and denominator ≥ seuil), no median on fewer than seuil cases."""
    return disclosure_check(warehouse, "check_petits_effectifs", with_seuil=True)


@dg.asset_check(asset=indicateurs, blocking=True)
def secret_sans_valeur(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every secret row has null valeur, numerateur and denominateur."""
    return disclosure_check(warehouse, "check_secret_sans_valeur")


@dg.asset_check(asset=indicateurs, blocking=True)
def aucun_total_a_un_seul_secret(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """No published total (région = Σ départements, France = Σ régions, France = LDA + HORS_LDA,
    year = Σ months) has exactly one secret part (re-checked on the published table)."""
    return disclosure_check(warehouse, "check_totaux_un_seul_secret")


@dg.asset_check(asset=indicateurs, blocking=True)
def liens_secrets_coherents(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """No published row linked to a secret one of the same territory and period (ATTR_SD_PERS ↔
    ATTR_SD, a rate of a secret count)."""
    return disclosure_check(warehouse, "check_liens")


GX_SPECS = [
    dg.AssetCheckSpec(name=name, asset=indicateurs, blocking=blocking, description=description)
    for name, (blocking, description) in CHECK_SPECS.items()
]


@dg.multi_asset_check(specs=GX_SPECS, can_subset=False)
def suites_great_expectations(warehouse: WarehouseResource) -> Iterator[dg.AssetCheckResult]:
    """The Great Expectations suites on the published tables (pandas batches of DuckDB tables);
    results kept in publication.qualite_controles."""
    with warehouse.connect() as conn:
        validation = run_suites(conn)
    grouped = validation.by_check()
    for name in CHECK_SPECS:
        resultats = grouped.get(name, [])
        failing = [r for r in resultats if not r.success]
        metadata: dict[str, dg.MetadataValue] = {
            "expectations": dg.MetadataValue.md(
                "\n".join(
                    f"- {'✅' if r.success else '❌'} {r.expectation} ({r.table_name}) {r.observed}" for r in resultats
                )
                or "(aucune)"
            ),
            "duree_validation_s": dg.MetadataValue.float(round(validation.seconds, 3)),
            "lignes": dg.MetadataValue.int(validation.rows),
        }
        if failing:
            metadata["details"] = dg.MetadataValue.md(
                "\n\n".join(f"**{r.expectation}** — {r.observed}\n\n{r.details}" for r in failing)
            )
        yield dg.AssetCheckResult(
            asset_key=indicateurs.key,
            check_name=name,
            passed=not failing,
            metadata=metadata,
        )


CHECKS = [
    aucun_petit_effectif_publie,
    secret_sans_valeur,
    aucun_total_a_un_seul_secret,
    liens_secrets_coherents,
    suites_great_expectations,
]
