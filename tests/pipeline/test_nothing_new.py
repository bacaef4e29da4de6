"""`observatoire run` with nothing new (issue 14, target (f) ≤ 5 s): no asset runs, the publication file is
left as it is (same bytes, same modification time), the run is still recorded in the Dagster instance and
says so; anything a run reads that changes (a landing file, the key, the day, an output touched by hand)
makes the next run do its work."""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from pipelines import run_state
from pipelines.config import Settings
from pipelines.definitions import RUN_JOB
from pipelines.run import NOTHING_NEW_JOB, open_instance, run_all


def _files(folder: Path) -> dict[str, tuple[str, int]]:
    """Content hash and modification time of every file of the publication folder."""
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_runs(simulated: Path, tmp_path_factory):
    root = tmp_path_factory.mktemp("rien_de_nouveau")
    shutil.copytree(simulated, root / "landing", ignore=shutil.ignore_patterns(
        "*.json", "ground_truth.csv", "effet_injecte.csv", "quirks_manifest.csv"))
    settings = Settings(root / "landing", root / "warehouse.duckdb", root / "publication" / "observatoire.duckdb",
                        "cle-du-test-rien-de-nouveau", root / "rapports", dagster_home=root / "dagster")
    first = run_all(settings, log=lambda _m: None)
    assert first.success and not first.nothing_new, first.errors
    published = _files(settings.publication.parent)
    warehouse = settings.warehouse.stat().st_mtime_ns
    messages: list[str] = []
    second = run_all(settings, log=messages.append)
    return settings, first, second, messages, published, warehouse


def test_a_second_run_with_nothing_new_rebuilds_nothing_and_says_so(two_runs):
    settings, first, second, messages, published, warehouse = two_runs
    assert second.success and second.nothing_new
    assert _files(settings.publication.parent) == published  # same bytes, same mtime, Parquet copies too
    assert settings.warehouse.stat().st_mtime_ns == warehouse
    assert any("rien de nouveau" in m and first.run_id in m and "fichier de publication inchangé" in m
               and str(settings.publication) in m for m in messages), messages
    with open_instance(settings.instance_home) as instance:
        runs = {r.dagster_run.run_id: r.dagster_run for r in instance.get_run_records()}
        assert set(runs) == {first.run_id, second.run_id}
        assert runs[first.run_id].job_name == RUN_JOB
        assert runs[second.run_id].job_name == NOTHING_NEW_JOB
        assert runs[second.run_id].status == dg.DagsterRunStatus.SUCCESS
        # no asset materialised by the second run
        materialised = dg.DagsterEventType.ASSET_MATERIALIZATION
        assert not instance.get_records_for_run(second.run_id, of_type=materialised).records


def test_what_a_run_reads_is_in_the_fingerprint(two_runs, tmp_path: Path):
    settings = two_runs[0]
    today = date(2026, 12, 6)
    base = run_state.input_fingerprint(settings, today)
    assert run_state.input_fingerprint(settings, today) == base
    assert run_state.input_fingerprint(settings, date(2026, 12, 7)) != base  # files refused by month, dated targets
    other_key = Settings(settings.landing, settings.warehouse, settings.publication, "une-autre-cle",
                         settings.rapports, dagster_home=settings.dagster_home)
    assert run_state.input_fingerprint(other_key, today) != base
    landing = tmp_path / "landing"
    shutil.copytree(settings.landing, landing, copy_function=shutil.copy2)
    copied = Settings(landing, settings.warehouse, settings.publication, settings.pseudo_key, settings.rapports,
                      dagster_home=settings.dagster_home)
    reference = run_state.input_fingerprint(copied, today)
    some = next(landing.joinpath("siao").glob("siao_*.csv"))
    stat = some.stat()
    os.utime(some, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # re-deposited: may differ
    assert run_state.input_fingerprint(copied, today) != reference
    os.utime(some, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert run_state.input_fingerprint(copied, today) == reference
    (landing / "siao" / "siao_75_2025-13.csv").write_text("x\n", encoding="utf-8")  # even a file the loader refuses
    assert run_state.input_fingerprint(copied, today) != reference


def test_an_output_touched_since_the_last_run_means_work_to_do(two_runs):
    settings = two_runs[0]
    fingerprint = run_state.input_fingerprint(settings)
    assert run_state.last_run(settings, fingerprint) is not None
    assert run_state.last_run(settings, "une autre empreinte") is None
    stat = settings.publication.stat()
    os.utime(settings.publication, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    try:
        assert run_state.last_run(settings, fingerprint) is None
    finally:
        os.utime(settings.publication, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert run_state.last_run(settings, fingerprint) is not None
    # the leftover of an interrupted build beside the publication file: a run must remove it
    leftover = settings.publication.parent / ".observatoire.duckdb.tmp-0badc0de"
    leftover.write_bytes(b"half written")
    try:
        assert run_state.last_run(settings, fingerprint) is None
    finally:
        leftover.unlink()
    assert run_state.last_run(settings, fingerprint) is not None
    # a file beside the warehouse that is not one of its own (a log) changes nothing
    (settings.warehouse.parent / "journal.txt").write_text("x", encoding="utf-8")
    assert run_state.last_run(settings, fingerprint) is not None
