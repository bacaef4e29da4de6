"""The Great Expectations suites on small published tables: a good table passes, a rate of 140
fails the range check naming the row, a duplicate fails the uniqueness check, a hole fails the
(non-blocking) completeness check; every result is kept in publication.qualite_controles."""

from __future__ import annotations

import duckdb
import pytest

from assets.publication.qualite import CHECK_SPECS, run_suites

COLUMNS = (
    "indicateur varchar, territoire_type varchar, territoire_code varchar, territoire_libelle varchar, "
    "periode varchar, valeur double, numerateur double, denominateur double, statut varchar, source varchar, "
    "part_non_localisable double"
)

GOOD = [
    ("ATTR_TOT", "departement", "A", "A", "2023", 25, 25, None, "ok", "sne", None),
    ("ATTR_TOT", "departement", "A", "A", "2024", None, None, None, "secret", "sne", None),
    ("ATTR_TOT", "france", "FR", "France", "2023", 25, 25, None, "ok", "sne", None),
    ("ATTR_TOT", "france", "FR", "France", "2024", 30, 30, None, "ok", "sne", None),
    ("TX_ATTR_SD", "departement", "A", "A", "2024", 40.0, 10, 25, "ok", "sne", None),
    ("TX_ATTR_SD", "france", "FR", "France", "2024", 100.0, 30, 30, "ok", "sne", None),
    ("NDLS_EVOL_PC", "departement", "A", "A", "2024", -20.0, 40, 50, "ok", "ndls", None),
    ("NDLS_EVOL_PC", "france", "FR", "France", "2024", 150.0, 50, 20, "ok", "ndls", None),
    ("DEM_URG", "departement", "A", "A", "2024-01", 12, 12, None, "ok", "siao", None),
    ("DEM_URG", "departement", "A", "A", "2024", 12, 12, None, "ok", "siao", None),
    ("DEM_URG", "france", "FR", "France", "2024", None, None, None, "absent", "siao", None),
]


def make(tmp_path, rows, territoires=True):
    path = tmp_path / "p.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema publication").fetchall()
        conn.execute(f"create table publication.indicateurs ({COLUMNS})").fetchall()
        conn.executemany("insert into publication.indicateurs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        if territoires:
            conn.execute("create schema reference").fetchall()
            conn.execute(
                "create table reference.territoires as "
                "select * from (values ('departement', 'A'), ('france', 'FR')) t(territoire_type, territoire_code)"
            ).fetchall()
    return path


def validate(path):
    with duckdb.connect(str(path)) as conn:
        validation = run_suites(conn)
        kept = conn.sql(
            "select suite, expectation, table_name, success, observed, details from publication.qualite_controles"
        ).fetchall()
    return validation, kept


def failing_checks(validation) -> set[str]:
    return {r.check for r in validation.resultats if not r.success}


def test_good_table_passes(tmp_path):
    validation, kept = validate(make(tmp_path, GOOD))
    assert failing_checks(validation) == set()
    assert {r.check for r in validation.resultats} == set(CHECK_SPECS)
    assert len(kept) == len(validation.resultats)
    assert all(row[3] for row in kept)
    skipped = [r for r in validation.resultats if r.skipped]
    assert [r.check for r in skipped] == ["gx_territoires"]  # publication.territoires absent


def test_rate_of_140_fails_the_range_check_naming_the_row(tmp_path):
    rows = GOOD + [("TX_ATTR_SD", "departement", "A", "A", "2023", 140.0, 35, 25, "ok", "sne", None)]
    rows += [("TX_ATTR_SD", "france", "FR", "France", "2023", 100.0, 25, 25, "ok", "sne", None)]
    validation, kept = validate(make(tmp_path, rows))
    assert failing_checks(validation) == {"gx_taux_entre_0_et_100"}
    (failed,) = [r for r in validation.resultats if not r.success]
    assert "TX_ATTR_SD" in failed.details and "2023" in failed.details and "| A " in failed.details
    assert "1 lignes en défaut" in failed.observed
    assert [row for row in kept if not row[3]][0][2] == "publication.indicateurs"


def test_duplicate_row_fails_uniqueness(tmp_path):
    validation, _ = validate(make(tmp_path, GOOD + [GOOD[0]]))
    assert failing_checks(validation) == {"gx_unicite"}
    (failed,) = [r for r in validation.resultats if not r.success]
    assert "ATTR_TOT" in failed.details


@pytest.mark.parametrize(
    "bad_row, check",
    [
        (("ATTR_TOT", "departement", "A", "A", "2022", -1, -1, None, "ok", "sne", None), "gx_valeurs_positives"),
        (("NDLS_EVOL_PC", "departement", "A", "A", "2023", -120.0, 1, 5, "ok", "ndls", None), "gx_valeurs_positives"),
        (("ATTR_TOT", "departement", "A", "A", "2022", 1, 1, None, "confidentiel", "sne", None), "gx_statuts"),
        (("ATTR_TOT", "departement", "A", "A", "2022", 5, None, None, "secret", "sne", None), "gx_statuts"),
        (("INCONNU", "departement", "A", "A", "2024", 1, 1, None, "ok", "x", None), "gx_codes_indicateurs"),
        (("DEM_URG", "departement", "ZZ", "ZZ", "2024-01", 12, 12, None, "ok", "siao", None), "gx_codes_territoires"),
    ],
)
def test_each_blocking_rule_fires(tmp_path, bad_row, check):
    validation, _ = validate(make(tmp_path, GOOD + [bad_row]))
    assert check in failing_checks(validation)


def test_hole_fails_completeness(tmp_path):
    rows = [r for r in GOOD if not (r[0] == "ATTR_TOT" and r[2] == "A" and r[4] == "2023")]
    validation, _ = validate(make(tmp_path, rows))
    assert failing_checks(validation) == {"gx_completude"}


def test_rerun_replaces_the_suite_rows(tmp_path):
    path = make(tmp_path, GOOD)
    _, first = validate(path)
    _, second = validate(path)
    assert len(first) == len(second)
