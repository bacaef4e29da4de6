"""The asset checks report the traps of the real published files (and fail on them, as they
should), and pass or fail by their documented rule."""

from .conftest import evaluations

SOMMES_OP = "staging__barometre_mensuel_sommes_territoires_egales_national"


def test_checks_that_fail_on_the_real_files(real):
    passed = {name: evaluation.passed for name, evaluation in evaluations(real.result).items()}
    assert passed == {
        "mois_codes_a_zero": False,
        "territoires_absents": False,
        "cumuls_en_baisse": False,
        "sommes_territoires_egales_national": False,
        "barometre_annuel_cle_unique": True,
        "objectifs_locaux_suivables": True,  # data/config/objectifs.csv ships with no row
    }
    blocking = {e.check_name: e.blocking for e in real.result.get_asset_check_evaluations()}
    assert blocking["barometre_annuel_cle_unique"] is True
    assert not any(v for k, v in blocking.items() if k != "barometre_annuel_cle_unique")


def test_months_coded_zero_january_to_april_2018(real):
    check = evaluations(real.result)["mois_codes_a_zero"]
    assert check.metadata["mois_entierement_a_zero"].value == "2018-01, 2018-02, 2018-03, 2018-04"
    # 4 months × (101 départements + 18 régions + France)
    assert check.metadata["rows_mois_entier_a_zero"].value == 4 * 120
    # Lozère (48) back to 0 in May 2022 after 2 in April
    assert check.metadata["rows_retour_a_zero"].value == 1
    # Mayotte (976) and its région (06): December at 0 in 2017, 2018, 2019, 2020
    assert check.metadata["rows_annee_entiere_a_zero"].value == 8
    assert check.metadata["offending_rows"].value == 489
    details = check.metadata["details"].value
    assert "| mois_entier_a_zero   | 2017-2022 | departement     | 2018-04 | 101" in details
    assert "| retour_a_zero        | 2017-2022 | departement     | 2022-05 | 1         | 48" in details


def test_missing_departement_names_mayotte(real):
    check = evaluations(real.result)["territoires_absents"]
    assert check.metadata["codes"].value == "departement 976 (2017-2022), region 06 (2017-2022)"
    assert check.metadata["offending_rows"].value == 2 * 23
    details = check.metadata["details"].value
    assert "| 2017-2022 | departement     | 976             | 23                | 2021-01      | 2022-11" in details


def test_cumulative_decreases_are_listed_with_their_line(real):
    check = evaluations(real.result)["cumuls_en_baisse"]
    assert check.metadata["offending_rows"].value == 40
    assert check.metadata["rows_2017-2022"].value == 34
    assert check.metadata["rows_IND-295"].value == 6
    # La Réunion's région in the 2017–2022 files: 330 in April 2021, 20 in May
    assert check.metadata["plus_forte_baisse"].value == 310.0
    details = check.metadata["details"].value
    # Var (83) in ind-295.csv: 541 in September 2023, 528 in October, line 1589
    assert "| IND-295   | departement     | 83              | 2023-09        | 2023-10 | 541.0" in details
    assert "ind-295.csv                                                 | 1589" in details


def test_sums_of_departements_against_national(real):
    check = evaluations(real.result)["sommes_territoires_egales_national"]
    assert check.metadata["tolerance_personnes"].value == 10.0
    # Every month with a gap is reported; only February 2022 (31 persons) is beyond 10
    assert check.metadata["mois_avec_ecart"].value == 61
    assert check.metadata["offending_rows"].value == 2
    assert check.metadata["ecart_max"].value == 31.0
    beyond = check.metadata["au_dela_tolerance"].value
    assert "| 2017-2022 | 2022-02 | departement | 100            | 9389.0 | 9358.0           | 31.0" in beyond
    details = check.metadata["details"].value
    assert "| 2017-2022 | 2017-12 | departement | 101            | 41744.0 | 41743.0          | 1.0" in details
    assert "IND-295" not in details  # IND-295's départements add up exactly


def test_sums_tolerance_is_configuration(barometre):
    result = barometre.materialise({"ops": {SOMMES_OP: {"config": {"tolerance_personnes": 50}}}})
    check = evaluations(result)["sommes_territoires_egales_national"]
    assert check.passed
    assert check.metadata["tolerance_personnes"].value == 50.0
    assert check.metadata["offending_rows"].value == 0
    assert check.metadata["mois_avec_ecart"].value == 61
