"""The asset checks of marts.indicateurs pass on the hand-made warehouse and fail on a corrupted copy."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from assets.indicateurs.checks import CHECKS, cle_unique, codes_du_catalogue, taux_entre_0_et_100, valeur_nulle_ssi_absent
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


@pytest.mark.parametrize("check", CHECKS)
def test_checks_pass(check, copy):
    assert _run(check, copy).passed


def test_duplicate_key_fails(copy):
    result = _run(cle_unique, copy, "insert into marts.indicateurs select * from marts.indicateurs limit 1")
    assert not result.passed and result.metadata["lignes en erreur"].value == 1


def test_code_outside_catalogue_fails(copy):
    assert not _run(codes_du_catalogue, copy, "update marts.indicateurs set indicateur = 'INCONNU' "
                                              "where indicateur = 'ATTR_SD'").passed


def test_catalogue_code_without_rows_fails(copy):
    assert not _run(codes_du_catalogue, copy, "delete from marts.indicateurs where indicateur = 'PLACES_PF'").passed


def test_rate_above_100_fails(copy):
    assert not _run(taux_entre_0_et_100, copy, "update marts.indicateurs set valeur = 150 "
                                               "where indicateur = 'TX_ATTR_SD' and statut = 'ok'").passed


def test_null_value_with_ok_status_fails(copy):
    assert not _run(valeur_nulle_ssi_absent, copy, "update marts.indicateurs set valeur = null "
                                                   "where indicateur = 'ATTR_SD' and statut = 'ok'").passed
