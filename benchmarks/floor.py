"""The floor (a): DuckDB reads every landing CSV file once into a count, nothing else.

One `read_csv([...])` per file kind (the files of a kind share their header), every column as
text, the dialect given (no sniffing per file). What any ingestion has to pay at least.

    python benchmarks/floor.py LANDING_DIR
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


def main(landing: Path) -> None:
    conn = duckdb.connect(":memory:")
    files = sorted(p for p in landing.glob("*/*.csv"))
    total_rows = 0
    for kind, pattern in KINDS.items():
        paths = [str(p) for p in files if pattern.match(p.name)]
        if not paths:
            continue
        started = time.perf_counter()
        rows = conn.execute(
            "select count(*) from read_csv($files, delim = ';', header = true, all_varchar = true, "
            "union_by_name = false, quote = '\"', escape = '\"', strict_mode = false, null_padding = true)",
            {"files": paths},
        ).fetchall()[0][0]
        total_rows += rows
        print(f"{kind}: {len(paths)} fichiers, {rows} lignes, {time.perf_counter() - started:.1f} s", flush=True)
    print(f"total: {len(files)} fichiers, {total_rows} lignes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
