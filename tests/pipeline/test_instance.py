"""`observatoire run` records into a persistent Dagster instance (what `observatoire ui` shows): the run,
one materialisation per asset, the check results; the pseudonymisation key is never stored there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import pytest
from dagster._serdes import serialize_value

from pipelines.config import Settings
from pipelines.run import open_instance, run_all
from tests.test_definitions import EXPECTED_ASSET_KEYS

#: A key of this test's own, so that finding its text anywhere in the instance means it leaked.
SECRET = "cle-secrete-du-test-instance-7f3a9c"

#: Partitioned by year, run by `observatoire report`, not by `observatoire run`.
PARTITIONED = {"rapport/annuel"}


@pytest.fixture(scope="module")
def recorded(simulated: Path, tmp_path_factory) -> tuple[Settings, str, list[str]]:
    root = tmp_path_factory.mktemp("instance")
    shutil.copytree(simulated, root / "landing", ignore=shutil.ignore_patterns(
        "*.json", "ground_truth.csv", "effet_injecte.csv", "quirks_manifest.csv"))
    settings = Settings(root / "landing", root / "warehouse.duckdb", root / "publication" / "observatoire.duckdb",
                        SECRET, root / "rapports", dagster_home=root / "dagster")
    messages: list[str] = []
    result = run_all(settings, log=messages.append)
    assert result.run_id is not None, messages
    return settings, result.run_id, messages


def test_the_run_is_recorded_as_a_success(recorded):
    settings, run_id, messages = recorded
    with open_instance(settings.instance_home) as instance:
        run = instance.get_run_by_id(run_id)
        assert run is not None
        assert run.status == dg.DagsterRunStatus.SUCCESS
        assert run.job_name == "observatoire_run"
        assert [r.dagster_run.run_id for r in instance.get_run_records()] == [run_id]
    assert any(run_id in m and str(settings.instance_home) in m for m in messages)


def test_each_asset_has_one_materialisation_with_its_metadata(recorded):
    settings, run_id, _ = recorded
    with open_instance(settings.instance_home) as instance:
        events = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records
        keys = sorted(e.event_log_entry.asset_materialization.asset_key.to_user_string() for e in events)
        assert keys == sorted(set(EXPECTED_ASSET_KEYS) - PARTITIONED)
        # what the UI shows on the asset's page: its last materialisation, with the metadata the asset wrote
        latest = instance.get_latest_materialization_event(dg.AssetKey(["raw", "siao"]))
        assert latest is not None and latest.run_id == run_id
        assert latest.asset_materialization.metadata


def test_every_check_result_is_stored(recorded):
    settings, run_id, _ = recorded
    from pipelines.definitions import RUN_JOB, defs

    job = defs.resolve_job_def(RUN_JOB)
    expected = {f"{k.asset_key.to_user_string()}:{k.name}" for k in job.asset_layer.asset_graph.asset_check_keys}
    assert len(expected) > 10
    with open_instance(settings.instance_home) as instance:
        events = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
        evaluations = [r.event_log_entry.dagster_event.event_specific_data for r in events]
        stored = {f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations}
        assert stored == expected
        # and per check, as the asset's "Checks" tab reads it
        some = next(iter(job.asset_layer.asset_graph.asset_check_keys))
        record = instance.get_latest_asset_check_evaluation_record(some)
        assert record is not None and record.run_id == run_id


def test_the_pseudonymisation_key_is_never_stored_in_the_instance(recorded):
    settings, run_id, _ = recorded
    with open_instance(settings.instance_home) as instance:
        run = instance.get_run_by_id(run_id)
        assert SECRET not in json.dumps(run.run_config)
        snapshot = serialize_value(instance.get_job_snapshot(run.job_snapshot_id))
        # the job's configuration names the environment variable, not its value
        assert "OBSERVATOIRE_PSEUDO_KEY" in snapshot
        assert SECRET not in snapshot
    # nor anywhere else in the instance's files (run and event storage, logs)
    for path in settings.instance_home.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
