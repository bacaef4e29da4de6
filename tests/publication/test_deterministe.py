"""Two builds from scratch of the same landing folder (same pseudonymisation key) give the same
publication file, table by table: the same rows, in the same order, with the same suppressed
cells. Only the build and load times differ (`a_propos.date_construction`, `qualite.ingested_at`,
`qualite_controles.run_at`)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from assets.diffusion.fichier import TABLES
from pipelines.config import Settings
from pipelines.run import run_all
from pipelines.simulate import simulate

#: Columns that hold the time of a build or of a load, not data.
TIME_COLUMNS = {"qualite": ("ingested_at",), "qualite_controles": ("run_at",)}


def table_rows(path: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as conn:
        columns = [
            c for (c,) in conn.sql(
                "select column_name from information_schema.columns where table_schema = 'publication' "
                "and table_name = $t order by ordinal_position", params={"t": table},
            ).fetchall()
            if c not in TIME_COLUMNS.get(table, ())
        ]
        query = "select " + ", ".join(f'"{c}"' for c in columns) + f" from publication.{table}"
        if table == "a_propos":
            query += " where cle <> 'date_construction'"
        return conn.sql(query).fetchall()


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("deterministe")
    landing = root / "landing"
    simulate(landing, scale=0.002, seed=7, years=(2024, 2024), quirks=False)
    files = []
    for name in ("a", "b"):
        settings = Settings(landing=landing, warehouse=root / name / "w.duckdb",
                            publication=root / name / "observatoire.duckdb", pseudo_key="cle-de-test",
                            rapports=root / name / "rapports")
        result = run_all(settings, log=lambda _message: None)
        assert result.success, result.errors
        files.append(settings.publication)
    return files[0], files[1]


def test_two_builds_publish_the_same_content(two_builds):
    first, second = two_builds
    for table in TABLES:
        rows_a, rows_b = table_rows(first, table), table_rows(second, table)
        assert rows_a == rows_b, f"publication.{table} differs between two builds of the same files"
    # The comparison is not vacuous: the file holds suppressed cells in both tables the secondary
    # suppression works on.
    with duckdb.connect(str(first), read_only=True) as conn:
        secret_indicateurs = conn.sql("select count(*) from publication.indicateurs where statut = 'secret'").fetchall()
        secret_parcours = conn.sql("select count(*) from publication.parcours_siao where statut = 'secret'").fetchall()
    assert secret_indicateurs[0][0] > 0 and secret_parcours[0][0] > 0
