"""Measurement (d): rebuild the indicators only, on an existing warehouse.

Materialises, in process like `observatoire run`, the assets of the group `indicateurs`
(`intermediate.*` and `marts.*` up to `marts.indicateurs`) and nothing else: no ingestion, no
staging, no publication.

    OBSERVATOIRE_PSEUDO_KEY=… python benchmarks/indicateurs.py --warehouse FILE [--landing DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import dagster as dg

from pipelines.config import Settings
from pipelines.definitions import build_definitions


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--landing", type=Path, default=None)
    parser.add_argument("--group", default="indicateurs")
    args = parser.parse_args()
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
    result = job.execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), asset_selection=keys, raise_on_error=False, run_config=quiet
    )
    print(f"{time.perf_counter() - started:.1f} s, succès : {result.success}")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
