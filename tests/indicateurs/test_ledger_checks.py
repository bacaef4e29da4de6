"""The asset checks of section G (the monthly ledger's identity, stocks never negative) pass on the
hand-made warehouse, where the ledger has covered months with households, and fail on a broken copy."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from assets.indicateurs.checks import ledger_identite, ledger_stock_positif
from pipelines.resources import WarehouseResource


@pytest.fixture()
def copy(warehouse, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copy(warehouse, path)
    return path


def _run(check, path, corruption: str | None = None):
    if corruption:
        conn = duckdb.connect(str(path))
        conn.execute(corruption)
        conn.close()
    return check(warehouse=WarehouseResource(database=str(path)))


def test_the_ledger_has_covered_months_with_households(warehouse):
    conn = duckdb.connect(str(warehouse), read_only=True)
    # 01 has files for January and February 2023: February is its only month of the ledger in 2023;
    # at its end M1 (admitted 10/02), M2 (request 15/01, placed by its Département SIAO), M4, M5 and M6 are
    # active in 01; M3 and M7 are placed in 02, which has no file for February
    assert conn.execute("select valeur from marts.indicateurs where indicateur = 'ACTIFS' "
                        "and territoire_code = '01' and periode = '2023-02'").fetchall() == [(5.0,)]
    assert conn.execute("select statut from marts.indicateurs where indicateur = 'ACTIFS' "
                        "and territoire_code = '02' and periode = '2023-03'").fetchall() == [("absent",)]
    conn.close()


@pytest.mark.parametrize("check", [ledger_identite, ledger_stock_positif])
def test_checks_pass(check, copy):
    assert _run(check, copy).passed


def test_identity_fails_when_a_flow_is_wrong(copy):
    result = _run(ledger_identite, copy, "update marts.indicateurs set valeur = valeur + 1 "
                                         "where indicateur = 'SORTIES_INACTIVITE' and territoire_code = '84' "
                                         "and periode = '2023-02'")
    assert not result.passed and result.metadata["lignes en erreur"].value == 1


def test_identity_fails_when_the_balance_is_wrong(copy):
    result = _run(ledger_identite, copy, "update marts.indicateurs set valeur = valeur + 1 "
                                         "where indicateur = 'SOLDE_ACTIFS' and territoire_code = 'FR' "
                                         "and periode = '2023-02'")
    assert not result.passed and result.metadata["lignes en erreur"].value == 1


def test_identity_fails_when_a_code_of_a_month_is_missing(copy):
    assert not _run(ledger_identite, copy, "delete from marts.indicateurs where indicateur = 'TRANSFERTS_ENTRANTS' "
                                           "and territoire_code = '01' and periode = '2023-02'").passed


def test_negative_stock_fails(copy):
    result = _run(ledger_stock_positif, copy, "update marts.indicateurs set valeur = -1 "
                                              "where indicateur = 'ACTIFS_DEBUT' and territoire_code = '01' "
                                              "and periode = '2023-02'")
    assert not result.passed and result.metadata["lignes en erreur"].value == 1
