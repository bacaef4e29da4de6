"""Leftovers of an interrupted run (a process killed while the publication file or its Parquet folder
was being swapped) are removed before the next build; the published file and anything else stay.
The whole run (`observatoire run` cleaning at its start) is tested in `test_kill_recovery.py`."""

from __future__ import annotations

import duckdb

from assets.diffusion.fichier import build, clean_leftovers
from tests.diffusion.conftest import paths  # noqa: F401 (fixture)


def _leftovers(folder):
    """What a build killed at its different steps leaves: a half-written DuckDB file and its WAL, a
    half-written Parquet folder, the old Parquet folder renamed aside."""
    made = [folder / ".observatoire.duckdb.tmp-0badc0de", folder / ".observatoire.duckdb.tmp-0badc0de.wal",
            folder / ".parquet.tmp-1badc0de", folder / ".parquet.old-2badc0de"]
    made[0].write_bytes(b"DUCK" * 100)
    made[1].write_bytes(b"wal")
    for d in made[2:]:
        d.mkdir()
        (d / "indicateurs.parquet").write_bytes(b"PAR1 half written")
    return made


def test_leftovers_are_removed_and_the_publication_kept(paths):  # noqa: F811
    target = paths["publication"]
    build(paths["warehouse"], target, synthetic=True)
    published = target.read_bytes()
    made = _leftovers(target.parent)
    (target.parent / ".gitkeep").write_text("", encoding="utf-8")  # not ours: kept
    removed = clean_leftovers(target)
    assert sorted(removed) == sorted(made)
    assert sorted(p.name for p in target.parent.iterdir()) == [".gitkeep", "observatoire.duckdb", "parquet"]
    assert target.read_bytes() == published
    assert (target.parent / "parquet" / "indicateurs.parquet").exists()
    assert clean_leftovers(target) == []


def test_killed_between_the_two_renames_then_rebuilt(paths):  # noqa: F811
    """Killed after the old Parquet folder was renamed aside and before the new one came in: no
    `parquet/` at all. Cleaning then building gives the whole publication back, nothing else."""
    target = paths["publication"]
    build(paths["warehouse"], target, synthetic=True)
    (target.parent / "parquet").rename(target.parent / ".parquet.old-3badc0de")
    made = [*_leftovers(target.parent), target.parent / ".parquet.old-3badc0de"]
    assert sorted(clean_leftovers(target)) == sorted(made)
    build(paths["warehouse"], target, synthetic=True)
    assert sorted(p.name for p in target.parent.iterdir()) == ["observatoire.duckdb", "parquet"]
    assert not any(p.exists() for p in made)
    with duckdb.connect() as conn:
        parquet = target.parent / "parquet" / "indicateurs.parquet"
        assert conn.sql(f"select count(*) from '{parquet}'").fetchall() == [(11,)]
    with duckdb.connect(str(target), read_only=True) as conn:
        assert conn.sql("select count(*) from publication.indicateurs").fetchall() == [(11,)]
