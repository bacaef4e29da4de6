"""A process killed before its checkpoint leaves a WAL that replays offline: the conversion of a raw
table of an earlier version (text pseudonyms) is logged as data, not as an expression whose function
DuckDB would want to download on replay."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

SCRIPT = """
import os, sys, duckdb
from assets.ingest import loader
from assets.ingest.contracts import CONTRACTS
conn = duckdb.connect(sys.argv[1])
conn.execute("create schema raw")
empty = CONTRACTS["siao"].empty_accepted()
conn.execute("create table raw.siao as select * from empty")
for column in loader.pseudonym_fields("siao"):
    conn.execute(f"alter table raw.siao alter column {column} set data type varchar")
conn.execute("insert into raw.siao (menage_id, nur_id) values (repeat('a', 64), repeat('b', 64))")
conn.execute("checkpoint")
conn.execute("set wal_autocheckpoint = '1TB'")
conn.execute("pragma disable_checkpoint_on_shutdown")
loader.ensure_raw_table(conn, "siao")
os._exit(0)  # as a kill -9: no checkpoint, the conversion is only in the WAL
"""


def test_a_wal_left_by_a_killed_conversion_replays_without_any_extension(tmp_path: Path):
    database = tmp_path / "w.duckdb"
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", SCRIPT, str(database)], check=True, cwd=root,
                   env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert Path(f"{database}.wal").exists()
    conn = duckdb.connect(str(database), config={"autoinstall_known_extensions": False,
                                                 "autoload_known_extensions": False})
    rows = conn.execute("select typeof(menage_id), menage_id, nur_id from raw.siao").fetchall()
    assert rows == [("UHUGEINT", int("a" * 32, 16), int("b" * 32, 16))]
