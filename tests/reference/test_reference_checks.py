"""The checks of the layer `reference` fail when they should: a list of Logement d'abord
territories with a wrong EPCI SIREN, given through the op config or the environment variable."""

import csv
from pathlib import Path

import dagster as dg

from assets.reference.assets import (
    TERRITOIRES_LDA_DEFAULT,
    TERRITOIRES_LDA_ENV,
    TerritoiresLdaConfig,
    communes,
    departements,
    territoires_lda,
)
from assets.reference.checks import (
    DEPARTEMENTS_ATTENDUS,
    REGIONS_ATTENDUES,
    codes_territoires_lda_uniques,
    composantes_perimetres_lda_resolues,
    territoires_lda_ont_des_communes,
)
from pipelines.config import CONFIG_DIR
from pipelines.resources import WarehouseResource

LDA_ASSETS = [
    communes,
    departements,
    territoires_lda,
    territoires_lda_ont_des_communes,
    composantes_perimetres_lda_resolues,
    codes_territoires_lda_uniques,
]


def write_modified_list(path: Path, replacements: dict[str, str]) -> Path:
    """Copy data/config/territoires_lda.csv with some `perimetre` values replaced."""
    with open(CONFIG_DIR / "territoires_lda.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fieldnames = list(rows[0])
    for row in rows:
        row["perimetre"] = replacements.get(row["perimetre"], row["perimetre"])
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    return path


def materialise(tmp_path: Path, run_config: dict | None = None) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        LDA_ASSETS,
        resources={"warehouse": WarehouseResource(database=str(tmp_path / "w.duckdb"))},
        run_config=run_config,
        raise_on_error=False,
    )


def evaluations(result: dg.ExecuteInProcessResult) -> dict:
    return {evaluation.check_name: evaluation for evaluation in result.get_asset_check_evaluations()}


def test_expected_code_lists():
    assert len(DEPARTEMENTS_ATTENDUS) == len(set(DEPARTEMENTS_ATTENDUS)) == 101
    assert len(REGIONS_ATTENDUES) == len(set(REGIONS_ATTENDUES)) == 18


def test_bogus_epci_fails_the_territory_check(tmp_path):
    bogus = write_modified_list(tmp_path / "territoires_lda.csv", {"epci:200040715": "epci:999999999"})
    result = materialise(tmp_path, {"ops": {"territoires_lda": {"config": {"path": str(bogus)}}}})

    checks = evaluations(result)
    check = checks["territoires_lda_ont_des_communes"]
    assert not check.passed
    assert check.metadata["offending_rows"].value == 1
    details = check.metadata["details"].value
    assert "LDA-2018-999999999" in details
    assert "Grenoble-Alpes Métropole" in details
    assert not checks["composantes_perimetres_lda_resolues"].passed
    assert checks["codes_territoires_lda_uniques"].passed


def test_bogus_epci_of_a_joint_candidacy_fails_the_component_check(tmp_path, monkeypatch):
    bogus = write_modified_list(
        tmp_path / "territoires_lda.csv", {"epci:246300701|departement:63": "epci:123456789|departement:63"}
    )
    monkeypatch.setenv(TERRITOIRES_LDA_ENV, str(bogus))
    result = materialise(tmp_path)

    checks = evaluations(result)
    # The département alone gives the territory communes: only the component check sees the error.
    assert checks["territoires_lda_ont_des_communes"].passed
    check = checks["composantes_perimetres_lda_resolues"]
    assert not check.passed
    assert check.metadata["offending_rows"].value == 1
    assert "LDA-2018-123456789" in check.metadata["details"].value
    assert "epci:123456789" in check.metadata["details"].value


def test_duplicate_territory_fails_the_uniqueness_check(tmp_path):
    path = write_modified_list(tmp_path / "territoires_lda.csv", {})
    with open(path, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(["2018", "Mulhouse (doublon)", "commune", "commune:68224", "Grand Est", "68", ""])
    result = materialise(tmp_path, {"ops": {"territoires_lda": {"config": {"path": str(path)}}}})

    check = evaluations(result)["codes_territoires_lda_uniques"]
    assert not check.passed
    assert "LDA-2018-68224" in check.metadata["details"].value


def test_missing_list_fails_the_asset(tmp_path):
    result = materialise(tmp_path, {"ops": {"territoires_lda": {"config": {"path": str(tmp_path / "absent.csv")}}}})
    assert not result.success


def test_config_path_wins_over_environment(monkeypatch):
    monkeypatch.delenv(TERRITOIRES_LDA_ENV, raising=False)
    assert TerritoiresLdaConfig().resolved_path() == TERRITOIRES_LDA_DEFAULT
    monkeypatch.setenv(TERRITOIRES_LDA_ENV, "/from/env.csv")
    assert TerritoiresLdaConfig().resolved_path() == Path("/from/env.csv")
    assert TerritoiresLdaConfig(path="/from/config.csv").resolved_path() == Path("/from/config.csv")
