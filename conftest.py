"""Root of the test suite: the test lanes.

`pytest -m "not slow"` (`make test`) is the fast lane; `pytest` (`make test-all`, what CI runs) runs
everything. The slow tests are declared here, by module or by test id, rather than marked in each file:
the tests that run the whole pipeline on generated data (`run_all`) or drive a browser (Chromium)."""

from __future__ import annotations

import pytest

#: Test modules (paths from the repository root) or test ids (`path::name`) of the slow lane.
SLOW = (
    "tests/pipeline/test_instance.py",  # a whole `observatoire run` into a Dagster instance
    "tests/ingest/test_kill_recovery.py",  # `observatoire run` killed twice (kill -9), then a clean run: 4 runs
    "tests/rapport/test_rapport.py",  # the whole pipeline, then the report printed to PDF by Chromium
    "tests/rapport/test_commande_asset.py",  # report assets and command, PDF by Chromium
    "tests/app/test_browser.py",  # the observatory driven in Chromium (Playwright)
    "tests/publication/test_deterministe.py",  # the whole pipeline built twice
    # measured the slowest of the fast lane at the end of stop 22 (--durations): 10 to 48 s each
    "tests/ingest/test_generated_files.py::test_files_read_in_parts_give_the_same_results",  # every file twice
    "tests/indicateurs/test_contributions.py::test_incremental_rebuilds_equal_the_reference_and_a_full_rebuild",
    "tests/indicateurs/test_menages.py::test_a_changed_departement_recomputes_its_households_only",
    "tests/indicateurs/test_ledger_incremental.py",  # section G rebuilt household by household vs whole
    "tests/evaluation/test_recovery.py",  # the generator's scenario through the whole evaluation
    "tests/indicateurs/test_ground_truth.py",  # generated landing folder, pipeline, every truth value
    "tests/indicateurs/test_ground_truth_epci.py",  # the same at EPCI level
    "tests/pipeline/test_nothing_new.py",  # two whole `observatoire run`
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        if module in SLOW or any(item.nodeid.startswith(f"{slow}::") or item.nodeid == slow
                                 for slow in SLOW if "::" in slow):
            item.add_marker(pytest.mark.slow)
