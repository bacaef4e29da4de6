"""The folder loader: unchanged files are not read again (size and time, then SHA-256), a changed
file of the same size is seen, batches written in the background lose nothing."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from assets.ingest import loader

HEADER = (
    "Numéro demande;Numéro ménage;Date d'extraction;Date de la demande;Type de demande;Département SIAO;"
    "Commune de la demande;Composition familiale;Nombre de personnes;Nombre d'enfants;Sexe;Année de naissance;"
    "Situation à la demande;Statut de la demande;Motif de non-attribution;Date d'orientation;Type d'orientation;"
    "Date d'admission;Date de sortie;Destination à la sortie;NUR"
)


def _line(n: int, persons: int = 1) -> str:
    return (f"13-{n:07d};MEN{n:09d};31/01/2025;10/01/2025;Urgence;13;13055;Personne seule;{persons};0;F;1980;"
            "Rue / abri de fortune;En attente;;;;;;;")


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    calls: list[str] = []
    original = loader.sha256_of

    def counting(path):
        calls.append(Path(path).name)
        return original(path)

    monkeypatch.setattr(loader, "sha256_of", counting)
    return calls


def _load(conn, folder):
    return loader.load_folder(conn, "siao", folder, pseudo_key="cle-de-test", communes=frozenset({"13055"}))


def test_unchanged_files_are_neither_read_nor_hashed_and_a_same_size_change_is_seen(tmp_path, hashed):
    folder = tmp_path / "siao"
    folder.mkdir()
    _write(folder / "siao_13_2025-01.csv", [_line(1), _line(2)])
    _write(folder / "siao_13_2025-02.csv", [_line(3)])
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = _load(conn, folder)
    assert (first.files_loaded, first.rows_accepted, hashed) == (2, 3, [])  # new names: hashed while read
    assert conn.sql("select count(*) from meta.fichiers_vus").fetchall() == [(2,)]

    second = _load(conn, folder)
    assert (second.files_unchanged, second.files_loaded, hashed) == (2, 0, [])

    # same size, new content (2 persons instead of 1), new modification time: hashed and reloaded
    target = folder / "siao_13_2025-01.csv"
    before = target.stat()
    _write(target, [_line(1, persons=2), _line(2)])
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert target.stat().st_size == before.st_size
    third = _load(conn, folder)
    assert (third.files_replaced, third.files_unchanged, hashed) == (1, 1, ["siao_13_2025-01.csv"])
    assert conn.sql("select nb_persons from raw.siao where line_number = 2 and source_file = 'siao_13_2025-01.csv'"
                    ).fetchall() == [(2,)]

    # touched but identical: hashed once, found unchanged, then known by size and time again
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns + 2_000_000_000))
    hashed.clear()
    fourth = _load(conn, folder)
    assert (fourth.files_unchanged, hashed) == (2, ["siao_13_2025-01.csv"])
    hashed.clear()
    assert _load(conn, folder).files_unchanged == 2 and hashed == []
    assert conn.sql("select count(*) from raw.siao").fetchall() == [(3,)]


def test_batches_written_in_the_background_keep_every_row(tmp_path, monkeypatch):
    folder = tmp_path / "siao"
    folder.mkdir()
    for month in range(1, 13):
        _write(folder / f"siao_13_2024-{month:02d}.csv", [_line(100 * month + i) for i in range(5)])
    monkeypatch.setattr(loader, "BATCH_ROWS", 7)  # a batch every two files: many background writes
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    summary = _load(conn, folder)
    assert (summary.files_loaded, summary.rows_accepted) == (12, 60)
    assert conn.sql("select count(*), count(distinct source_file) from raw.siao").fetchall() == [(60, 12)]
    assert conn.sql("select count(*) from meta.ingest_log where status = 'loaded'").fetchall() == [(12,)]


def test_a_failed_background_write_is_raised(tmp_path, monkeypatch):
    folder = tmp_path / "siao"
    folder.mkdir()
    _write(folder / "siao_13_2024-01.csv", [_line(1)])

    def failing(self, conn, kinds):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(loader._Batch, "flush", failing)
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    with pytest.raises(RuntimeError, match="disque plein"):
        _load(conn, folder)


def _line_with_nur(n: int, nur: str) -> str:
    return (f"13-{n:07d};MEN{n:09d};31/01/2025;10/01/2025;Urgence;13;13055;Personne seule;1;0;F;1980;"
            f"Rue / abri de fortune;En attente;;;;;;;{nur}")


def test_pseudonyms_are_stored_as_the_first_128_bits_of_the_hmac(tmp_path):
    from assets.ingest.pseudo import pseudonymise

    folder = tmp_path / "siao"
    folder.mkdir()
    _write(folder / "siao_13_2025-01.csv", [_line_with_nur(1, "0131 22 00001"), _line(2)])
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    _load(conn, folder)
    assert dict(conn.sql("select column_name, data_type from information_schema.columns "
                         "where table_name = 'siao' and column_name in ('menage_id', 'nur_id')").fetchall()) == {
        "menage_id": "UHUGEINT", "nur_id": "UHUGEINT"}
    rows = conn.sql("select menage_id, nur_id from raw.siao order by line_number").fetchall()
    expected_menage = [int(pseudonymise(f"MEN{n:09d}", "cle-de-test")[:32], 16) for n in (1, 2)]
    assert [r[0] for r in rows] == expected_menage
    # the NUR as the SNE side stores it (same key, same conversion): the two sources still link
    assert rows[0][1] == int(pseudonymise("013122000 01", "cle-de-test")[:32], 16)
    assert rows[1][1] is None


def test_a_raw_table_of_an_earlier_version_has_its_text_pseudonyms_converted_in_place(tmp_path):
    from assets.ingest.pseudo import pseudonymise

    folder = tmp_path / "siao"
    folder.mkdir()
    _write(folder / "siao_13_2025-01.csv", [_line(1)])
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    text = pseudonymise("MEN000000007", "cle-de-test")
    # raw.siao as an earlier version wrote it: the 64 hex digits as text
    loader.ensure_meta(conn)
    empty = loader.CONTRACTS["siao"].empty_accepted()  # noqa: F841 (read by DuckDB by name)
    conn.execute("create table raw.siao as select * from empty")
    conn.execute("insert into raw.siao (menage_id, source_file, line_number) values (?, 'ancien.csv', 2)", [text])
    assert conn.sql("select data_type from information_schema.columns where table_name = 'siao' "
                    "and column_name = 'menage_id'").fetchall() == [("VARCHAR",)]
    _load(conn, folder)
    assert conn.sql("select source_file, menage_id from raw.siao order by source_file").fetchall() == [
        ("ancien.csv", int(text[:32], 16)),
        ("siao_13_2025-01.csv", int(pseudonymise("MEN000000001", "cle-de-test")[:32], 16)),
    ]


def test_the_departements_of_each_file_are_kept_with_its_rows(tmp_path):
    """meta.fichiers_departements = what grouping raw.siao by (file, département) gives, through a
    replaced file; a warehouse of an earlier version (no such table) has it filled from raw.siao."""
    folder = tmp_path / "siao"
    folder.mkdir()
    other = _line(3).replace(";13;13055;", ";84;;").replace("13-0000003", "84-0000003")
    _write(folder / "siao_13_2025-01.csv", [_line(1), _line(2), other])
    _write(folder / "siao_13_2025-02.csv", [_line(4)])
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    _load(conn, folder)
    grouped = "select source_file, departement, count(*) from raw.siao group by all order by all"
    kept = "select source_file, departement, nb_lignes from meta.fichiers_departements order by all"
    assert conn.sql(kept).fetchall() == conn.sql(grouped).fetchall() == [
        ("siao_13_2025-01.csv", "13", 2), ("siao_13_2025-01.csv", "84", 1), ("siao_13_2025-02.csv", "13", 1)]

    _write(folder / "siao_13_2025-01.csv", [_line(1)])  # replaced: 84 is gone
    _load(conn, folder)
    assert conn.sql(kept).fetchall() == conn.sql(grouped).fetchall() == [
        ("siao_13_2025-01.csv", "13", 1), ("siao_13_2025-02.csv", "13", 1)]

    conn.execute("drop table meta.fichiers_departements")
    loader.ensure_meta(conn)
    assert conn.sql(kept).fetchall() == conn.sql(grouped).fetchall()
