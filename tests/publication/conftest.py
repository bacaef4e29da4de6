"""Fixtures of the tests of the layer `publication`: small hand-made `marts.indicateurs` tables in
a temporary DuckDB file, with a tiny `reference.departements` (région R1 = départements A, B, C, D;
région R2 = département E), so that the suppressed cells are known and written in each test."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

DEPARTEMENTS = [("A", "R1"), ("B", "R1"), ("C", "R1"), ("D", "R1"), ("E", "R2")]


def row(indicateur, territoire, periode="2024", valeur=None, numerateur=None, denominateur=None, statut="ok"):
    """One row of marts.indicateurs; `territoire` is (type, code). A count's numerateur = valeur."""
    territoire_type, territoire_code = territoire
    if numerateur is None and denominateur is None and valeur is not None and statut == "ok":
        numerateur = valeur
    return (
        indicateur,
        territoire_type,
        territoire_code,
        territoire_code,
        periode,
        valeur,
        numerateur,
        denominateur,
        statut,
        "test",
        None,
    )


def dep(code):
    return ("departement", code)


def reg(code):
    return ("region", code)


FR = ("france", "FR")
LDA = ("groupe", "LDA")
HORS_LDA = ("groupe", "HORS_LDA")


def make_warehouse(path: Path, rows: list[tuple], departements=DEPARTEMENTS) -> Path:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema if not exists marts").fetchall()
        conn.execute("create schema if not exists reference").fetchall()
        conn.execute(
            "create or replace table marts.indicateurs (indicateur varchar, territoire_type varchar, "
            "territoire_code varchar, territoire_libelle varchar, periode varchar, valeur double, "
            "numerateur double, denominateur double, statut varchar, source varchar, part_non_localisable double)"
        ).fetchall()
        conn.executemany("insert into marts.indicateurs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute(
            "create or replace table reference.departements (code_departement varchar, code_region varchar)"
        ).fetchall()
        conn.executemany("insert into reference.departements values (?, ?)", departements)
    return path


@pytest.fixture
def warehouse(tmp_path):
    """A factory: warehouse(rows) → path of a DuckDB file holding marts.indicateurs = rows."""

    def factory(rows: list[tuple], name: str = "w.duckdb", **kwargs) -> Path:
        return make_warehouse(tmp_path / name, rows, **kwargs)

    return factory
