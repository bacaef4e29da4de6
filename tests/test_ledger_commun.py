from observatoire_commun.ledger import ENTREES, SORTIES, zero_fonctionnel


def test_zero_fonctionnel_compare_les_sorties_vers_le_logement_a_toutes_les_entrees():
    mois = {"SORTIES_LOGEMENT": 12, "ENTREES_NOUVEAUX": 5, "ENTREES_RETOUR_LOGEMENT": 2,
            "ENTREES_RETOUR_INACTIVITE": 3, "TRANSFERTS_ENTRANTS": 1}
    assert zero_fonctionnel(mois) is True           # 12 > 11
    assert zero_fonctionnel({**mois, "TRANSFERTS_ENTRANTS": 2}) is False   # 12 = 12: not exceeded
    assert zero_fonctionnel({**mois, "ENTREES_NOUVEAUX": None}) is None    # a secret term: unknown


def test_les_termes_sont_ceux_de_l_identite_publiee():
    import yaml
    from pathlib import Path
    config = yaml.safe_load((Path(__file__).parents[1] / "data/config/secret_statistique.yaml").read_text())
    assert sorted(config["identites"]["ACTIFS"]) == sorted(["ACTIFS_DEBUT", *ENTREES, *SORTIES])
