"""`kill -9` of `observatoire run` at different moments of a first and of a later run, then a normal
run: the warehouse and the publication are exactly those of a clean run (every table, load
timestamps aside), and no leftover of the killed runs remains next to the publication.

The kill moments are fractions of the measured duration of a clean run of the same landing folder,
from the start of the process: the first kill falls in a first run (empty warehouse), the second in
the run that follows it (a warehouse half loaded by the killed run). Slow lane (root conftest.py)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
KEY = "cle-de-test-kill"
#: When each killed run is killed, as fractions of a clean run's duration.
KILL_AT = (0.4, 0.6)
#: Columns that are load or build times (or ids of a run), not data: left out of the comparison.
VOLATILE_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S")
#: Derived from load times, so different between two clean runs too: the input version of a model
#: (`meta.versions.version`) hashes `meta.ingest_log` rows with their `ingested_at`; the build date of
#: the publication (`a_propos`, key `date_construction`).
VOLATILE_COLUMNS = {("meta", "versions", "version")}
VOLATILE_ROWS = {"a_propos": "cle <> 'date_construction'"}


def environment(root: Path, landing: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": str(ROOT),
        "OBSERVATOIRE_PSEUDO_KEY": KEY,
        "OBSERVATOIRE_LANDING": str(landing),
        "OBSERVATOIRE_WAREHOUSE": str(root / "entrepot" / "observatoire.duckdb"),
        "OBSERVATOIRE_PUBLICATION": str(root / "publication" / "observatoire.duckdb"),
        "DAGSTER_HOME": str(root / "dagster"),
    })
    return env


def start(root: Path, landing: Path) -> subprocess.Popen:
    (root / "dagster").mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run"], cwd=root, env=environment(root, landing),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def run(root: Path, landing: Path) -> float:
    """A whole run; its duration in seconds."""
    started = time.perf_counter()
    process = start(root, landing)
    out, _ = process.communicate(timeout=600)
    assert process.returncode == 0, out
    return time.perf_counter() - started


def killed(root: Path, landing: Path, after: float) -> bool:
    """A run killed with SIGKILL `after` seconds after its start (the whole process group); False if it
    ended first (a later run has less to do, and the shared machine's load varies)."""
    process = start(root, landing)
    try:
        out, _ = process.communicate(timeout=after)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        assert process.returncode == -signal.SIGKILL
        return True
    assert process.returncode == 0, out
    return False


def tables(database: Path) -> dict[str, list[tuple]]:
    """Every table of a DuckDB file: its rows, sorted, without the timestamp columns."""
    out: dict[str, list[tuple]] = {}
    with duckdb.connect(str(database), read_only=True) as conn:
        names = conn.sql("select schema_name, table_name from duckdb_tables() where database_name = current_database() "
                         "order by all").fetchall()
        for schema, table in names:
            columns = [c for c, t in conn.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = current_database() and table_schema = ? and table_name = ? "
                "order by ordinal_position", [schema, table]).fetchall()
                if t not in VOLATILE_TYPES and not c.endswith("_at") and (schema, table, c) not in VOLATILE_COLUMNS]
            selected = ", ".join(f'"{c}"' for c in columns) or "1"
            where = VOLATILE_ROWS.get(table, "true")
            out[f"{schema}.{table}"] = conn.sql(
                f'select {selected} from "{schema}"."{table}" where {where} order by all').fetchall()
    return out


def parquet_tables(folder: Path) -> dict[str, list[tuple]]:
    """Every Parquet file of the publication: its rows, sorted, without the timestamp columns."""
    out: dict[str, list[tuple]] = {}
    with duckdb.connect() as conn:
        for path in sorted(folder.glob("*.parquet")):
            columns = [c for c, t, *_ in conn.sql(f"describe select * from '{path}'").fetchall()
                       if t not in VOLATILE_TYPES and not c.endswith("_at")]
            selected = ", ".join(f'"{c}"' for c in columns)
            where = VOLATILE_ROWS.get(path.stem, "true")
            out[path.stem] = conn.sql(f"select {selected} from '{path}' where {where} order by all").fetchall()
    return out


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kill") / "landing"
    simulate(out, scale=0.002, seed=7, years=(2023, 2024), quirks=True)
    return out


def test_killed_runs_then_a_normal_run_give_the_clean_result(landing, tmp_path):
    clean, recovered = tmp_path / "propre", tmp_path / "interrompu"
    duration = run(clean, landing)
    kills = [killed(recovered, landing, fraction * duration) for fraction in KILL_AT]
    assert kills[0], "the first run ended before it was killed"
    publication = recovered / "publication"
    publication.mkdir(parents=True, exist_ok=True)
    # what a build killed while swapping leaves, whatever moment the kills above fell on
    (publication / ".observatoire.duckdb.tmp-0badc0de").write_bytes(b"half written")
    (publication / ".parquet.old-1badc0de").mkdir(exist_ok=True)
    run(recovered, landing)
    warehouse = tables(recovered / "entrepot" / "observatoire.duckdb")
    reference = tables(clean / "entrepot" / "observatoire.duckdb")
    assert sorted(warehouse) == sorted(reference)
    for name in reference:
        assert warehouse[name] == reference[name], f"entrepôt, table {name}"
    published = tables(publication / "observatoire.duckdb")
    assert published == tables(clean / "publication" / "observatoire.duckdb")
    assert parquet_tables(publication / "parquet") == parquet_tables(clean / "publication" / "parquet")
    assert sorted(p.name for p in publication.iterdir()) == ["observatoire.duckdb", "parquet"]
    assert len(reference["raw.siao"]) > 1000 and len(published["publication.indicateurs"]) > 100
    shutil.rmtree(tmp_path, ignore_errors=True)
