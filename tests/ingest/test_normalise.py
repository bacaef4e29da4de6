"""Value normalisation: markers, dates, integers, départements, communes, enumerations."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from assets.ingest import normalise as nz
from assets.ingest.validate import validate_file

from .samples import (
    COMMUNES,
    NDLS_HEADER,
    NDLS_ROW,
    OFFRE_HEADER,
    OFFRE_ROW,
    SIAO_HEADER,
    SIAO_ROW,
    SNE_ATTR_HEADER,
    SNE_ATTR_ROW,
    csv_text,
    row,
    write,
)

KEY = "cle-de-test"


def test_missing_markers():
    cells = pl.Series(["", "NR", "nr", "Non renseigné", "NON RENSEIGNE", "NC", "-", "x", "N/A", "--"])
    out = pl.select(nz.null_markers(pl.lit(cells))).to_series().to_list()
    assert out == [None] * 7 + ["x", "N/A", "--"]


def test_dates():
    cells = pl.Series(
        ["02/03/2023", "2/3/2023", "02/03/2023 10:15", "2/3/2023 9:05:59", "2023-03-02", "2023-03-02T10:15:00",
         "2023-03-02 10:15", "31/02/2023", "2023-02-29", "29/02/2024", "02/03/23", "hier", None, "2/3/20231"]
    )
    dates, shape = nz.parse_date(cells)
    d = dt.date(2023, 3, 2)
    assert dates.to_list() == [d] * 7 + [None, None, dt.date(2024, 2, 29), None, None, None, None]
    assert shape.to_list()[7:11] == [True, True, True, False]  # impossible vs unreadable


def test_integers():
    cells = pl.Series(["1", "007", "+2", "1 234", "3,0", "0", "-1", "2.5", "deux", None])
    assert nz.parse_integer(cells, 1).to_list() == [1, 7, 2, 1234, 3, None, None, None, None, None]
    assert nz.parse_integer(cells, 0).to_list()[5] == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", "01"), ("01", "01"), ("9", "09"), ("95", "95"), ("2A", "2A"), ("2b", "2B"), ("971", "971"), ("976", "976"),
     ("20", None), ("96", None), ("00", None), ("977", None), ("975", "975"), ("Ain", None), ("", None)],
)
def test_departement_codes(value, expected):
    assert nz.normalise_departement(value) == expected


def test_commune_codes():
    arr = nz.load_arrondissements()
    assert nz.normalise_commune("1004", COMMUNES, arr) == "01004"  # lost leading zero
    assert nz.normalise_commune("75112", COMMUNES, arr) == "75056"  # Paris 12e
    assert nz.normalise_commune("13208", COMMUNES, arr) == "13055"  # Marseille 8e
    assert nz.normalise_commune("69383", COMMUNES, arr) == "69123"  # Lyon 3e
    assert nz.normalise_commune("2a004", COMMUNES, arr) == "2A004"
    assert nz.normalise_commune("99999", COMMUNES, arr) is None
    assert nz.normalise_commune("75121", COMMUNES, arr) is None


def test_real_cog_communes_are_loaded_as_strings():
    communes = nz.load_communes()
    assert len(communes) > 34_000
    assert {"01004", "2A004", "75056", "97411"} <= communes
    assert "75112" not in communes and "1004" not in communes


def test_enumerations_store_the_canonical_spelling():
    values = pl.Series(["hotel", " HÔTEL ", "Hôtel", "Rue/abri de fortune", "Couple avec enfants", "Palace"])
    out = nz.map_values(values, ["Hôtel", "Rue / abri de fortune", "Couple avec enfant(s)"]).to_list()
    assert out == ["Hôtel", "Hôtel", "Hôtel", "Rue / abri de fortune", "Couple avec enfant(s)", None]


def test_tranche_age():
    ages = pl.Series([-1, 0, 17, 18, 24, 25, 34, 35, 44, 45, 54, 55, 64, 65, 99, None])
    out = pl.select(nz.tranche_age(pl.lit(ages))).to_series().to_list()
    assert out == [None, "<18", "<18", "18-24", "18-24", "25-34", "25-34", "35-44", "35-44", "45-54", "45-54",
                   "55-64", "55-64", "65+", "65+", None]


# ---------------------------------------------------------------------------------------------
# Through validate_file
# ---------------------------------------------------------------------------------------------
def test_value_forms_are_normalised_in_accepted_rows(tmp_path):
    rows = [
        row(SIAO_ROW, **{"Date de la demande": "02/03/2023 14:35", "Département SIAO": "1", "Commune de la demande": "1004"}),
        row(SIAO_ROW, **{"Date de la demande": "2023-03-02", "Commune de la demande": "75112"}),
        row(SIAO_ROW, **{"Commune de la demande": "13208", "Département SIAO": "13", "Type de demande": "urgence"}),
        row(SIAO_ROW, **{"Commune de la demande": "69383", "Situation à la demande": "HOTEL", "Sexe": "f"}),
    ]
    result = validate_file(write(tmp_path / "siao_01_2023-04.csv", csv_text(SIAO_HEADER, rows)), pseudo_key=KEY, communes=COMMUNES)
    assert (result.rows_accepted, result.rows_quarantined) == (4, 0), result.quarantine.to_dicts()
    acc = result.accepted
    assert acc.get_column("request_date").to_list() == [dt.date(2023, 3, 2)] * 4
    assert acc.get_column("departement").to_list() == ["01", "75", "13", "75"]
    assert acc.get_column("commune").to_list() == ["01004", "75056", "13055", "69123"]
    assert acc.get_column("request_type").to_list()[2] == "Urgence"
    assert acc.get_column("situation_at_request").to_list()[3] == "Hôtel"
    assert acc.get_column("sex").to_list()[3] == "F"


def test_sne_and_ndls_codes(tmp_path):
    sne = [row(SNE_ATTR_ROW, commune="13208"), row(SNE_ATTR_ROW, commune="1004", prioritaire_dalo="non")]
    result = validate_file(write(tmp_path / "sne_attributions_2023.csv", csv_text(SNE_ATTR_HEADER, sne)), pseudo_key=KEY, communes=COMMUNES)
    assert result.accepted.get_column("commune").to_list() == ["13055", "01004"]
    assert result.accepted.get_column("dalo_priority").to_list() == [True, False]
    ndls = [row(NDLS_ROW, code_commune="75112"), row(NDLS_ROW, secteur_couvert="Non", personnes="0")]
    result = validate_file(write(tmp_path / "ndls_75056_2023.csv", csv_text(NDLS_HEADER, ndls)), pseudo_key=KEY, communes=COMMUNES)
    assert result.accepted.get_column("commune").to_list() == ["75056", "75056"]
    assert result.accepted.get_column("sector_covered").to_list() == [True, False]
    assert result.commune == "75056" and result.year == 2023


def test_offre_lost_zero(tmp_path):
    rows = [row(OFFRE_ROW, departement="1"), row(OFFRE_ROW, departement="2a", places="1 200")]
    result = validate_file(write(tmp_path / "offre_2023.csv", csv_text(OFFRE_HEADER, rows)), pseudo_key=KEY)
    assert result.accepted.get_column("departement").to_list() == ["01", "2A"]
    assert result.accepted.get_column("places").to_list() == [42, 1200]
