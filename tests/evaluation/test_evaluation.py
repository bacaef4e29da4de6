"""The evaluation (section F) on the hand-made warehouse of conftest.py, whose right answers are
computed by hand there: the difference in differences, its bootstrap interval (degenerate when every
control département moves the same way, the extremes of the treated départements' draws when they
are resampled), the resampling units, determinism and the completeness check."""

from __future__ import annotations

import dagster as dg
import duckdb
import polars as pl
import pytest

from assets.evaluation import ASSETS, CHECKS
from assets.evaluation.assets import EVALUATION_KEY, query, write_evaluation
from assets.evaluation.bootstrap import SCHEMA, Parametres, evaluer
from assets.evaluation.checks import evaluation_complete
from pipelines.resources import WarehouseResource
from tests.evaluation.conftest import COMPTES, INDICATEURS_COLUMNS, C, E, J, indicateurs_rows, write_frame


def evaluation(path, parametres=Parametres(n_bootstrap=999, graine=1)) -> dict:
    with duckdb.connect(str(path)) as conn:
        frame = write_evaluation(conn, parametres)
    return {(r["indicateur"], r["territoire_code"], r["periode"]): r for r in frame.iter_rows(named=True)}


def test_did_computed_by_hand_and_degenerate_interval(database):
    rows = evaluation(database)
    e = rows[("TX_ATTR_SD", E, "2018")]
    # E: 5 % → 8 %; rest of France 4 % → 5 %: DiD = 3 − 1 = 2
    assert e["valeur_reference"] == pytest.approx(5.0)
    assert e["valeur"] == pytest.approx(8.0)
    assert e["evolution_territoire"] == pytest.approx(3.0)
    assert e["evolution_reste_france"] == pytest.approx(1.0)
    assert e["did"] == pytest.approx(2.0)
    # every control département moves 4 % → 5 % and E (an EPCI) is kept fixed: no variability
    assert e["ic_bas"] == e["ic_haut"]
    assert e["ic_bas"] == pytest.approx(2.0)
    assert e["n_departements_controle"] == 3
    assert e["annee_reference"] == 2017
    assert "non causale" in e["methode"] and "tenue fixe" in e["methode"]


def test_per_100k_inhabitants(database):
    e = evaluation(database)[("ATTR_SD_100K", E, "2018")]
    # E: 5 → 8 attributions for 10 000 inhabitants = 50 → 80 per 100 000; rest of France 28 → 35 for
    # 70 000 = 40 → 50; DiD = 30 − 10 = 20, every control département also +10 → degenerate
    assert (e["valeur_reference"], e["valeur"]) == (pytest.approx(50.0), pytest.approx(80.0))
    assert e["evolution_reste_france"] == pytest.approx(10.0)
    assert e["did"] == pytest.approx(20.0)
    assert e["ic_bas"] == e["ic_haut"] == pytest.approx(20.0)


def test_territory_of_whole_departements_resamples_them(database):
    j = evaluation(database)[("TX_ATTR_SD", J, "2018")]
    # J = 05 (10 % → 10 %) + 06 (10 % → 20 %) = 10 % → 15 %: DiD = 5 − 1 = 4. Drawing its two
    # départements with replacement gives a change of 0 (05 twice), 5 or 10 (06 twice), each extreme
    # with probability 1/4: the 2.5 and 97.5 percentiles are −1 and 9.
    assert j["did"] == pytest.approx(4.0)
    assert j["ic_bas"] == pytest.approx(-1.0)
    assert j["ic_haut"] == pytest.approx(9.0)
    assert "2 départements du territoire" in j["methode"]


def test_group_lda_reference_2017_and_resampled_territories(database):
    rows = evaluation(database)
    g = rows[("TX_ATTR_SD", "LDA", "2018")]
    assert g["annee_reference"] == 2017
    # LDA 25/300 → 38/300: +13/3 points; rest of France +1
    assert g["did"] == pytest.approx(13 / 3 - 1)
    assert g["ic_bas"] < g["did"] < g["ic_haut"]
    assert "2 territoires Logement d'abord disjoints" in g["methode"]
    assert "appel à manifestation d'intérêt de 2018" in g["methode"]
    # C (reference year 2020) has no later year in the data: no row
    assert not [k for k in rows if k[1] == C]


def test_resampling_units(database):
    with duckdb.connect(str(database)) as conn:
        unites = query(conn, "evaluation_unites").rows()
    assert sorted(unites) == sorted([
        ("groupe", "HORS_LDA", "departement", "01"),
        ("groupe", "HORS_LDA", "departement", "02"),
        ("groupe", "HORS_LDA", "departement", "03"),
        # C lies inside J: the group's disjoint units are E and J
        ("groupe", "LDA", "territoire_lda", E),
        ("groupe", "LDA", "territoire_lda", J),
        ("territoire_lda", J, "departement", "05"),
        ("territoire_lda", J, "departement", "06"),
    ])


def test_control_is_a_ratio_of_sums_not_a_mean_of_rates():
    # two control départements: 1/10 → 2/10 (+10 points) and 10/1000 → 10/1000 (0 points). A
    # replicate drawing each once has the ratio of sums 11/1010 → 12/1010, not a mean change of 5.
    series = pl.DataFrame([
        {"indicateur": "TX_ATTR_SD", "territoire_type": t, "territoire_code": c, "periode": p,
         "numerateur": n, "denominateur": d, "facteur": 100.0}
        for t, c, p, n, d in [
            ("departement", "01", "2017", 1.0, 10.0), ("departement", "01", "2018", 2.0, 10.0),
            ("departement", "02", "2017", 10.0, 1000.0), ("departement", "02", "2018", 10.0, 1000.0),
            ("groupe", "HORS_LDA", "2017", 11.0, 1010.0), ("groupe", "HORS_LDA", "2018", 12.0, 1010.0),
            ("territoire_lda", "T", "2017", 5.0, 100.0), ("territoire_lda", "T", "2018", 5.0, 100.0),
        ]
    ])
    territoires = pl.DataFrame({"territoire_type": ["territoire_lda"], "territoire_code": ["T"],
                                "territoire_libelle": ["T"], "annee_reference": [2017]})
    unites = pl.DataFrame({"territoire_type": ["groupe", "groupe"], "territoire_code": ["HORS_LDA", "HORS_LDA"],
                           "unite_type": ["departement", "departement"], "unite_code": ["01", "02"]})
    row = evaluer(series, territoires, unites, Parametres(n_bootstrap=4000, graine=3)).row(0, named=True)
    assert row["evolution_reste_france"] == pytest.approx(100 / 1010)
    # replicates: 02 twice → change 0; 01 twice → +10; one each → +100/1010. DiD = −change.
    assert row["ic_bas"] == pytest.approx(-10.0)
    assert row["ic_haut"] == pytest.approx(0.0)


def test_deterministic_and_configurable(database):
    a = evaluation(database, Parametres(n_bootstrap=199, graine=5))
    b = evaluation(database, Parametres(n_bootstrap=199, graine=5))
    assert a == b
    later = evaluation(database, Parametres(n_bootstrap=199, graine=5, annee_reference_groupe=2018))
    assert not [k for k in later if k[1] == "LDA"]  # no year after 2018 in the data


def test_missing_year_of_a_control_departement(tmp_path):
    comptes = {k: dict(v) for k, v in COMPTES.items()}
    del comptes[("departement", "03")]["2018"]
    path = tmp_path / "w.duckdb"
    from tests.evaluation.conftest import build_reference

    with duckdb.connect(str(path)) as conn:
        build_reference(conn)
        write_frame(conn, "marts.indicateurs", indicateurs_rows(comptes), INDICATEURS_COLUMNS)
    e = evaluation(path)[("TX_ATTR_SD", E, "2018")]
    assert e["n_departements_controle"] == 2
    assert e["ic_bas"] == e["ic_haut"] == pytest.approx(2.0)


def test_empty_series():
    empty = pl.DataFrame(schema={"indicateur": pl.String, "territoire_type": pl.String, "territoire_code": pl.String,
                                 "periode": pl.String, "numerateur": pl.Float64, "denominateur": pl.Float64,
                                 "facteur": pl.Float64})
    out = evaluer(empty, pl.DataFrame(), pl.DataFrame())
    assert out.is_empty() and out.schema == pl.Schema(SCHEMA)


def materialise(database):
    return dg.materialize(
        [a for a in ASSETS if EVALUATION_KEY in a.keys] + [evaluation_complete],
        resources={"warehouse": WarehouseResource(database=str(database))},
        run_config={"ops": {"marts__evaluation_lda": {"config": {"n_bootstrap": 99}}}},
        raise_on_error=False,
    )


def test_asset_and_completeness_check(database):
    result = materialise(database)
    assert result.success
    [check] = result.get_asset_check_evaluations()
    assert check.passed
    with duckdb.connect(str(database), read_only=True) as conn:
        columns = [r[0] for r in conn.sql("describe marts.evaluation_lda").fetchall()]
    assert columns == list(SCHEMA)


def test_completeness_check_fires_on_a_missing_row(database):
    assert materialise(database).success
    with duckdb.connect(str(database)) as conn:
        conn.execute("delete from marts.evaluation_lda where territoire_code = $c and indicateur = 'TX_ATTR_SD'",
                     {"c": E}).fetchall()
    result = dg.materialize(
        [evaluation_complete, *[a for a in ASSETS if EVALUATION_KEY in a.keys]],
        selection=dg.AssetSelection.checks(evaluation_complete),
        resources={"warehouse": WarehouseResource(database=str(database))},
        raise_on_error=False,
    )
    [check] = result.get_asset_check_evaluations()
    assert not check.passed
    assert check.metadata["offending_rows"].value == 1
    assert E in check.metadata["details"].value


def test_all_checks_are_defined():
    assert {c.check_key.name for c in CHECKS} >= {"evaluation_complete"}
