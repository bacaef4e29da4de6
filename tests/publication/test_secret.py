"""The disclosure rules on small hand-made tables whose suppressed cells are written in the test
(threshold 11 unless stated; R1 = départements A, B, C, D; R2 = E)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from assets.publication.secret import CONFIG_PATH, SecretConfig, publish
from tests.publication.conftest import FR, HORS_LDA, LDA, dep, reg, row

CONFIG = SecretConfig.load()


def run(path: Path, config: SecretConfig = CONFIG):
    with duckdb.connect(str(path)) as conn:
        report = publish(conn, config)
        rows = conn.sql(
            "select indicateur, territoire_code, periode, statut, valeur, numerateur, denominateur, "
            "part_non_localisable from publication.indicateurs"
        ).fetchall()
    return report, {(r[0], r[1], r[2]): r[3:] for r in rows}


def secrets(table, indicateur=None) -> set[tuple[str, str]]:
    return {
        (code, periode)
        for (ind, code, periode), values in table.items()
        if values[0] == "secret" and (indicateur is None or ind == indicateur)
    }


def test_config_is_read_from_the_yaml():
    assert CONFIG.seuil == 11
    assert CONFIG.suit == {"ATTR_SD_PERS": "ATTR_SD"}
    assert "NDLS_TAUX" in CONFIG.denominateur_population


def test_primary_and_secondary_in_a_region(warehouse):
    # R1 = 3 + 0 + 25 + 40: 3 is secret (primary), 25 (the smallest other non-zero part) too,
    # 0 and 40 and the région stay published.
    path = warehouse(
        [
            row("ATTR_TOT", dep("A"), valeur=3),
            row("ATTR_TOT", dep("B"), valeur=0),
            row("ATTR_TOT", dep("C"), valeur=25),
            row("ATTR_TOT", dep("D"), valeur=40),
            row("ATTR_TOT", reg("R1"), valeur=68),
        ]
    )
    report, table = run(path)
    assert secrets(table) == {("A", "2024"), ("C", "2024")}
    assert table[("ATTR_TOT", "B", "2024")][:2] == ("ok", 0)
    assert table[("ATTR_TOT", "D", "2024")][:2] == ("ok", 40)
    assert table[("ATTR_TOT", "R1", "2024")][:2] == ("ok", 68)
    assert (report.primaire, report.secondaire, report.liens) == (1, 1, 0)


def test_secret_rows_have_null_values(warehouse):
    path = warehouse([row("ATTR_TOT", dep("A"), valeur=3)])
    _, table = run(path)
    assert table[("ATTR_TOT", "A", "2024")] == ("secret", None, None, None, None)


def test_zero_count_is_published(warehouse):
    path = warehouse([row("ATTR_TOT", dep("A"), valeur=0), row("ATTR_TOT", dep("B"), valeur=10)])
    _, table = run(path)
    assert table[("ATTR_TOT", "A", "2024")][:2] == ("ok", 0)
    assert table[("ATTR_TOT", "B", "2024")][0] == "secret"


def test_rates_and_medians(warehouse):
    # Départements without a région row: no secondary suppression between them.
    path = warehouse(
        [
            row("TX_NON_POURVUES", dep("A"), valeur=4.0, numerateur=2, denominateur=50),
            row("TX_NON_POURVUES", dep("B"), valeur=0.0, numerateur=0, denominateur=30),
            row("TX_NON_POURVUES", dep("C"), valeur=62.5, numerateur=5, denominateur=8),
            row("TX_NON_POURVUES", dep("D"), valeur=0.0, numerateur=0, denominateur=8),
            row("TX_NON_POURVUES", dep("E"), valeur=50.0, numerateur=11, denominateur=22),
            row("DELAI_ORIENT_INS", dep("A"), valeur=40, numerateur=9),
            row("DELAI_ORIENT_INS", dep("B"), valeur=35, numerateur=11),
            row("TX_NON_POURVUES", reg("R2"), statut="absent"),
        ]
    )
    _, table = run(path)
    assert secrets(table, "TX_NON_POURVUES") == {("A", "2024"), ("C", "2024"), ("D", "2024")}
    assert table[("TX_NON_POURVUES", "B", "2024")][:4] == ("ok", 0.0, 0, 30)
    assert table[("TX_NON_POURVUES", "E", "2024")][:4] == ("ok", 50.0, 11, 22)
    assert table[("TX_NON_POURVUES", "R2", "2024")][0] == "absent"
    assert secrets(table, "DELAI_ORIENT_INS") == {("A", "2024")}
    assert table[("DELAI_ORIENT_INS", "B", "2024")][:3] == ("ok", 35, 11)


def test_rate_over_a_population_uses_only_the_numerator_rule(warehouse):
    path = warehouse(
        [
            row("NDLS_PERS", dep("A"), valeur=12),
            row("NDLS_TAUX", dep("A"), valeur=12 / 9 * 10_000, numerateur=12, denominateur=9),
            row("NDLS_PERS", dep("B"), valeur=3),
            row("NDLS_TAUX", dep("B"), valeur=0.3, numerateur=3, denominateur=100_000),
        ]
    )
    _, table = run(path)
    assert secrets(table) == {("B", "2024")}
    assert table[("NDLS_TAUX", "A", "2024")][0] == "ok"


def test_attr_sd_secret_makes_its_followers_secret(warehouse):
    path = warehouse(
        [
            row("ATTR_SD", dep("A"), valeur=4),
            row("ATTR_SD_PERS", dep("A"), valeur=8.8, numerateur=4),
            row("ATTR_TOT", dep("A"), valeur=100),
            row("TX_ATTR_SD", dep("A"), valeur=4.0, numerateur=4, denominateur=100),
            row("PRESSION_SD", dep("A"), valeur=5.0, numerateur=20, denominateur=4),
            row("ATTR_SD", dep("B"), valeur=40),
            row("ATTR_SD_PERS", dep("B"), valeur=88.0, numerateur=40),
            row("TX_ATTR_SD", dep("B"), valeur=40.0, numerateur=40, denominateur=100),
        ]
    )
    _, table = run(path)
    assert secrets(table) == {("A", "2024")}
    for indicateur in ("ATTR_SD", "ATTR_SD_PERS", "TX_ATTR_SD", "PRESSION_SD"):
        assert table[(indicateur, "A", "2024")][0] == "secret", indicateur
    assert table[("ATTR_TOT", "A", "2024")][:2] == ("ok", 100)
    assert table[("ATTR_SD_PERS", "B", "2024")][:2] == ("ok", 88.0)


def test_secondary_suppression_of_attr_sd_carries_to_pers_and_rate(warehouse):
    # France = LDA + HORS_LDA: LDA (7) is secret, so HORS_LDA (500) is too, and with it
    # ATTR_SD_PERS and TX_ATTR_SD of HORS_LDA (whose numerator it is).
    path = warehouse(
        [
            row("ATTR_SD", FR, valeur=507),
            row("ATTR_SD", LDA, valeur=7),
            row("ATTR_SD", HORS_LDA, valeur=500),
            row("ATTR_SD_PERS", FR, valeur=1115.4, numerateur=507),
            row("ATTR_SD_PERS", LDA, valeur=15.4, numerateur=7),
            row("ATTR_SD_PERS", HORS_LDA, valeur=1100.0, numerateur=500),
            row("TX_ATTR_SD", FR, valeur=46.09, numerateur=507, denominateur=1100),
            row("TX_ATTR_SD", LDA, valeur=7.0, numerateur=7, denominateur=100),
            row("TX_ATTR_SD", HORS_LDA, valeur=50.0, numerateur=500, denominateur=1000),
        ]
    )
    _, table = run(path)
    for indicateur in ("ATTR_SD", "ATTR_SD_PERS", "TX_ATTR_SD"):
        assert secrets(table, indicateur) == {("LDA", "2024"), ("HORS_LDA", "2024")}, indicateur
        assert table[(indicateur, "FR", "2024")][0] == "ok"


def test_monthly_hierarchy_and_iteration(warehouse):
    # DEM_URG, months 01 and 02 of 2024. A: 4 + 26 = 30; B: 0 + 0; E: 20 + 15 = 35.
    # A-01 (4) and R1-01 (= A-01 + B-01 = 4) are primary. Round 1: A-02 (year of A), R1-02 (year of
    # R1) and R2-01 (France-01 = R1 + R2) are suppressed; round 2: E-01 (R2 = E alone), then E-02
    # (year of E) and R2-02 (year of R2, France-02); the years and France stay published.
    values = {
        dep("A"): (4, 26),
        dep("B"): (0, 0),
        dep("E"): (20, 15),
        reg("R1"): (4, 26),
        reg("R2"): (20, 15),
        FR: (24, 41),
    }
    rows = []
    for territoire, (jan, feb) in values.items():
        rows += [
            row("DEM_URG", territoire, "2024-01", valeur=jan),
            row("DEM_URG", territoire, "2024-02", valeur=feb),
            row("DEM_URG", territoire, "2024", valeur=jan + feb),
        ]
    report, table = run(warehouse(rows))
    assert secrets(table) == {
        ("A", "2024-01"), ("A", "2024-02"),
        ("R1", "2024-01"), ("R1", "2024-02"),
        ("E", "2024-01"), ("E", "2024-02"),
        ("R2", "2024-01"), ("R2", "2024-02"),
    }
    assert report.rounds >= 3


def test_departement_suppression_reaches_the_groups(warehouse, tmp_path):
    # R1 = A 5 + B 40 + C 12 + D 0: A primary, C secondary. The group LDA has the communes of C
    # (reference.perimetres), so it is secret too; then France = LDA + HORS_LDA has one secret
    # part and HORS_LDA is suppressed. France and the régions stay published.
    rows = [
        row("PLACES_HEB", dep("A"), valeur=5),
        row("PLACES_HEB", dep("B"), valeur=40),
        row("PLACES_HEB", dep("C"), valeur=12),
        row("PLACES_HEB", dep("D"), valeur=0),
        row("PLACES_HEB", dep("E"), valeur=100),
        row("PLACES_HEB", reg("R1"), valeur=57),
        row("PLACES_HEB", reg("R2"), valeur=100),
        row("PLACES_HEB", FR, valeur=157),
        row("PLACES_HEB", LDA, valeur=12),
        row("PLACES_HEB", HORS_LDA, valeur=145),
    ]
    path = warehouse(rows)
    perimetres = {
        dep("A"): ["a1"], dep("B"): ["b1"], dep("C"): ["c1", "c2"], dep("D"): ["d1"], dep("E"): ["e1"],
        reg("R1"): ["a1", "b1", "c1", "c2", "d1"], reg("R2"): ["e1"],
        FR: ["a1", "b1", "c1", "c2", "d1", "e1"], LDA: ["c1", "c2"], HORS_LDA: ["a1", "b1", "d1", "e1"],
    }
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            "create table reference.perimetres (territoire_type varchar, territoire_code varchar, code_commune varchar)"
        ).fetchall()
        conn.executemany(
            "insert into reference.perimetres values (?, ?, ?)",
            [(t, c, commune) for (t, c), communes in perimetres.items() for commune in communes],
        )
    _, table = run(path)
    assert secrets(table) == {("A", "2024"), ("C", "2024"), ("LDA", "2024"), ("HORS_LDA", "2024")}


def test_single_departement_region_shares_the_status(warehouse):
    # R2 = E alone: E (8) secret ⇒ R2 secret; France = R1 + R2 then suppresses R1.
    path = warehouse(
        [
            row("ATTR_TOT", dep("E"), valeur=8),
            row("ATTR_TOT", reg("R2"), valeur=8),
            row("ATTR_TOT", dep("A"), valeur=30),
            row("ATTR_TOT", reg("R1"), valeur=30),
            row("ATTR_TOT", FR, valeur=38),
        ]
    )
    _, table = run(path)
    assert secrets(table) == {("E", "2024"), ("R2", "2024"), ("R1", "2024"), ("A", "2024")}
    assert table[("ATTR_TOT", "FR", "2024")][:2] == ("ok", 38)


def test_threshold_is_configuration(warehouse, tmp_path):
    rows = [
        row("ATTR_TOT", dep("A"), valeur=4),
        row("ATTR_TOT", dep("B"), valeur=8),
        row("ATTR_TOT", dep("C"), valeur=6),
        row("ATTR_TOT", dep("D"), valeur=40),
        row("ATTR_TOT", reg("R1"), valeur=58),
    ]
    _, table = run(warehouse(rows, name="s11.duckdb"))
    assert secrets(table) == {("A", "2024"), ("B", "2024"), ("C", "2024")}

    config_file = tmp_path / "secret.yaml"
    config_file.write_text(
        CONFIG_PATH.read_text(encoding="utf-8").replace("seuil: 11", "seuil: 5"),
        encoding="utf-8",
    )
    config = SecretConfig.load(config_file)
    assert config.seuil == 5
    _, table = run(warehouse(rows, name="s5.duckdb"), config)
    assert secrets(table) == {("A", "2024"), ("C", "2024")}


def test_unknown_indicator_is_refused(warehouse):
    with pytest.raises(ValueError, match="INCONNU"):
        run(warehouse([row("INCONNU", dep("A"), valeur=3)]))


def test_marts_keep_exact_values(warehouse):
    path = warehouse([row("ATTR_TOT", dep("A"), valeur=3)])
    run(path)
    with duckdb.connect(str(path)) as conn:
        assert conn.sql("select valeur, statut from marts.indicateurs").fetchall() == [(3, "ok")]


def perimetres_table(path: Path, perimetres: dict) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            "create table reference.perimetres (territoire_type varchar, territoire_code varchar, code_commune varchar)"
        ).fetchall()
        conn.executemany(
            "insert into reference.perimetres values (?, ?, ?)",
            [(t, c, commune) for (t, c), communes in perimetres.items() for commune in communes],
        )


def test_lda_group_is_the_sum_of_its_territories(warehouse):
    # T1 (a1) and T2 (c1, c2) tile the group LDA; T3 (c1) lies inside T2. T1 = 5 is secret, so
    # T2 (the only other part of LDA = T1 + T2) is too; T3 and the group stay published.
    t1, t2, t3 = ("territoire_lda", "LDA-2018-T1"), ("territoire_lda", "LDA-2018-T2"), ("territoire_lda", "LDA-2021-T3")
    path = warehouse(
        [
            row("PLACES_HEB", t1, valeur=5),
            row("PLACES_HEB", t2, valeur=30),
            row("PLACES_HEB", t3, valeur=20),
            row("PLACES_HEB", LDA, valeur=35),
        ]
    )
    perimetres_table(path, {t1: ["a1"], t2: ["c1", "c2"], t3: ["c1"], LDA: ["a1", "c1", "c2"]})
    _, table = run(path)
    assert secrets(table) == {("LDA-2018-T1", "2024"), ("LDA-2018-T2", "2024")}


def test_overlapping_lda_territories_are_not_a_sum(warehouse):
    # T1 (a1, c1) and T2 (c1, c2) overlap: the group is not their sum, nothing to protect.
    t1, t2 = ("territoire_lda", "LDA-2018-T1"), ("territoire_lda", "LDA-2018-T2")
    path = warehouse([row("PLACES_HEB", t1, valeur=5), row("PLACES_HEB", t2, valeur=30), row("PLACES_HEB", LDA, valeur=33)])
    perimetres_table(path, {t1: ["a1", "c1"], t2: ["c1", "c2"], LDA: ["a1", "c1", "c2"]})
    _, table = run(path)
    assert secrets(table) == {("LDA-2018-T1", "2024")}


def test_absent_rows_do_not_show_small_counts(warehouse):
    # PRESSION_SD without attribution (denominator 0) is absent; its demands (5 or 25) are not
    # shown; a rate 0/0 keeps its zeros.
    path = warehouse(
        [
            row("PRESSION_SD", dep("A"), numerateur=5, denominateur=0, statut="absent"),
            row("PRESSION_SD", dep("B"), numerateur=25, denominateur=0, statut="absent"),
            row("TX_NON_POURVUES", dep("B"), numerateur=0, denominateur=0, statut="absent"),
        ]
    )
    _, table = run(path)
    assert table[("PRESSION_SD", "A", "2024")][:4] == ("absent", None, None, None)
    assert table[("PRESSION_SD", "B", "2024")][:4] == ("absent", None, None, None)
    assert table[("TX_NON_POURVUES", "B", "2024")][:4] == ("absent", None, 0, 0)


def test_every_column_is_commented(warehouse):
    path = warehouse([row("ATTR_TOT", dep("A"), valeur=30)])
    run(path)
    with duckdb.connect(str(path)) as conn:
        missing = conn.sql(
            "select column_name from duckdb_columns() where schema_name = 'publication' "
            "and table_name = 'indicateurs' and comment is null"
        ).fetchall()
        table_comment = conn.sql(
            "select comment from duckdb_tables() where schema_name = 'publication' and table_name = 'indicateurs'"
        ).fetchall()
    assert missing == []
    assert table_comment[0][0]
