"""The EPCI level on the hand-made warehouse of conftest.py, with four EPCI added to its reference
tables (as reference.perimetres / reference.territoires build them from the COG):

- 200000001 = {01001, 01002}, inside département 01;
- 200000002 = {01003, 02001}, across départements 01 and 02;
- 200000003 = {02002}, inside 02;
- 200000075 = {75056}, the whole of département 75.

Expected values are recounted here from the hand-made records (conftest.ATTRIBUTIONS, SIAO, OFFRE),
commune by commune, without the pipeline's SQL.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.resources import WarehouseResource
from tests.indicateurs.conftest import ATTRIBUTIONS, COMMUNES, SIAO, write_tables

EPCI = {
    "200000001": ("CC test intérieure", ["01001", "01002"]),
    "200000002": ("CC test à cheval", ["01003", "02001"]),
    "200000003": ("CC test de l'Aisne", ["02002"]),
    "200000075": ("EPCI test Paris", ["75056"]),
}
SANS_DOMICILE = {"Sans abri ou habitat de fortune", "Squat", "Hôtel", "Structure d'hébergement"}


@pytest.fixture(scope="module")
def warehouse_epci(tmp_path_factory) -> Path:
    import assets.indicateurs as indicateurs

    path = tmp_path_factory.mktemp("indicateurs_epci") / "warehouse.duckdb"
    conn = duckdb.connect(str(path))
    write_tables(conn)
    pops = {c[0]: c[3] for c in COMMUNES}
    conn.executemany("insert into reference.perimetres values ('epci', ?, ?)",
                     [(siren, c) for siren, (_, communes) in EPCI.items() for c in communes])
    conn.executemany("insert into reference.territoires values ('epci', ?, ?, null, null, ?, null)",
                     [(siren, nom, sum(pops[c] for c in communes)) for siren, (nom, communes) in EPCI.items()])
    conn.execute("insert into reference.populations select territoire_type, territoire_code, population "
                 "from reference.territoires where territoire_type = 'epci'")
    # the whole départements of every territory, EPCI included (as sql/reference/perimetres_departements.sql)
    conn.execute("""
        create or replace table reference.perimetres_departements as
        with n as (select code_departement, count(*) as n from reference.communes group by all),
        k as (select territoire_type, territoire_code, code_departement, count(*) as k
              from reference.perimetres join reference.communes using (code_commune) group by all)
        select territoire_type, territoire_code, code_departement from k join n using (code_departement)
        where k = n
    """)
    conn.close()
    result = dg.materialize([*indicateurs.ASSETS, *indicateurs.CHECKS],
                            resources={"warehouse": WarehouseResource(database=str(path))})
    assert result.success
    for evaluation in result.get_asset_check_evaluations():
        assert evaluation.passed, evaluation.check_name
    return path


def _rows(path: Path, where: str) -> dict:
    conn = duckdb.connect(str(path), read_only=True)
    rows = conn.execute(
        "select indicateur, territoire_code, periode, valeur, statut, part_non_localisable "
        f"from marts.indicateurs where territoire_type = 'epci' and {where}").fetchall()
    conn.close()
    return {(r[0], r[1], r[2]): r[3:] for r in rows}


def _attr_sd_by_commune(year: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _nur, commune, date_attribution, _depot, _res, situation, asile in ATTRIBUTIONS:
        if commune and date_attribution.startswith(year):
            counts[commune] = counts.get(commune, 0) + (situation in SANS_DOMICILE and not asile)
    return counts


def test_attr_sd_of_an_epci_is_the_sum_over_its_communes(warehouse_epci):
    rows = _rows(warehouse_epci, "indicateur = 'ATTR_SD'")
    for year in ("2023", "2024"):
        by_commune = _attr_sd_by_commune(year)
        for siren, (_, communes) in EPCI.items():
            valeur, statut, _part = rows[("ATTR_SD", siren, year)]
            assert statut == "ok"
            assert valeur == sum(by_commune.get(c, 0) for c in communes), (siren, year)
    # by hand: N1 (01001) and N2 (01002) in the first; N3 not sans domicile and N4 an asylum seeker in
    # the one across 01 and 02; N5 (02002) in the third
    assert [rows[("ATTR_SD", s, "2023")][0] for s in EPCI] == [2, 0, 1, 0]


def test_a_commune_less_attribution_is_non_localisable_not_counted(warehouse_epci):
    """N6 (2023, sans domicile, no commune) is in no EPCI but in each one's part_non_localisable."""
    rows = _rows(warehouse_epci, "indicateur in ('ATTR_SD', 'ATTR_TOT') and periode = '2023'")
    assert sum(rows[("ATTR_TOT", s, "2023")][0] for s in EPCI) == 5  # the 6 attributions of 2023 but N6
    # ATTR_TOT of the EPCI across 01 and 02: N3, N4 (+ N6 non localisable): 1 / 3
    assert rows[("ATTR_SD", "200000002", "2023")][2] == pytest.approx(100 / 3)
    assert rows[("ATTR_SD", "200000003", "2023")][2] == pytest.approx(100 / 2)


def test_siao_request_placed_by_departement_is_non_localisable_for_the_epci(warehouse_epci):
    """U2 (Urgence, Département SIAO 01, no commune) counts in département 01, in no EPCI, and in the
    part_non_localisable of the EPCI touching 01."""
    rows = _rows(warehouse_epci, "indicateur in ('DEM_URG', 'MEN_URG') and periode = '2023'")
    urgences = [r for r in SIAO if r[4] == "Urgence" and r[3].startswith("2023")]
    for siren, (_, communes) in EPCI.items():
        expected = sum(1 for r in urgences if r[5] in communes)
        if siren == "200000075":  # Paris: no SIAO file covers 75, no row
            assert ("DEM_URG", siren, "2023") not in rows
            continue
        assert rows[("DEM_URG", siren, "2023")][:2] == (expected, "ok")
    assert rows[("DEM_URG", "200000001", "2023")][0] == 1  # U1
    assert rows[("DEM_URG", "200000002", "2023")][0] == 3  # Z8 (01003), U3 and U5 (02001)
    assert rows[("MEN_URG", "200000002", "2023")][0] == 3  # M7, M3, M1
    # U2 among the Urgence requests that could belong to them: 1 of 2 (U1, U2) and 1 of 4
    assert rows[("DEM_URG", "200000001", "2023")][2] == pytest.approx(50.0)
    assert rows[("DEM_URG", "200000002", "2023")][2] == pytest.approx(25.0)
    assert rows[("DEM_URG", "200000003", "2023")][2] is None or rows[("DEM_URG", "200000003", "2023")][2] == 0
    conn = duckdb.connect(str(warehouse_epci), read_only=True)
    dep01 = conn.execute("select valeur from marts.indicateurs where indicateur = 'DEM_URG' "
                         "and territoire_type = 'departement' and territoire_code = '01' and periode = '2023'").fetchone()
    conn.close()
    assert dep01 == (3,)  # U1, Z8 and U2 (by its département)


def test_primo_demandeurs_of_an_epci(warehouse_epci):
    """First Urgence request of 2023 of each household: M1 U1 (01001, not primo: U7 588 days before),
    M2 U2 (Département SIAO 01 only), M3 U3 (02001), M7 Z8 (01003, before A9 on the tie by
    département)."""
    rows = _rows(warehouse_epci, "indicateur = 'PRIMO_DEMANDEURS' and periode = '2023'")
    assert rows[("PRIMO_DEMANDEURS", "200000001", "2023")][:2] == (0, "ok")
    assert rows[("PRIMO_DEMANDEURS", "200000002", "2023")][:2] == (2, "ok")  # across 01 and 02
    # M2 (01 only) could belong to both: 1 of 2 and 1 of 3
    assert rows[("PRIMO_DEMANDEURS", "200000001", "2023")][2] == pytest.approx(50.0)
    assert rows[("PRIMO_DEMANDEURS", "200000002", "2023")][2] == pytest.approx(100 / 3)


def test_offer_is_absent_for_every_epci(warehouse_epci):
    rows = _rows(warehouse_epci, "indicateur in ('PLACES_PF', 'PLACES_IML', 'PLACES_HEB', 'TX_EQUIP_LA')")
    assert {(code, periode) for (_, code, periode) in rows} == {(s, "2023") for s in EPCI}  # the offer file's year
    assert all(valeur is None and statut == "absent" for valeur, statut, _ in rows.values())
    conn = duckdb.connect(str(warehouse_epci), read_only=True)
    paris = conn.execute("select valeur, statut from marts.indicateurs where indicateur = 'PLACES_PF' "
                         "and territoire_type = 'departement' and territoire_code = '75' and periode = '2023'").fetchone()
    conn.close()
    assert paris == (0, "ok")  # the same communes as département 75: 0 there, absent for the EPCI


def test_epci_rows_only_where_covered(warehouse_epci):
    """No monthly series and no absent row for the EPCI, but the offer."""
    conn = duckdb.connect(str(warehouse_epci), read_only=True)
    mensuelles = conn.execute("select count(*) from marts.indicateurs where territoire_type = 'epci' "
                              "and length(periode) = 7").fetchone()[0]
    absents = conn.execute("select distinct indicateur, periode from marts.indicateurs where territoire_type = 'epci' "
                           "and statut = 'absent' and source <> 'offre' and (numerateur is null) order by 1, 2").fetchall()
    sne = conn.execute("select distinct periode from marts.indicateurs where territoire_type = 'epci' "
                       "and source = 'sne' order by 1").fetchall()
    libelle = conn.execute("select distinct territoire_libelle from marts.indicateurs "
                           "where territoire_type = 'epci' and territoire_code = '200000002'").fetchall()
    conn.close()
    assert mensuelles == 0
    assert absents == []
    assert sne == [("2023",), ("2024",)]  # the two attribution files
    assert libelle == [("CC test à cheval",)]
