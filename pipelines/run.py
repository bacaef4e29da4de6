"""Run every asset of the code location in process (what `observatoire run` and `demo` do)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import dagster as dg

from pipelines.config import Settings
from pipelines.resources import shared_connections


#: The job `run_all` executes: every unpartitioned asset and its checks.
RUN_JOB = "observatoire_run"


@dataclass
class RunResult:
    success: bool
    errors: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)


SLOWEST_STEPS = 12


def step_durations(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    """Seconds from the start to the end of each step of a run (from the instance's step stats)."""
    return {
        stats.step_key: stats.end_time - stats.start_time
        for stats in instance.get_run_step_stats(run_id)
        if stats.start_time is not None and stats.end_time is not None
    }


def run_all(settings: Settings, log: Callable[[str], None] = print) -> RunResult:
    """Materialise all assets (and run their checks) with resources built from `settings`."""
    from pipelines.definitions import build_definitions

    defs = build_definitions(settings)
    graph = defs.resolve_asset_graph()
    # Partitioned assets (the annual report, one partition per year) are left out: they run by
    # partition (`observatoire report`, the yearly schedule), not in the whole-pipeline run.
    keys = sorted((k for k in graph.get_all_asset_keys() if graph.get(k).partitions_def is None),
                  key=lambda k: k.to_user_string())
    log(f"{len(keys)} assets à matérialiser")
    job = dg.Definitions.merge(
        defs, dg.Definitions(jobs=[dg.define_asset_job(RUN_JOB, selection=dg.AssetSelection.assets(*keys))])
    ).resolve_job_def(RUN_JOB)
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    instance = dg.DagsterInstance.ephemeral()
    with shared_connections():  # one warehouse connection for the whole run, not one per asset
        result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=quiet)
    errors = [
        f"{e.step_key}: {e.event_specific_data.error.message.strip()}"  # type: ignore[union-attr]
        for e in result.all_events
        if e.event_type == dg.DagsterEventType.STEP_FAILURE
    ]
    evaluations = [ev for ev in result.get_asset_check_evaluations() if not ev.passed]
    failed = [f"{ev.asset_key.to_user_string()}:{ev.check_name}" for ev in evaluations
              if ev.severity == dg.AssetCheckSeverity.ERROR]
    warnings = [f"{ev.asset_key.to_user_string()}:{ev.check_name}" for ev in evaluations
                if ev.severity != dg.AssetCheckSeverity.ERROR]
    materialised = {
        e.asset_key.to_user_string() for e in result.all_events if e.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION
    }
    log(f"{len(materialised)} assets matérialisés, {len(errors)} en échec")
    durations = step_durations(instance, result.run_id)
    slowest = sorted(durations.items(), key=lambda kv: -kv[1])[:SLOWEST_STEPS]
    log("étapes les plus longues : " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in slowest))
    for check in failed:
        log(f"contrôle en échec : {check}")
    for check in warnings:
        log(f"avertissement (contrôle non bloquant, défaut signalé dans les données) : {check}")
    return RunResult(result.success and not errors, errors, failed)
