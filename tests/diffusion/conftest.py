"""Fixtures of the tests of the layer `diffusion`: a tiny hand-made warehouse (the tables the
publication file is built from) in a temporary DuckDB file, with one secret row, a quarantined
line whose raw text must not be published, and the right answers written in the tests."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

INDICATEUR_COLUMNS = (
    "indicateur varchar, territoire_type varchar, territoire_code varchar, territoire_libelle varchar, "
    "periode varchar, valeur double, numerateur double, denominateur double, statut varchar, "
    "source varchar, part_non_localisable double"
)


def ind(indicateur, territoire_type, code, periode, valeur, numerateur=None, denominateur=None, statut="ok"):
    if statut == "ok" and numerateur is None and denominateur is None:
        numerateur = valeur
    return (indicateur, territoire_type, code, code, periode, valeur, numerateur, denominateur, statut, "sne", 0.0)


INDICATEURS = [
    # TX_ATTR_SD of the groups, two years.
    ind("TX_ATTR_SD", "groupe", "LDA", "2023", 30.0, 30, 100),
    ind("TX_ATTR_SD", "groupe", "HORS_LDA", "2023", 20.0, 200, 1000),
    ind("TX_ATTR_SD", "groupe", "LDA", "2024", 35.0, 35, 100),
    ind("TX_ATTR_SD", "groupe", "HORS_LDA", "2024", 25.0, 250, 1000),
    # ATTR_SD of the départements; 03 is secret (its count was 1..10), 05 is a published 0.
    ind("ATTR_SD", "departement", "01", "2023", 40.0),
    ind("ATTR_SD", "departement", "01", "2024", 65.0),
    ind("ATTR_SD", "departement", "02", "2024", 12.0),
    ind("ATTR_SD", "departement", "03", "2024", None, statut="secret"),
    ind("ATTR_SD", "departement", "04", "2024", 33.0),
    ind("ATTR_SD", "departement", "05", "2024", 0.0),
    # A rate over a population: the denominator rule does not apply (9 inhabitants is fine here).
    ind("NDLS_TAUX", "territoire_lda", "LDA-1-X", "2024", 20 / 9 * 10_000, 20, 9),
]

TERRITOIRES = [
    ("departement", "01", "Ain", None, None, 650_000, None),
    ("departement", "02", "Aisne", None, None, 530_000, None),
    ("departement", "03", "Allier", None, None, 335_000, None),
    ("departement", "04", "Alpes-de-Haute-Provence", None, None, 165_000, None),
    ("departement", "05", "Hautes-Alpes", None, None, 140_000, None),
    ("territoire_lda", "LDA-1-X", "Métropole X", 1, "métropole", 500_000, 2018),
    ("groupe", "LDA", "Territoires Logement d'abord", None, None, 500_000, None),
    ("groupe", "HORS_LDA", "Reste de la France", None, None, 1_820_000, None),
]

SERIES = [
    ("ATTR_SD", "groupe", "LDA", "2023", 120.0, "ménages", "barometre", "ok"),
    ("ATTR_SD", "groupe", "LDA", "2024", 90.0, "ménages", "barometre", "partiel"),
]

INGEST_LOG = [
    ("siao", "siao_2024.csv", "abc", 100, "utf-8", ";", "loaded", None, 50, 47, 3, 0, None, None),
    ("sne", "sne_2024.csv", "def", 100, "utf-8", ";", "loaded", None, 20, 20, 0, 0, None, None),
    ("sne", "sne_2024_ancien.csv", "ghi", 100, "utf-8", ";", "replaced", None, 20, 19, 1, 0, None, None),
]

QUARANTINE = [
    ("siao", "siao_2024.csv", 4, "date_demande", "date_invalide", "date illisible", "NUR-SECRET-1;31/02/2024"),
    ("siao", "siao_2024.csv", 9, "date_demande", "date_invalide", "date illisible", "NUR-SECRET-2;00/00/2024"),
    ("siao", "siao_2024.csv", 12, "type", "valeur_inconnue", "type inconnu", "NUR-SECRET-3;XX"),
]


EVALUATION = [
    # (indicateur, type, code, libelle, annee_reference, periode, valeur_reference, valeur, evol_t, evol_rf, did, ic_bas, ic_haut)
    # The LDA group: its TX_ATTR_SD cells are published in 2023 and 2024 → published.
    ("TX_ATTR_SD", "groupe", "LDA", "Territoires Logement d'abord", 2023, "2024", 30.0, 35.0, 5.0, 5.0, 0.0, -1.5, 1.5),
    # ATTR_SD of 03 in 2024 is secret → its ATTR_SD_100K evaluation rests on it: secret.
    ("ATTR_SD_100K", "departement", "03", "Allier", 2023, "2024", 2.0, 2.5, 0.5, 0.1, 0.4, 0.1, 0.7),
]

PARCOURS = [
    # (type, code, libelle, periode, etape, origine, origine_ordre, destination, destination_ordre, n, statut)
    ("departement", "01", "Ain", "2024", "situation_orientation", "Ensemble", 0, "Ensemble", 0, 40, "ok"),
    ("departement", "01", "Ain", "2024", "situation_orientation", "Hébergé chez un tiers", 2, "Ensemble", 0, 40, "ok"),
    ("departement", "01", "Ain", "2024", "situation_orientation", "Hébergé chez un tiers", 2, "Sans orientation", 6, 29, "ok"),
    ("departement", "01", "Ain", "2024", "situation_orientation", "Hébergé chez un tiers", 2, "Logement ordinaire", 4, None, "secret"),
    ("departement", "01", "Ain", "2024", "situation_orientation", "Hébergé chez un tiers", 2, "Autre orientation", 5, None, "secret"),
]


def make_warehouse(path: Path, indicateurs=INDICATEURS, extra_columns: str = "") -> Path:
    with duckdb.connect(str(path)) as conn:
        for schema in ("publication", "reference", "marts", "meta"):
            conn.execute(f"create schema if not exists {schema}").fetchall()
        conn.execute(f"create or replace table publication.indicateurs ({INDICATEUR_COLUMNS}{extra_columns})").fetchall()
        placeholders = ", ".join(["?"] * (11 + (1 if extra_columns else 0)))
        rows = [r + ("x",) for r in indicateurs] if extra_columns else indicateurs
        conn.executemany(f"insert into publication.indicateurs values ({placeholders})", rows)
        conn.execute(
            "create or replace table reference.territoires (territoire_type varchar, territoire_code varchar, "
            "territoire_libelle varchar, ami integer, nature varchar, population bigint, annee_reference integer)"
        ).fetchall()
        conn.executemany("insert into reference.territoires values (?, ?, ?, ?, ?, ?, ?)", TERRITOIRES)
        conn.execute(
            "create or replace table marts.series_publiees (serie varchar, territoire_type varchar, "
            "territoire_code varchar, periode varchar, valeur double, unite varchar, source varchar, statut varchar)"
        ).fetchall()
        conn.executemany("insert into marts.series_publiees values (?, ?, ?, ?, ?, ?, ?, ?)", SERIES)
        conn.execute(
            "create or replace table meta.ingest_log (source varchar, file_name varchar, sha256 varchar, "
            "bytes bigint, encoding varchar, separator varchar, status varchar, error varchar, rows_read bigint, "
            "rows_accepted bigint, rows_quarantined bigint, rows_skipped bigint, ingested_at timestamp, "
            "unknown_columns varchar)"
        ).fetchall()
        conn.executemany("insert into meta.ingest_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", INGEST_LOG)
        conn.execute(
            "create or replace table meta.quarantine (source varchar, file_name varchar, line_number bigint, "
            "column_name varchar, rule varchar, message varchar, raw_line varchar)"
        ).fetchall()
        conn.executemany("insert into meta.quarantine values (?, ?, ?, ?, ?, ?, ?)", QUARANTINE)
        conn.execute(
            "create or replace table marts.evaluation_lda (indicateur varchar, territoire_type varchar, "
            "territoire_code varchar, territoire_libelle varchar, annee_reference integer, periode varchar, "
            "valeur_reference double, valeur double, evolution_territoire double, evolution_reste_france double, "
            "did double, ic_bas double, ic_haut double, n_departements_controle integer, methode varchar)"
        ).fetchall()
        conn.executemany("insert into marts.evaluation_lda values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 4, 'DiD')",
                         EVALUATION)
        conn.execute("create or replace table marts.evaluation_methode as select 'Note de méthode.' as texte").fetchall()
        conn.execute(
            "create or replace table publication.parcours_siao (territoire_type varchar, territoire_code varchar, "
            "territoire_libelle varchar, periode varchar, etape varchar, origine varchar, origine_ordre integer, "
            "destination varchar, destination_ordre integer, n bigint, statut varchar)"
        ).fetchall()
        conn.executemany("insert into publication.parcours_siao values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", PARCOURS)
        conn.execute(
            "create or replace table publication.qualite_controles (suite varchar, expectation varchar, "
            "table_name varchar, success boolean, observed varchar, details varchar, run_at timestamp)"
        ).fetchall()
        conn.execute(
            "insert into publication.qualite_controles values ('publication_indicateurs', "
            "'expect_column_values_to_be_in_set statut', 'publication.indicateurs', true, '0 / 11', '', "
            "timestamp '2026-01-01 00:00:00')"
        ).fetchall()
    return path


@pytest.fixture
def paths(tmp_path):
    """Warehouse (built), landing folder (with a generator's parametres.json) and publication file."""
    (tmp_path / "warehouse").mkdir()
    warehouse = make_warehouse(tmp_path / "warehouse" / "w.duckdb")
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "parametres.json").write_text('{"scale": 0.01, "seed": 42, "years": [2023, 2024]}', encoding="utf-8")
    publication = tmp_path / "publication" / "observatoire.duckdb"
    return {"warehouse": warehouse, "landing": landing, "publication": publication}
