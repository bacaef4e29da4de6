"""Measurement (d): rebuild the indicators only, on an existing warehouse.

Materialises, in process like `observatoire run`, the assets of the group `indicateurs`
(`intermediate.*` and `marts.*` up to `marts.indicateurs`) and nothing else: no ingestion, no
staging, no publication. The versions and fingerprints the models recorded are forgotten first, so
that every model is rebuilt whole (`--keep-versions`: measure a run that skips what did not change).

    OBSERVATOIRE_PSEUDO_KEY=… python benchmarks/indicateurs.py --warehouse FILE [--landing DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.config import Settings
from pipelines.definitions import build_definitions
from pipelines.resources import shared_connections


def forget_versions(warehouse: Path) -> None:
    """Forget the recorded versions (meta.versions) and fingerprints (meta.empreintes) of the models."""
    conn = duckdb.connect(str(warehouse))
    for table in ("meta.versions", "meta.empreintes"):
        schema, name = table.split(".")
        if conn.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                        [schema, name]).fetchall()[0][0]:
            conn.execute(f"delete from {table} where modele like 'intermediate.%' or modele like 'marts.%'")
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--landing", type=Path, default=None)
    parser.add_argument("--group", default="indicateurs")
    parser.add_argument("--keep-versions", action="store_true")
    args = parser.parse_args()
    if not args.keep_versions:
        forget_versions(args.warehouse)
    settings = Settings.from_env(warehouse=args.warehouse, landing=args.landing)
    defs = build_definitions(settings)
    graph = defs.resolve_asset_graph()
    keys = sorted(
        (k for k in graph.get_all_asset_keys() if graph.get(k).group_name == args.group),
        key=lambda k: k.to_user_string(),
    )
    print(f"{len(keys)} assets du groupe {args.group}", flush=True)
    job = defs.resolve_implicit_global_asset_job_def()
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    started = time.perf_counter()
    with shared_connections():  # as `observatoire run`: one warehouse connection for the run
        result = job.execute_in_process(
            instance=dg.DagsterInstance.ephemeral(), asset_selection=keys, raise_on_error=False, run_config=quiet
        )
    print(f"{time.perf_counter() - started:.1f} s, succès : {result.success}")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
