"""The build of the publication file: atomic swap (a reader opened before a rebuild keeps the old
content, the path always opens), refusal of a file with an identifier column or a small count,
and the small-count rule on hand-made published rows."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from assets.diffusion.fichier import PublicationError, build, small_counts
from assets.publication.secret import SecretConfig
from tests.diffusion.conftest import INDICATEURS, ind, make_warehouse


def count_indicateurs_in_subprocess(path) -> int:
    """A fresh reader in another process (the in-process DuckDB instance cache is bypassed)."""
    code = (
        "import duckdb, sys\n"
        "with duckdb.connect(sys.argv[1], read_only=True) as c:\n"
        "    print(c.sql('select count(*) from publication.indicateurs').fetchall()[0][0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


def test_swap_is_atomic(paths):
    target = paths["publication"]
    build(paths["warehouse"], target, synthetic=True)
    old_inode = target.stat().st_ino
    reader = duckdb.connect(str(target), read_only=True)
    try:
        assert reader.sql("select count(*) from publication.indicateurs").fetchall() == [(11,)]
        # The warehouse changes, the file is rebuilt while the reader is open.
        with duckdb.connect(str(paths["warehouse"])) as conn:
            conn.execute("insert into publication.indicateurs values "
                         "('ATTR_SD', 'departement', '01', '01', '2022', 30, 30, null, 'ok', 'sne', 0)").fetchall()
        build(paths["warehouse"], target, synthetic=True)
        # The file was replaced (new inode), the old reader still reads the old, whole content.
        assert target.stat().st_ino != old_inode
        assert reader.sql("select count(*) from publication.indicateurs").fetchall() == [(11,)]
        # A new reader opens the new content.
        assert count_indicateurs_in_subprocess(target) == 12
    finally:
        reader.close()
    with duckdb.connect(str(target), read_only=True) as conn:
        assert conn.sql("select count(*) from publication.indicateurs").fetchall() == [(12,)]
    assert sorted(p.name for p in target.parent.iterdir()) == ["observatoire.duckdb", "parquet"]


def test_refused_file_is_not_swapped_in(paths, tmp_path):
    target = paths["publication"]
    build(paths["warehouse"], target, synthetic=True)
    before = target.read_bytes()
    # A small count published as ok: the new file is refused, the old one stays.
    bad = make_warehouse(tmp_path / "bad.duckdb", INDICATEURS + [ind("ATTR_SD", "departement", "02", "2023", 5.0)])
    with pytest.raises(PublicationError, match="effectifs publiés entre 1 et 10"):
        build(bad, target, synthetic=True)
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["observatoire.duckdb", "parquet"]


def test_identifier_column_refused(paths, tmp_path):
    bad = make_warehouse(tmp_path / "ids.duckdb", extra_columns=", menage_id varchar")
    with pytest.raises(PublicationError, match="colonnes d'identifiants : indicateurs.menage_id"):
        build(bad, paths["publication"], synthetic=True)
    assert not paths["publication"].exists()


def test_small_counts_rule():
    """Counts by value/numerator, rates by numerator and record-count denominator, except the
    population denominators of NDLS_TAUX and TX_EQUIP_LA; 0 and secret rows are fine; a cell of
    the SIAO pathway is a count."""
    conn = duckdb.connect()
    conn.execute("create schema publication").fetchall()
    conn.execute("create table publication.catalogue (code varchar, type varchar)").fetchall()
    conn.executemany("insert into publication.catalogue values (?, ?)", [
        ("ATTR_SD", "count"), ("TX_ATTR_SD", "rate"), ("NDLS_TAUX", "rate"), ("DELAI_ATTR_SD", "median"),
    ])
    conn.execute("create table publication.indicateurs (indicateur varchar, territoire_type varchar, "
                 "territoire_code varchar, periode varchar, valeur double, numerateur double, "
                 "denominateur double, statut varchar)").fetchall()
    conn.executemany("insert into publication.indicateurs values (?, 'departement', ?, '2024', ?, ?, ?, ?)", [
        ("ATTR_SD", "01", 0, 0, None, "ok"),          # 0 is published
        ("ATTR_SD", "02", 10, 10, None, "ok"),        # offending
        ("ATTR_SD", "03", 11, 11, None, "ok"),
        ("ATTR_SD", "04", None, None, None, "secret"),
        ("TX_ATTR_SD", "01", 50, 12, 24, "ok"),
        ("TX_ATTR_SD", "02", 0, 0, 9, "ok"),          # offending: denominator of records 9
        ("TX_ATTR_SD", "03", 10, 3, 30, "ok"),        # offending: numerator 3
        ("NDLS_TAUX", "01", 2e4, 20, 9, "ok"),        # population denominator: fine
        ("DELAI_ATTR_SD", "01", 40, 7, None, "ok"),   # offending: 7 cases
    ])
    conn.execute("create table publication.parcours_siao (territoire_type varchar, territoire_code varchar, "
                 "periode varchar, etape varchar, origine varchar, destination varchar, n bigint, statut varchar)")
    conn.executemany("insert into publication.parcours_siao values ('departement', ?, '2024', 'orientation_sortie', "
                     "'CHRS', ?, ?, ?)", [
        ("01", "Rue", 4, "ok"),                       # offending: 4 requests
        ("01", "Ensemble", 11, "ok"),
        ("02", "Rue", None, "secret"),
        ("02", "Ensemble", 0, "ok"),
    ])
    found = small_counts(conn, SecretConfig(seuil=11, denominateur_population=("NDLS_TAUX", "TX_EQUIP_LA")))
    assert found.select("indicateur", "territoire_code").rows() == [
        ("ATTR_SD", "02"), ("DELAI_ATTR_SD", "01"), ("PARCOURS|orientation_sortie|CHRS|Rue", "01"),
        ("TX_ATTR_SD", "02"), ("TX_ATTR_SD", "03"),
    ]


def test_a_file_named_like_the_schema_is_refused(paths):
    """DuckDB names a database after its file: `publication.duckdb` would make `publication.x`
    ambiguous for every reader. Refused with a clear message, nothing written."""
    target = paths["publication"].with_name("publication.duckdb")
    with pytest.raises(PublicationError, match="ne peut pas s'appeler « publication.duckdb »"):
        build(paths["warehouse"], target, synthetic=True)
    assert not target.exists()
