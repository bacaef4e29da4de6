"""The Dagster code location of the observatory (loaded by `dagster dev -w workspace.yaml`).

Each layer package (`assets.reference`, `assets.ingest`, …) exposes `ASSETS`, `CHECKS`,
`SENSORS`, `SCHEDULES` and `JOBS` lists; this module only assembles them, applies the
shared resources and is the single entry point used by `observatoire run` too.
"""

from __future__ import annotations

import importlib

import dagster as dg

from pipelines.config import Settings
from pipelines.resources import default_resources
from pipelines.run import nothing_new_job

LAYERS = ("assets.reference", "assets.ingest", "assets.barometre", "assets.indicateurs", "assets.evaluation", "assets.publication", "assets.diffusion",
          "assets.rapport")


def _collect(name: str) -> list:
    items: list = []
    for layer in LAYERS:
        module = importlib.import_module(layer)
        items.extend(getattr(module, name, []))
    return items


#: The job of `observatoire run` and `observatoire demo`: every unpartitioned asset and its checks.
RUN_JOB = "observatoire_run"


def run_job(assets: list) -> dg.UnresolvedAssetJobDefinition:
    """`observatoire_run`: the partitioned assets (the annual report, one partition per year) are left out,
    they run by partition (`observatoire report`, the yearly schedule)."""
    partitioned = [key for asset in assets if isinstance(asset, dg.AssetsDefinition) and asset.partitions_def is not None
                   for key in asset.keys]
    return dg.define_asset_job(
        RUN_JOB,
        selection=dg.AssetSelection.all() - dg.AssetSelection.assets(*partitioned),
        description="Ce que font `observatoire run` et `observatoire demo` : tous les assets non partitionnés et leurs contrôles.",
    )


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    assets = _collect("ASSETS")
    return dg.Definitions(
        assets=assets,
        asset_checks=_collect("CHECKS"),
        sensors=_collect("SENSORS"),
        schedules=_collect("SCHEDULES"),
        jobs=[*_collect("JOBS"), run_job(assets), nothing_new_job],
        resources=default_resources(settings),
        # DuckDB allows one writing process: assets run one after the other in one process.
        executor=dg.in_process_executor,
    )


defs = build_definitions()
