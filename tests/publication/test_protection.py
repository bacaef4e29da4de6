"""The audit-driven suppression (assets/publication/protection.py) on hand-made tables where the SQL
rounds leave a cell an attacker pins by combining relations, with the cells it must suppress
worked out by hand (threshold 11; R1 = départements A, B, C, D)."""

from __future__ import annotations

from dataclasses import replace

import duckdb

from assets.publication.audit import audit_cells, epci_geography_connection, geography_connection
from assets.publication.secret import SecretConfig, publish
from tests.publication.conftest import dep, reg, row

# the loop itself is under test: on, whatever the project's default (off, docs/secret-statistique.md)
CONFIG = replace(SecretConfig.load(), audit_reparation=True)
LYON = ("territoire_lda", "L")


def with_lda(path, territoire="L", departement="A"):
    """The Logement d'abord territory `territoire` lies wholly inside `departement` (public geography)."""
    with duckdb.connect(str(path)) as conn:
        conn.execute("create table if not exists reference.perimetres_departements (territoire_type varchar, "
                     "territoire_code varchar, code_departement varchar)").fetchall()
        conn.execute("insert into reference.perimetres_departements values ('territoire_lda', $t, $d)",
                     {"t": territoire, "d": departement}).fetchall()
    return path


def published(path, config=CONFIG):
    """Publish, then audit publication.indicateurs as an attacker reads it."""
    with duckdb.connect(str(path)) as conn:
        report = publish(conn, config)
        rows = conn.sql("select indicateur, territoire_type, territoire_code, periode, statut, numerateur "
                        "from publication.indicateurs order by 1, 2, 3, 4").fetchall()
        motifs = dict(conn.sql("select territoire_code || ' ' || periode, motif from pub_etat where secret").fetchall())
        cells = {(i, t, c, p): (None if s == "secret" else n) for i, t, c, p, s, n in rows}
        regions, inclusions = geography_connection(conn)
        audit, _, _ = audit_cells(cells, regions, inclusions, epci=epci_geography_connection(conn))
    secrets = {f"{c} {p}" for (_, _, c, p), v in cells.items() if v is None}
    return report, secrets, audit, motifs


def lyon_rows():
    """DEM_URG of two months. Département A = 12 + 18 = 30, its Logement d'abord territory L has the
    same counts (L-01 = 12, L-02 = 18, year 30); B = 4 + 20 = 24; région R1 = A + B = 16 and 38.
    The SQL rounds: B-01 = 4 is primary; R1-01 then has one secret part → A-01 (12); year B → B-02
    (20); then R1-02 and year A → A-02 (18). Every relation has two secret cells, yet A-01 ≥ L-01
    = 12 and A-02 ≥ L-02 = 18 (the rest of A is ≥ 0) with A-01 + A-02 = 30 pin A-01 = 12 and
    A-02 = 18, hence B-01 = 4 and B-02 = 20."""
    values = {
        (dep("A"), "2024-01"): 12, (dep("A"), "2024-02"): 18, (dep("A"), "2024"): 30,
        (LYON, "2024-01"): 12, (LYON, "2024-02"): 18, (LYON, "2024"): 30,
        (dep("B"), "2024-01"): 4, (dep("B"), "2024-02"): 20, (dep("B"), "2024"): 24,
        (reg("R1"), "2024-01"): 16, (reg("R1"), "2024-02"): 38, (reg("R1"), "2024"): 54,
    }
    return [row("DEM_URG", t, periode=p, valeur=v) for (t, p), v in values.items()]


RECTANGLE = {"A 2024-01", "A 2024-02", "B 2024-01", "B 2024-02"}


def test_without_the_audit_loop_the_rounds_leave_four_pinned_cells(warehouse):
    path = with_lda(warehouse(lyon_rows()))
    report, secrets, audit, _ = published(path, replace(CONFIG, audit_reparation=False))
    assert secrets == RECTANGLE
    assert sorted(audit.epingles) == [
        ("DEM_URG|departement|A|2024-01", 12), ("DEM_URG|departement|A|2024-02", 18),
        ("DEM_URG|departement|B|2024-01", 4), ("DEM_URG|departement|B|2024-02", 20),
    ]
    assert report.audit == 0


def test_the_audit_loop_suppresses_the_smallest_cell_that_unpins_them(warehouse):
    """The minimum of A-01 rests on A-01 ≥ L-01, its maximum on year A and A-02 ≥ L-02: of the
    published cells of those relations, L-01 (12) is the smallest; then year L has one secret
    month and L-02 (18) goes too. A-01 is then anywhere in 0..16 (B-01 = 16 − A-01 ≥ 0)."""
    path = with_lda(warehouse(lyon_rows()))
    report, secrets, audit, motifs = published(path)
    assert secrets == RECTANGLE | {"L 2024-01", "L 2024-02"}
    assert motifs["L 2024-01"] == "audit" and motifs["L 2024-02"] == "secondaire"
    assert not audit.echec and audit.epingles == [] and audit.etroits == []
    assert (report.audit, report.audit_exposes, report.audit_tours) == (1, 4, 2)
    assert report.audit_non_resolus == []


def test_the_audit_loop_is_deterministic(warehouse, tmp_path):
    first = published(with_lda(warehouse(lyon_rows(), name="a.duckdb")))[1]
    rows = list(reversed(lyon_rows()))
    second = published(with_lda(warehouse(rows, name="b.duckdb")))[1]
    assert first == second
