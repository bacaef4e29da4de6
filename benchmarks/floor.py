"""The floor (a): DuckDB reads every landing CSV file once into a count, nothing else.

One `read_csv([...])` per file kind (the files of a kind share their header), every column as
text, the dialect given (no sniffing per file). What any ingestion has to pay at least.
With `--write DB` (a'), the rows are also written into a table of a DuckDB file (`create table
<kind> as select * from read_csv(...)`, every column as text, DuckDB's memory limited to 2 GB as
the pipeline's): what any ingestion into a warehouse table has to pay at least.

    python benchmarks/floor.py LANDING_DIR [--write DB]
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import duckdb

KINDS = {
    "siao": re.compile(r"^siao_.*\.csv$"),
    "sne_attributions": re.compile(r"^sne_attributions_.*\.csv$"),
    "sne_demandes": re.compile(r"^sne_demandes_.*\.csv$"),
    "ndls": re.compile(r"^ndls_.*\.csv$"),
    "offre": re.compile(r"^offre_.*\.csv$"),
}


def main(landing: Path, write: Path | None = None) -> None:
    if write is not None:
        for path in (write, Path(f"{write}.wal")):
            path.unlink(missing_ok=True)
    conn = duckdb.connect(str(write) if write is not None else ":memory:")
    if write is not None:
        conn.execute("set memory_limit = '2GB'")
    files = sorted(p for p in landing.glob("*/*.csv"))
    total_rows = 0
    for kind, pattern in KINDS.items():
        paths = [str(p) for p in files if pattern.match(p.name)]
        if not paths:
            continue
        started = time.perf_counter()
        reading = ("read_csv($files, delim = ';', header = true, all_varchar = true, union_by_name = false, "
                   "quote = '\"', escape = '\"', strict_mode = false, null_padding = true)")
        if write is None:
            rows = conn.execute(f"select count(*) from {reading}", {"files": paths}).fetchall()[0][0]
        else:
            conn.execute(f"create table {kind} as select * from {reading}", {"files": paths}).fetchall()
            rows = conn.execute(f"select count(*) from {kind}").fetchall()[0][0]
        total_rows += rows
        print(f"{kind}: {len(paths)} fichiers, {rows} lignes, {time.perf_counter() - started:.1f} s", flush=True)
    print(f"total: {len(files)} fichiers, {total_rows} lignes")


if __name__ == "__main__":
    args = sys.argv[1:]
    target = Path(args[args.index("--write") + 1]) if "--write" in args else None
    main(Path(args[0]), target)
