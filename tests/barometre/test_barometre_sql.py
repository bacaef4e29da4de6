"""The SQL of sql/barometre/ on tiny hand-made `raw.barometre` tables whose right answer is written
here: annualisation of both layouts, choice between files and layouts, and each check's rule."""

from datetime import date, datetime

import duckdb
import polars as pl
import pytest

from assets.barometre.assets import SERIE, UNITE, run_sql, sql_text
from assets.barometre.loader import ensure_tables
from assets.barometre.reading import RAW_SCHEMA


def row(layout, kind, code, month, valeur=None, nature="cumul", vi=None, file_name=None):
    year, m = (int(x) for x in month.split("-"))
    return {
        "layout": layout, "file_name": file_name or ("ind.csv" if layout == "IND-295" else "detail.csv"),
        "line_number": 2, "indicateur": "x", "territoire_type": kind, "territoire_code": code,
        "code_source": code, "date": date(year, m, 1), "nature": nature, "valeur": valeur, "indic_vi": vi,
        "indic_vc": None, "indic_ta": None, "unite": None,
    }


def ind(code, month, valeur=None, **kw):
    return row("IND-295", "departement", code, month, valeur, **kw)


def old(code, month, valeur, kind="departement"):
    return row("2017-2022", kind, code, month, valeur)


@pytest.fixture
def conn():
    with duckdb.connect() as connection:
        ensure_tables(connection)
        connection.execute("create schema staging").fetchall()
        yield connection


def load(conn, rows, logs=None):
    frame = pl.DataFrame(rows, schema=RAW_SCHEMA)  # noqa: F841 (read by DuckDB)
    conn.execute("insert into raw.barometre by name select * from frame").fetchall()
    for file_name, ingested_at in (logs or {"ind.csv": datetime(2024, 1, 1), "detail.csv": datetime(2023, 1, 1)}).items():
        conn.execute(
            "insert into meta.ingest_log (source, file_name, sha256, status, ingested_at) "
            "values ('barometre', $f, 'x', 'loaded', $t)", {"f": file_name, "t": ingested_at},
        ).fetchall()
    run_sql(conn, "barometre_mensuel")
    run_sql(conn, "barometre_annuel", {"serie": SERIE, "unite": UNITE})


def annuel(conn):
    return {
        (r[0], r[1]): r[2:]
        for r in conn.execute(
            "select territoire_code, periode, valeur, statut, dernier_mois, layout from staging.barometre_annuel"
        ).fetchall()
    }


def check(conn, name, params=None) -> list[dict]:
    return conn.sql(sql_text(name), params=params or {}).pl().to_dicts()


# --- annualisation --------------------------------------------------------------------------------


def test_ind295_years_are_differences_of_decembers(conn):
    load(conn, [
        ind("13", "2022-12", nature="valeur_initiale", vi=100.0),  # a non-zero baseline is subtracted
        ind("13", "2023-06", 250.0), ind("13", "2023-12", 400.0),
        ind("13", "2024-12", 900.0), ind("13", "2025-03", 1000.0),
        ind("13", "2026-12", nature="cible"),  # a target is not a measurement
    ])
    assert annuel(conn) == {
        ("13", "2023"): (300.0, "ok", "2023-12", "IND-295"),
        ("13", "2024"): (500.0, "ok", "2024-12", "IND-295"),
        ("13", "2025"): (100.0, "partiel", "2025-03", "IND-295"),
    }


def test_ind295_without_baseline_counts_from_its_first_month(conn):
    load(conn, [ind("13", "2023-01", 5.0), ind("13", "2023-12", 50.0), ind("13", "2024-02", 60.0)])
    assert annuel(conn) == {
        ("13", "2023"): (50.0, "ok", "2023-12", "IND-295"),
        ("13", "2024"): (10.0, "partiel", "2024-02", "IND-295"),
    }


def test_ind295_year_without_previous_december_has_no_row(conn):
    load(conn, [ind("13", "2022-12", nature="valeur_initiale", vi=0.0), ind("13", "2023-11", 40.0),
                ind("13", "2024-12", 90.0)])
    assert annuel(conn) == {("13", "2023"): (40.0, "partiel", "2023-11", "IND-295")}


def test_2017_layout_year_is_the_december_value(conn):
    load(conn, [
        old("75", "2017-12", 2420.0),
        old("75", "2018-01", 0.0), old("75", "2018-06", 1000.0), old("75", "2018-12", 2497.0),
        old("75", "2019-03", 600.0),
    ])
    assert annuel(conn) == {
        ("75", "2017"): (2420.0, "ok", "2017-12", "2017-2022"),
        ("75", "2018"): (2497.0, "ok", "2018-12", "2017-2022"),
        ("75", "2019"): (600.0, "partiel", "2019-03", "2017-2022"),
    }


def test_complete_year_then_newer_layout_wins(conn):
    load(conn, [
        old("75", "2022-11", 3463.0),
        ind("75", "2021-12", nature="valeur_initiale", vi=0.0), ind("75", "2022-12", 3500.0),
        old("13", "2021-12", 10.0), ind("13", "2020-12", nature="valeur_initiale", vi=0.0), ind("13", "2021-12", 12.0),
    ])
    result = annuel(conn)
    assert result[("75", "2022")] == (3500.0, "ok", "2022-12", "IND-295")
    assert result[("13", "2021")] == (12.0, "ok", "2021-12", "IND-295")
    assert check(conn, "check_barometre_annuel_unique") == []


def test_the_file_ingested_last_gives_the_month(conn):
    load(
        conn,
        [ind("13", "2023-12", 40.0, file_name="a.csv"), ind("13", "2023-12", 45.0, file_name="b.csv")],
        logs={"a.csv": datetime(2024, 6, 1), "b.csv": datetime(2024, 1, 1)},
    )
    assert conn.execute("select valeur, file_name from staging.barometre_mensuel").fetchall() == [(40.0, "a.csv")]


# --- checks -----------------------------------------------------------------------------------------


def test_zero_rules(conn):
    load(conn, [
        old("01", "2018-01", 0.0), old("02", "2018-01", 0.0),            # whole month at 0
        old("01", "2018-02", 0.0), old("02", "2018-02", 3.0),            # a small département: fine
        old("01", "2018-03", 4.0), old("02", "2018-03", 0.0),            # back to 0 after 3
        old("01", "2018-12", 9.0), old("02", "2018-12", 8.0),
        old("01", "2019-12", 9.0), old("02", "2019-12", 0.0),            # a whole year at 0
        old("01", "2020-01", 0.0), old("02", "2020-01", 1.0),            # January at 0: fine
    ])
    assert [(r["regle"], r["mois"], r["nb_lignes"], r["territoires"]) for r in check(conn, "check_mois_a_zero")] == [
        ("annee_entiere_a_zero", "2019-12", 1, "02"),
        ("mois_entier_a_zero", "2018-01", 2, "01, 02"),
        ("retour_a_zero", "2018-03", 1, "02"),
    ]


def test_decreases_within_a_cumulation_only(conn):
    load(conn, [
        old("01", "2018-11", 50.0), old("01", "2018-12", 48.0),          # revision: flagged
        old("01", "2019-01", 5.0),                                       # January reset: fine
        ind("01", "2022-12", nature="valeur_initiale", vi=0.0),
        ind("01", "2023-12", 70.0), ind("01", "2024-01", 69.0),          # IND-295 has no reset: flagged
    ])
    assert [(r["layout"], r["mois"], r["variation"]) for r in check(conn, "check_cumuls_en_baisse")] == [
        ("2017-2022", "2018-12", -2.0),
        ("IND-295", "2024-01", -1.0),
    ]


def test_missing_territories(conn):
    load(conn, [old("01", "2021-01", 1.0), old("02", "2021-01", 1.0), old("01", "2021-02", 2.0),
                old("FR", "2021-01", 2.0, "france"), old("FR", "2021-02", 3.0, "france")])
    rows = check(conn, "check_territoires_manquants", {"departements": ["01", "02"], "regions": ["11"]})
    assert [(r["territoire_code"], r["nb_mois_manquants"], r["mois"]) for r in rows] == [("02", 1, "2021-02")]


@pytest.mark.parametrize("tolerance, beyond", [(10, False), (9.5, True)])
def test_sum_tolerance(conn, tolerance, beyond):
    load(conn, [old("01", "2021-01", 60.0), old("02", "2021-01", 50.0), old("FR", "2021-01", 100.0, "france"),
                old("01", "2021-02", 60.0), old("02", "2021-02", 50.0), old("FR", "2021-02", 110.0, "france")])
    rows = check(conn, "check_sommes_territoires", {"tolerance": tolerance})
    assert [(r["mois"], r["niveau"], r["somme"], r["valeur_nationale"], r["ecart"], r["au_dela_tolerance"])
            for r in rows] == [("2021-01", "departement", 110.0, 100.0, 10.0, beyond)]
