"""The layer `publication` materialised in process on a hand-made warehouse: the asset writes
publication.indicateurs, every check runs and passes, publication.qualite_controles is kept."""

from __future__ import annotations

import dagster as dg
import duckdb

from assets.publication import ASSETS, JOBS, SCHEDULES, SENSORS
from assets.publication.assets import ASSETS as INDICATEURS_ASSETS
from assets.publication.checks import CHECKS as INDICATEURS_CHECKS
from assets.publication.qualite import CHECK_SPECS
from pipelines.resources import WarehouseResource
from tests.publication.conftest import FR, HORS_LDA, LDA, dep, reg, row

ROWS = [
    row("ATTR_TOT", dep("A"), valeur=3),
    row("ATTR_TOT", dep("B"), valeur=0),
    row("ATTR_TOT", dep("C"), valeur=25),
    row("ATTR_TOT", dep("D"), valeur=40),
    row("ATTR_TOT", dep("E"), valeur=50),
    row("ATTR_TOT", reg("R1"), valeur=68),
    row("ATTR_TOT", reg("R2"), valeur=50),
    row("ATTR_TOT", FR, valeur=118),
    row("ATTR_TOT", LDA, valeur=18),
    row("ATTR_TOT", HORS_LDA, valeur=100),
]
# TX_ATTR_SD on the same grid: A is secret (denominator 3), B absent (no attribution),
# C secret too (secondary suppression in R1: the smallest other numerator, 12; it is also the
# rate of a secret ATTR_TOT).
for territoire, numerateur, denominateur in [
    (dep("A"), 0, 3), (dep("C"), 12, 25), (dep("D"), 20, 40), (dep("E"), 20, 50),
    (reg("R1"), 32, 68), (reg("R2"), 20, 50), (FR, 52, 118), (LDA, 12, 18), (HORS_LDA, 40, 100),
]:
    ROWS.append(row("TX_ATTR_SD", territoire, valeur=100 * numerateur / denominateur,
                    numerateur=numerateur, denominateur=denominateur))
ROWS.append(row("TX_ATTR_SD", dep("B"), statut="absent"))


def materialise(tmp_path, rows=ROWS):
    database = tmp_path / "w.duckdb"
    from tests.publication.conftest import make_warehouse

    make_warehouse(database, rows)
    result = dg.materialize(INDICATEURS_ASSETS + INDICATEURS_CHECKS, resources={"warehouse": WarehouseResource(database=str(database))})
    return result, database


def test_layer_exports():
    assert [a.key.to_user_string() for a in ASSETS] == ["publication/indicateurs", "publication/parcours_siao"]
    assert SENSORS == [] and SCHEDULES == [] and JOBS == []
    defs = dg.Definitions(assets=ASSETS, asset_checks=INDICATEURS_CHECKS, resources={"warehouse": WarehouseResource(database=":memory:")})
    assert defs.resolve_asset_graph() is not None
    spec = ASSETS[0].specs_by_key[dg.AssetKey(["publication", "indicateurs"])]
    assert spec.group_name == "publication"
    assert dg.AssetKey(["marts", "indicateurs"]) in {d.asset_key for d in spec.deps}


def test_materialise_and_check(tmp_path):
    result, database = materialise(tmp_path)
    assert result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    expected = {
        "aucun_petit_effectif_publie",
        "secret_sans_valeur",
        "aucun_total_a_un_seul_secret",
        "liens_secrets_coherents",
    } | set(CHECK_SPECS)
    assert set(evaluations) == expected
    assert all(e.passed for e in evaluations.values()), {n: e.metadata for n, e in evaluations.items() if not e.passed}
    with duckdb.connect(str(database), read_only=True) as conn:
        secret = conn.sql(
            "select indicateur, territoire_code from publication.indicateurs where statut = 'secret' order by 1, 2"
        ).fetchall()
        kept = conn.sql("select count(*), count(distinct suite) from publication.qualite_controles").fetchall()
    assert secret == [("ATTR_TOT", "A"), ("ATTR_TOT", "C"), ("TX_ATTR_SD", "A"), ("TX_ATTR_SD", "C")]
    assert kept[0][0] > 0 and kept[0][1] == 2
    materialisation = result.asset_materializations_for_node("publication__indicateurs")[0]
    assert materialisation.metadata["secret_primaire"].value == 2
    assert materialisation.metadata["secret_secondaire"].value == 2


def test_checks_fail_on_a_leaky_table(tmp_path):
    """The disclosure checks re-read the published table: tampered, they fail and list the rows."""
    _, database = materialise(tmp_path)
    with duckdb.connect(str(database)) as conn:
        conn.execute(
            "update publication.indicateurs set statut = 'ok', valeur = 25, numerateur = 25 "
            "where indicateur = 'ATTR_TOT' and territoire_code = 'C'"
        ).fetchall()
        conn.execute(
            "update publication.indicateurs set valeur = 3 where indicateur = 'TX_ATTR_SD' and territoire_code = 'A'"
        ).fetchall()
    checks = [c for c in INDICATEURS_CHECKS if c.check_specs and next(iter(c.check_specs)).name != "gx_valeurs_positives"]
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        checks,
        resources={"warehouse": WarehouseResource(database=str(database))},
        selection=dg.AssetSelection.checks(*checks),
        instance=instance,
        raise_on_error=False,
    )
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert not evaluations["aucun_total_a_un_seul_secret"].passed
    assert "R1" in evaluations["aucun_total_a_un_seul_secret"].metadata["details"].value
    assert not evaluations["secret_sans_valeur"].passed
    assert evaluations["aucun_petit_effectif_publie"].passed
