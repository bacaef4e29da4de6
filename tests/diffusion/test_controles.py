"""The asset checks' results reach `publication.qualite_controles` with their real result: a
Baromètre check that fails in the run is in the file as failed, listed first on Qualité des données
and in the report's quality section; the file's own checks (run after it) are not in it."""

from __future__ import annotations

from datetime import date

import dagster as dg
import duckdb
import polars as pl
import streamlit as st

from assets.barometre.assets import MENSUEL_KEY
from assets.barometre.checks import mois_codes_a_zero
from assets.diffusion import ASSETS, CHECKS
from pipelines.resources import WarehouseResource
from tests.diffusion.test_assets import resources

# A hand-made monthly Baromètre: two départements, cumulated since January 2024; in March both
# are at 0 (a month coded 0 where data was missing: the rule « mois_entier_a_zero », 2 rows).
MENSUEL = [
    ("2017-2022", "departement", code, date(2024, mois, 1), date(2024, 1, 1), "cumul", valeur)
    for code, valeurs in (("33", (10.0, 25.0, 0.0)), ("40", (4.0, 9.0, 0.0)))
    for mois, valeur in zip((1, 2, 3), valeurs, strict=True)
]


@dg.asset(key=MENSUEL_KEY, group_name="barometre")
def barometre_mensuel(warehouse: WarehouseResource) -> None:
    """Stand-in for the Baromètre's monthly staging table (the real check runs on it)."""
    with warehouse.connect() as conn:
        conn.execute("create schema if not exists staging").fetchall()
        conn.execute(
            "create or replace table staging.barometre_mensuel (layout varchar, territoire_type varchar, "
            "territoire_code varchar, date date, debut_cumul date, nature varchar, valeur double)"
        ).fetchall()
        conn.executemany("insert into staging.barometre_mensuel values (?, ?, ?, ?, ?, ?, ?)", MENSUEL)


def test_un_controle_du_barometre_en_echec_est_publie_en_echec(paths, monkeypatch):
    result = dg.materialize([barometre_mensuel, mois_codes_a_zero, *ASSETS, *CHECKS], resources=resources(paths),
                            raise_on_error=False)
    assert result.success
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.check_name == "mois_codes_a_zero"]
    assert not evaluation.passed and evaluation.metadata["offending_rows"].value == 2

    with duckdb.connect(str(paths["publication"]), read_only=True) as conn:
        controles = conn.sql("select * from publication.qualite_controles").pl()
    dagster = controles.filter(pl.col("suite").str.starts_with("controles_dagster"))
    # only the Baromètre's check: the file's own three checks run after it is written
    assert dagster["expectation"].to_list() == ["mois_codes_a_zero"]
    ligne = dagster.row(0, named=True)
    assert ligne["success"] is False
    assert ligne["suite"] == "controles_dagster_barometre"
    assert ligne["table_name"] == "staging.barometre_mensuel"
    assert ligne["observed"].startswith("en échec (avertissement) — ")
    assert "lignes en défaut : 2" in ligne["observed"] and "lignes mois_entier_a_zero : 2" in ligne["observed"]
    assert "mois entierement a zero : 2024-03" in ligne["observed"]
    assert "| mois_entier_a_zero | 2017-2022 | departement" in " ".join(ligne["details"].split()).replace("  ", " ")
    # the Great Expectations results copied from the warehouse are still there
    assert controles.filter(pl.col("suite") == "publication_indicateurs").height == 1

    # Qualité des données and the report list it first, as failed
    from observatory_app import data

    st.cache_data.clear()
    page = data.controles(str(paths["publication"]))
    assert page.row(0, named=True)["expectation"] == "mois_codes_a_zero" and page.row(0, named=True)["success"] is False
    assert page.filter(~pl.col("success")).height == 1
    from types import SimpleNamespace

    from assets.rapport.contenu import qualite

    # the report's quality section reads the file's tables (the hand-made file has no complete year
    # for a whole report: the section is built from its tables alone)
    with duckdb.connect(str(paths["publication"]), read_only=True) as conn:
        tables = {t: conn.sql(f"select * from publication.{t}").pl()
                  for t in ("qualite", "qualite_controles", "indicateurs")}
    section = qualite(SimpleNamespace(qualite=tables["qualite"], qualite_controles=tables["qualite_controles"],
                                      indicateurs=tables["indicateurs"], annee=2024))
    assert section["controles"][0]["expectation"] == "mois_codes_a_zero"
    assert section["controles"][0]["suite"] == "Contrôles Dagster, Baromètre"
    assert section["controles"][0]["resultat"] == "en échec"
    assert section["controles_resume"].startswith("1 en échec, ")


def test_controles_ignores_sans_resultat_d_un_controle_jamais_execute(paths):
    """Without any check run, the file holds only the Great Expectations results (nothing invented)."""
    result = dg.materialize([*ASSETS], resources=resources(paths))
    assert result.success
    with duckdb.connect(str(paths["publication"]), read_only=True) as conn:
        suites = [s for (s,) in conn.sql("select suite from publication.qualite_controles").fetchall()]
    assert suites == ["publication_indicateurs"]
