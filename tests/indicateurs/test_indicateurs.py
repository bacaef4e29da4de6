"""Every indicator of the catalogue on the hand-made warehouse of conftest.py; each expected value is
computed by hand from the records listed there (comments give the arithmetic)."""

from __future__ import annotations

import polars as pl
import pytest

from assets.indicateurs.assets import CATALOGUE_PATH
from tests.indicateurs.conftest import LDA

CODES = pl.read_csv(CATALOGUE_PATH, infer_schema=False)["code"].to_list()


@pytest.fixture(scope="module")
def value(rows):
    def _value(code: str, ttype: str, tcode: str, periode: str):
        return rows[(code, ttype, tcode, periode)]["valeur"]
    return _value


@pytest.fixture(scope="module")
def row(rows):
    def _row(code: str, ttype: str, tcode: str, periode: str) -> dict:
        return rows[(code, ttype, tcode, periode)]
    return _row


def test_every_catalogue_code_has_rows_and_no_other(rows):
    assert {k[0] for k in rows} == set(CODES)
    # 26 codes + TX_ATTR_SD_RES_<R> for the 5 réservataires + the 15 codes of section G (10 of the monthly
    # ledger, 5 of episodes and returns)
    assert len(CODES) == 46


def test_territoire_libelle_and_columns(row):
    r = row("ATTR_TOT", "region", "84", "2023")
    assert r["territoire_libelle"] == "Auvergne-Rhône-Alpes"
    assert set(r) == {"indicateur", "territoire_type", "territoire_code", "territoire_libelle", "periode", "valeur",
                      "numerateur", "denominateur", "statut", "source", "part_non_localisable"}
    assert r["source"] == "sne"


# ------------------------------------------------------------------ A. SNE
def test_attr_tot(value):
    # 2023: 01 ← N1, N2, N3; 02 ← N4, N5; N6 has no commune (non localisable everywhere)
    assert value("ATTR_TOT", "departement", "01", "2023") == 3
    assert value("ATTR_TOT", "departement", "02", "2023") == 2
    assert value("ATTR_TOT", "region", "84", "2023") == 5
    assert value("ATTR_TOT", "france", "FR", "2023") == 5
    assert value("ATTR_TOT", "territoire_lda", LDA, "2023") == 2
    assert value("ATTR_TOT", "groupe", "HORS_LDA", "2023") == 3
    assert value("ATTR_TOT", "departement", "75", "2023") == 0  # national file: covered, nothing found


def test_attr_sd(value, row):
    # sans domicile: N1 (Squat), N2 (Hôtel), N5 (Structure); N4 is an asylum seeker, N3 housed
    assert value("ATTR_SD", "departement", "01", "2023") == 2
    assert value("ATTR_SD", "departement", "02", "2023") == 1
    assert value("ATTR_SD", "france", "FR", "2023") == 3
    assert value("ATTR_SD", "groupe", "LDA", "2023") == 2
    assert value("ATTR_SD", "departement", "01", "2024") == 1  # N7
    # the record without commune: 1 of the 6 attributions of 2023 for France
    assert row("ATTR_SD", "france", "FR", "2023")["part_non_localisable"] == pytest.approx(100 * 1 / 6)
    assert row("ATTR_SD", "departement", "01", "2023")["part_non_localisable"] == pytest.approx(100 * 1 / 4)


def test_sne_not_covered_is_absent(row):
    r = row("ATTR_SD", "departement", "01", "2022")  # no sne_attributions_2022.csv
    assert r["statut"] == "absent" and r["valeur"] is None and r["numerateur"] is None


def test_attr_sd_pers(row):
    r = row("ATTR_SD_PERS", "departement", "01", "2023")
    assert r["valeur"] == pytest.approx(2 * 2.2)
    assert r["numerateur"] == 2


def test_tx_attr_sd(value, row):
    assert value("TX_ATTR_SD", "departement", "01", "2023") == pytest.approx(100 * 2 / 3)
    assert value("TX_ATTR_SD", "departement", "02", "2023") == pytest.approx(50.0)
    # région: recomputed from summed numerators and denominators (3 / 5), not the mean of 66.7 and 50
    r = row("TX_ATTR_SD", "region", "84", "2023")
    assert (r["valeur"], r["numerateur"], r["denominateur"]) == (pytest.approx(60.0), 3, 5)
    # no attribution in 02 in 2024: denominator 0 → absent, while the count is 0
    assert row("TX_ATTR_SD", "departement", "02", "2024")["statut"] == "absent"
    assert value("ATTR_TOT", "departement", "02", "2024") == 0


def test_tx_attr_sd_res_etat(value):
    assert value("TX_ATTR_SD_RES_ETAT", "departement", "01", "2023") == pytest.approx(100.0)  # N1, N2
    assert value("TX_ATTR_SD_RES_ETAT", "departement", "02", "2023") == pytest.approx(0.0)  # N4 (asylum)
    assert value("TX_ATTR_SD_RES_ETAT", "region", "84", "2023") == pytest.approx(100 * 2 / 3)


def test_tx_attr_sd_res_al(value, row):
    assert value("TX_ATTR_SD_RES_AL", "departement", "01", "2023") == pytest.approx(0.0)  # N3, 0 / 1
    assert row("TX_ATTR_SD_RES_AL", "departement", "02", "2023")["statut"] == "absent"  # 0 / 0


def test_tx_attr_sd_res_coll(value, row):
    assert value("TX_ATTR_SD_RES_COLL", "departement", "01", "2024") == pytest.approx(100.0)  # N7
    assert row("TX_ATTR_SD_RES_COLL", "departement", "01", "2023")["statut"] == "absent"


def test_tx_attr_sd_res_bailleur(value):
    assert value("TX_ATTR_SD_RES_BAILLEUR", "departement", "02", "2023") == pytest.approx(100.0)  # N5


def test_tx_attr_sd_res_autre(row):
    # the only "Autre" attribution (N6) has no commune: denominator 0 everywhere, even for France
    assert row("TX_ATTR_SD_RES_AUTRE", "france", "FR", "2023")["statut"] == "absent"
    assert row("TX_ATTR_SD_RES_AUTRE", "france", "FR", "2023")["denominateur"] == 0


def test_delai_attr_sd_lower_median_even(row):
    # 01 in 2023: N1 59 days, N2 31 days → lower median of (31, 59) = 31, over 2 cases
    r = row("DELAI_ATTR_SD", "departement", "01", "2023")
    assert (r["valeur"], r["numerateur"]) == (31, 2)
    # région: 9 (N5), 31, 59 → 31 over 3 cases
    assert row("DELAI_ATTR_SD", "region", "84", "2023")["valeur"] == 31
    # 02 in 2024: no case → absent
    assert row("DELAI_ATTR_SD", "departement", "02", "2024")["statut"] == "absent"


def test_pression_sd(row):
    # 2023 stock: D1 (Squat, 01001), D2 (Hôtel, 01002) sans domicile; D3 housed; D4 asylum seeker
    r = row("PRESSION_SD", "departement", "01", "2023")
    assert (r["valeur"], r["numerateur"], r["denominateur"]) == (pytest.approx(1.0), 2, 2)  # plain ratio, not ×100
    assert row("PRESSION_SD", "departement", "02", "2023")["valeur"] == pytest.approx(0.0)  # 0 / 1
    assert row("PRESSION_SD", "region", "84", "2023")["valeur"] == pytest.approx(2 / 3)
    assert row("PRESSION_SD", "departement", "01", "2024")["statut"] == "absent"  # no sne_demandes_2024.csv


# ------------------------------------------------------------------ B. SIAO
def test_dem_urg_commune_wins_over_departement(value):
    # U3: Département SIAO 01 but commune 02001 → counted in 02, not in 01
    # 01: U1 (01001), U2 (no commune, whole 01), Z8 (01003); 02: U3, U4, U5, A9
    assert value("DEM_URG", "departement", "01", "2023") == 3
    assert value("DEM_URG", "departement", "02", "2023") == 4
    assert value("DEM_URG", "region", "84", "2023") == 7


def test_dem_urg_without_commune_non_localisable_for_epci(row):
    # U2 (no commune, département 01) counts in 01 but not in the EPCI territory, where it is non localisable
    r = row("DEM_URG", "territoire_lda", LDA, "2023")
    assert r["valeur"] == 1  # U1 only
    assert r["part_non_localisable"] == pytest.approx(50.0)  # U2 among {U1, U2}
    assert row("DEM_URG", "groupe", "HORS_LDA", "2023")["valeur"] == 5  # U3, U4, U5, A9, Z8


def test_dem_urg_monthly(row):
    assert row("DEM_URG", "departement", "01", "2023-01")["valeur"] == 3
    assert row("DEM_URG", "departement", "01", "2023-02")["valeur"] == 0  # covered, U3 is in 02
    assert row("DEM_URG", "departement", "01", "2023-03")["statut"] == "absent"  # no file for 01 in March
    assert row("DEM_URG", "departement", "02", "2023-03")["valeur"] == 2  # U4, U5
    assert row("DEM_URG", "departement", "02", "2023-02")["statut"] == "absent"
    assert row("DEM_URG", "region", "84", "2023-02")["valeur"] == 1  # U3, 01 covered in February


def test_siao_coverage_absent_vs_zero(row):
    # 02 has a SIAO file in 2023 only: 2024 is absent; 01 covered in 2024 with no insertion request: 0
    r = row("DEM_URG", "departement", "02", "2024")
    assert r["statut"] == "absent" and r["valeur"] is None
    assert row("DEM_INS", "departement", "01", "2024")["valeur"] == 0
    assert row("DEM_URG", "departement", "75", "2023")["statut"] == "absent"
    assert row("DEM_URG", "region", "84", "2024")["valeur"] == 1  # a région is covered when one département is


def test_men_urg_distinct_within_territory(value):
    # M1 has requests in 01 (U1) and 02 (U5); M7 in 01 (Z8) and 02 (A9): once each in the région
    assert value("MEN_URG", "departement", "01", "2023") == 3  # M1, M2, M7
    assert value("MEN_URG", "departement", "02", "2023") == 3  # M3 (twice), M1, M7
    assert value("MEN_URG", "region", "84", "2023") == 4  # M1, M2, M3, M7
    assert value("MEN_URG", "france", "FR", "2023") == 4


def test_tx_non_pourvues(row):
    # 01: U1 Pourvue, U2 Non pourvue (Z8 En attente: no final status) → 1 / 2
    r = row("TX_NON_POURVUES", "departement", "01", "2023")
    assert (r["valeur"], r["numerateur"], r["denominateur"]) == (pytest.approx(50.0), 1, 2)
    assert row("TX_NON_POURVUES", "departement", "02", "2023")["valeur"] == pytest.approx(100.0)  # U3 / U3
    assert row("TX_NON_POURVUES", "region", "84", "2023")["valeur"] == pytest.approx(100 * 2 / 3)


def test_tx_np_abs_place(value):
    assert value("TX_NP_ABS_PLACE", "departement", "01", "2023") == pytest.approx(50.0)  # U2
    assert value("TX_NP_ABS_PLACE", "departement", "02", "2023") == pytest.approx(0.0)  # U3: motif Autre
    assert value("TX_NP_ABS_PLACE", "region", "84", "2023") == pytest.approx(100 / 3)


def test_dem_ins(value):
    # I1 (01003), I2 (01002) in 2023; I3 is dated 2022
    assert value("DEM_INS", "departement", "01", "2023") == 2
    assert value("DEM_INS", "territoire_lda", LDA, "2023") == 1


def test_delai_orient_ins(row):
    # admitted in 2023: I3 91 days (request of 2022), I1 60, I2 10 → lower median 60 over 3 cases
    r = row("DELAI_ORIENT_INS", "departement", "01", "2023")
    assert (r["valeur"], r["numerateur"]) == (60, 3)
    # EPCI: I2 (10) and I3 (91) → even number of cases, lower median 10
    assert row("DELAI_ORIENT_INS", "territoire_lda", LDA, "2023")["valeur"] == 10
    assert row("DELAI_ORIENT_INS", "departement", "01", "2024")["statut"] == "absent"  # no case


def test_acces_direct(value):
    assert value("ACCES_DIRECT", "departement", "01", "2023") == 1  # U1: rue → logement ordinaire
    assert value("ACCES_DIRECT", "departement", "01", "2024") == 1  # U6: squat → pension de famille
    assert value("ACCES_DIRECT", "departement", "02", "2023") == 0


def test_sorties_log(value):
    assert value("SORTIES_LOG", "departement", "01", "2023") == 1  # U1 → logement social
    assert value("SORTIES_LOG", "departement", "01", "2024") == 0


def test_tx_sorties_log(row):
    # exits of 2023 in 01: U1 logement social, I2 rue (known), I1 inconnue (not known) → 1 / 2
    r = row("TX_SORTIES_LOG", "departement", "01", "2023")
    assert (r["valeur"], r["numerateur"], r["denominateur"]) == (pytest.approx(50.0), 1, 2)
    assert row("TX_SORTIES_LOG", "departement", "01", "2024")["statut"] == "absent"  # no exit: 0 / 0


# ------------------------------------------------------------------ C. Parcours
def test_duree_rue_logement(row):
    # N1 → M1, first request U7 2021-06-01, attribution 2023-03-01: 638 days;
    # N2 → M5 (I2 2023-02-01), attribution 2023-06-01: 120; N5 → M3 (U3 2023-02-01), 2023-09-10: 221
    r = row("DUREE_RUE_LOGEMENT", "departement", "01", "2023")
    assert (r["valeur"], r["numerateur"]) == (120, 2)  # lower median of (120, 638)
    assert row("DUREE_RUE_LOGEMENT", "departement", "02", "2023")["valeur"] == 221
    assert row("DUREE_RUE_LOGEMENT", "france", "FR", "2023")["valeur"] == 221
    assert row("DUREE_RUE_LOGEMENT", "departement", "01", "2024")["statut"] == "absent"  # N7 not linked


def test_retour_rue_12m(row):
    # period 2024 = attributions of 2023 linked: N1 (M1: U5 19 days after → back), N2 (M5: none),
    # N5 (M3: requests before the attribution only)
    r = row("RETOUR_RUE_12M", "departement", "01", "2024")
    assert (r["valeur"], r["numerateur"], r["denominateur"]) == (pytest.approx(50.0), 1, 2)
    assert row("RETOUR_RUE_12M", "departement", "02", "2024")["valeur"] == pytest.approx(0.0)
    assert row("RETOUR_RUE_12M", "france", "FR", "2024")["valeur"] == pytest.approx(100 / 3)
    assert row("RETOUR_RUE_12M", "france", "FR", "2023")["statut"] == "absent"  # no SNE file for 2022
    assert row("RETOUR_RUE_12M", "france", "FR", "2025")["statut"] == "absent"  # no SIAO file in 2025


def test_primo_demandeurs(value, row):
    # 2023 first Urgence request per household: M1 U1 (U7 588 days before → not primo), M2 U2 (primo,
    # whole 01), M3 U3 (primo, 02001), M7: A9 (02) and Z8 (01) the same day → Z8 (département 01 first)
    assert value("PRIMO_DEMANDEURS", "departement", "01", "2023") == 2  # M2, M7
    assert value("PRIMO_DEMANDEURS", "departement", "02", "2023") == 1  # M3
    assert value("PRIMO_DEMANDEURS", "region", "84", "2023") == 3  # M7 once
    assert value("PRIMO_DEMANDEURS", "groupe", "HORS_LDA", "2023") == 2  # M3, M7 (M2 non localisable)
    assert value("PRIMO_DEMANDEURS", "departement", "01", "2024") == 0  # M2 U6: U2 360 days before
    assert row("PRIMO_DEMANDEURS", "departement", "02", "2024")["statut"] == "absent"


# ------------------------------------------------------------------ D. Nuits de la Solidarité
def test_ndls_pers(value, row):
    # city 01001, 2023: S1 8, S2 4 (not covered, still counted), S3 2 + 1
    assert value("NDLS_PERS", "departement", "01", "2023") == 15
    assert value("NDLS_PERS", "france", "FR", "2023") == 15 + 3015  # Paris 2023: published total only
    # sector file wins over the published total (3 507)
    assert value("NDLS_PERS", "departement", "75", "2025") == 100
    assert value("NDLS_PERS", "departement", "75", "2024") == 3491  # revised figure
    assert row("NDLS_PERS", "departement", "02", "2023")["statut"] == "absent"  # no Nuit


def test_ndls_pers_rue(value, row):
    assert value("NDLS_PERS_RUE", "departement", "01", "2023") == 14  # 8 + 4 + 2
    assert row("NDLS_PERS_RUE", "departement", "75", "2024")["statut"] == "absent"  # published total only


def test_ndls_taux(row):
    r = row("NDLS_TAUX", "departement", "01", "2023")
    assert (r["valeur"], r["numerateur"], r["denominateur"]) == (pytest.approx(150.0), 15, 1000)
    # région 84: population of the city counted (01001), not of the région
    assert row("NDLS_TAUX", "region", "84", "2023")["valeur"] == pytest.approx(150.0)
    assert row("NDLS_TAUX", "france", "FR", "2023")["valeur"] == pytest.approx(10_000 * 3030 / 2_001_000)


def test_ndls_evol_pc_constant_perimeter(row):
    # covered both in 2022 and 2023: S1 only (S2 not covered in 2023, S3 not covered in 2022): 7 → 8
    r = row("NDLS_EVOL_PC", "departement", "01", "2023")
    assert (r["valeur"], r["numerateur"], r["denominateur"]) == (pytest.approx(100 * (8 - 7) / 7), 8, 7)
    assert row("NDLS_EVOL_PC", "departement", "01", "2022")["statut"] == "absent"  # no previous edition
    assert row("NDLS_EVOL_PC", "departement", "75", "2025")["statut"] == "absent"  # no previous sector file


# ------------------------------------------------------------------ E. Offre
def test_places(value, row):
    assert value("PLACES_PF", "departement", "01", "2023") == 15  # 10 + 5 résidence accueil
    assert value("PLACES_IML", "region", "84", "2023") == 7  # 3 + 4
    assert value("PLACES_HEB", "departement", "01", "2023") == 27  # CHU 20 + CHRS 7
    assert value("PLACES_HEB", "departement", "02", "2023") == 6  # hôtel
    assert value("PLACES_PF", "departement", "75", "2023") == 0  # national file, no row: 0
    assert row("PLACES_PF", "departement", "01", "2024")["statut"] == "absent"  # no offre_2024.csv
    # EPCI territory: 01 is not whole in it → places non localisable
    r = row("PLACES_PF", "territoire_lda", LDA, "2023")
    assert (r["valeur"], r["part_non_localisable"]) == (0, pytest.approx(100.0))


def test_tx_equip_la(row):
    r = row("TX_EQUIP_LA", "departement", "01", "2023")
    assert (r["valeur"], r["numerateur"], r["denominateur"]) == (pytest.approx(3.0), 18, 6000)
    assert row("TX_EQUIP_LA", "region", "84", "2023")["valeur"] == pytest.approx(1000 * 22 / 15000)


# ------------------------------------------------------------------ conventions
def test_statut_and_valeur(rows):
    for key, r in rows.items():
        assert r["statut"] in ("ok", "absent"), key
        assert (r["valeur"] is None) == (r["statut"] == "absent"), key
        if r["statut"] == "ok" and r["denominateur"] is None:
            code = key[0]
            if code != "ATTR_SD_PERS" and not code.startswith(("DELAI", "DUREE")):
                assert r["numerateur"] == r["valeur"], key


def test_periods(rows):
    periods = {k[3] for k in rows}
    assert all(len(p) in (4, 7) for p in periods)
    assert {k[0] for k in rows if len(k[3]) == 7} == {"DEM_URG", "ACTIFS", "ACTIFS_DEBUT", "ENTREES_NOUVEAUX",
                                                      "ENTREES_RETOUR_LOGEMENT", "ENTREES_RETOUR_INACTIVITE",
                                                      "TRANSFERTS_ENTRANTS", "SORTIES_LOGEMENT", "SORTIES_INACTIVITE",
                                                      "TRANSFERTS_SORTANTS", "SOLDE_ACTIFS"}
