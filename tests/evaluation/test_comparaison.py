"""`marts.comparaison_barometre` and `marts.series_publiees` on hand-made tables: the gap computed by
hand, the full join (a year on one side only), the Baromètre's statut and layout, the interface
columns of the published series, and the assets with their key checks."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from assets.evaluation import ASSETS, CHECKS
from assets.evaluation.assets import COMPARAISON_KEY, SERIE_BAROMETRE, SERIES_PUBLIEES_KEY, run_sql
from pipelines.resources import WarehouseResource
from tests.evaluation.conftest import INDICATEURS_COLUMNS, build_reference, write_frame

BAROMETRE_COLUMNS = ["serie", "territoire_type", "territoire_code", "periode", "valeur", "unite", "source", "statut",
                     "dernier_mois", "layout"]


def pers(ttype, code, periode, valeur):
    return {"indicateur": "ATTR_SD_PERS", "territoire_type": ttype, "territoire_code": code, "territoire_libelle": None,
            "periode": periode, "valeur": valeur, "numerateur": valeur / 2.2, "denominateur": None, "statut": "ok",
            "source": "test", "part_non_localisable": 0.0}


def barometre(ttype, code, periode, valeur, statut="ok", dernier_mois=None, layout="IND-295", serie=SERIE_BAROMETRE):
    return {"serie": serie, "territoire_type": ttype, "territoire_code": code, "periode": periode, "valeur": valeur,
            "unite": "personnes", "source": f"Baromètre des résultats {layout} : f.csv", "statut": statut,
            "dernier_mois": dernier_mois or f"{periode}-12", "layout": layout}


@pytest.fixture
def warehouse_path(tmp_path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as conn:
        build_reference(conn)
        write_frame(conn, "marts.indicateurs", [
            pers("departement", "01", "2023", 22.0),
            pers("departement", "01", "2021", 11.0),
            pers("departement", "02", "2024", 4.4),
            pers("region", "84", "2023", 110.0),
            pers("france", "FR", "2023", 220.0),
            pers("territoire_lda", "LDA-2018-200000001", "2023", 2.2),  # not published by the Baromètre
            {**pers("departement", "01", "2023-05", 2.2)},  # a month: not compared
        ], INDICATEURS_COLUMNS)
        write_frame(conn, "staging.barometre_annuel", [
            barometre("departement", "01", "2023", 20.0),
            barometre("departement", "01", "2021", 0.0, layout="2017-2022"),
            barometre("departement", "02", "2024", 5.0, statut="partiel", dernier_mois="2024-05"),
            barometre("departement", "03", "2022", 7.0, statut="partiel", dernier_mois="2022-11", layout="2017-2022"),
            barometre("region", "84", "2023", 100.0),
            barometre("france", "FR", "2023", 250.0),
            barometre("departement", "01", "2023", 99.0, serie="AUTRE_SERIE"),
        ], BAROMETRE_COLUMNS)
    return path


def comparaison(path) -> dict:
    with duckdb.connect(str(path)) as conn:
        run_sql(conn, "comparaison_barometre", {"serie": SERIE_BAROMETRE})
        frame = conn.sql("select * from marts.comparaison_barometre").pl()
    return {(r["territoire_type"], r["territoire_code"], r["periode"]): r for r in frame.iter_rows(named=True)}


def test_gap_computed_by_hand(warehouse_path):
    rows = comparaison(warehouse_path)
    d01 = rows[("departement", "01", "2023")]
    # 22 − 20 = 2, i.e. 10 % of the Baromètre value
    assert (d01["valeur_observatoire"], d01["valeur_barometre"]) == (22.0, 20.0)
    assert d01["ecart"] == pytest.approx(2.0)
    assert d01["ecart_relatif_pc"] == pytest.approx(10.0)
    assert (d01["statut_barometre"], d01["layout"], d01["unite"]) == ("ok", "IND-295", "personnes")
    assert d01["territoire_libelle"] == "departement 01"
    d02 = rows[("departement", "02", "2024")]
    assert d02["ecart"] == pytest.approx(-0.6)
    assert d02["ecart_relatif_pc"] == pytest.approx(-12.0)
    assert (d02["statut_barometre"], d02["dernier_mois_barometre"]) == ("partiel", "2024-05")
    assert rows[("region", "84", "2023")]["ecart"] == pytest.approx(10.0)
    assert rows[("france", "FR", "2023")]["ecart_relatif_pc"] == pytest.approx(-12.0)


def test_full_join_and_zero_baseline(warehouse_path):
    rows = comparaison(warehouse_path)
    # a Baromètre value of 0: the gap exists, the relative gap does not
    zero = rows[("departement", "01", "2021")]
    assert zero["ecart"] == pytest.approx(11.0) and zero["ecart_relatif_pc"] is None
    # Baromètre only
    only = rows[("departement", "03", "2022")]
    assert only["valeur_observatoire"] is None and only["valeur_barometre"] == 7.0 and only["ecart"] is None
    # only annual periods of départements, régions and France; the other series is ignored
    assert set(rows) == {("departement", "01", "2023"), ("departement", "01", "2021"), ("departement", "02", "2024"),
                         ("departement", "03", "2022"), ("region", "84", "2023"), ("france", "FR", "2023")}


def test_series_publiees_has_the_interface_columns(warehouse_path):
    with duckdb.connect(str(warehouse_path)) as conn:
        run_sql(conn, "series_publiees")
        columns = [r[0] for r in conn.sql("describe marts.series_publiees").fetchall()]
        n = conn.sql("select count(*) from marts.series_publiees").fetchall()[0][0]
    assert columns == ["serie", "territoire_type", "territoire_code", "periode", "valeur", "unite", "source", "statut"]
    assert n == 7


def test_assets_and_key_checks(warehouse_path):
    selected = [a for a in ASSETS if a.keys & {COMPARAISON_KEY, SERIES_PUBLIEES_KEY}]
    result = dg.materialize(
        selected + [c for c in CHECKS if c.check_key.asset_key in (COMPARAISON_KEY, SERIES_PUBLIEES_KEY)],
        resources={"warehouse": WarehouseResource(database=str(warehouse_path))},
    )
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert len(checks) == 2 and all(c.passed for c in checks)
    with duckdb.connect(str(warehouse_path)) as conn:
        conn.execute("insert into marts.comparaison_barometre select * from marts.comparaison_barometre limit 1").fetchall()
    again = dg.materialize(
        selected + [c for c in CHECKS if c.check_key.asset_key == COMPARAISON_KEY],
        selection=dg.AssetSelection.checks(*[c for c in CHECKS if c.check_key.asset_key == COMPARAISON_KEY]),
        resources={"warehouse": WarehouseResource(database=str(warehouse_path))},
        raise_on_error=False,
    )
    [check] = again.get_asset_check_evaluations()
    assert not check.passed and check.metadata["offending_rows"].value == 1


def test_method_note_asset(tmp_path):
    path = tmp_path / "w.duckdb"
    result = dg.materialize([a for a in ASSETS if dg.AssetKey(["marts", "evaluation_methode"]) in a.keys],
                            resources={"warehouse": WarehouseResource(database=str(path))})
    assert result.success
    with duckdb.connect(str(path), read_only=True) as conn:
        [(texte,)] = conn.sql("select texte from marts.evaluation_methode").fetchall()
    assert "pas une mesure d'effet causal" in texte
    for mot in ("tirés au sort", "d'autres politiques", "petits territoires", "bootstrap", "rapport de sommes"):
        assert mot in texte
