"""The Dagster code location loads, and its asset graph is the one reviewed (snapshot: a renamed
or added asset shows in this list)."""

from pipelines.definitions import defs

EXPECTED_ASSET_KEYS = [
    "intermediate/couverture_nationale",
    "intermediate/couverture_siao",
    "intermediate/ledger_menages_mois",
    "intermediate/ledger_sorties",
    "intermediate/ndls_evolution_territoires",
    "intermediate/ndls_territoires",
    "intermediate/ndls_totaux_publies",
    "intermediate/offre_territoires",
    "intermediate/parcours_attributions_territoires",
    "intermediate/periodes",
    "intermediate/siao_comptes_territoires",
    "intermediate/siao_delais_territoires",
    "intermediate/siao_demandes_territoires",
    "intermediate/siao_menages",
    "intermediate/siao_menages_evenements",
    "intermediate/siao_menages_urgence",
    "intermediate/siao_menages_urgence_territoires",
    "intermediate/siao_parcours_territoires",
    "intermediate/siao_primo_demandes_territoires",
    "intermediate/sne_attributions_territoires",
    "intermediate/sne_demandes_territoires",
    "intermediate/territoires_departements",
    "marts/catalogue_indicateurs",
    "marts/comparaison_barometre",
    "marts/evaluation_lda",
    "marts/evaluation_methode",
    "marts/indicateurs",
    "marts/indicateurs_ledger",
    "marts/indicateurs_ndls",
    "marts/indicateurs_offre",
    "marts/indicateurs_parcours",
    "marts/indicateurs_siao",
    "marts/indicateurs_sne",
    "marts/objectifs",
    "marts/parcours_siao",
    "marts/series_publiees",
    "publication/fichier",
    "publication/indicateurs",
    "publication/parcours_siao",
    "rapport/annuel",
    "raw/barometre",
    "raw/ndls",
    "raw/offre",
    "raw/siao",
    "raw/sne_attributions",
    "raw/sne_demandes",
    "reference/arrondissements",
    "reference/communes",
    "reference/departements",
    "reference/epci",
    "reference/perimetres",
    "reference/perimetres_departements",
    "reference/perimetres_lda",
    "reference/populations",
    "reference/regions",
    "reference/situations_logement",
    "reference/territoires",
    "reference/territoires_lda",
    "staging/barometre_annuel",
    "staging/barometre_mensuel",
    "staging/barometre_objectifs",
    "staging/ndls_secteurs",
    "staging/offre_places",
    "staging/siao_couverture",
    "staging/siao_demandes",
    "staging/siao_demandes_historique",
    "staging/sne_attributions",
    "staging/sne_demandes",
]


def test_definitions_load():
    assert defs.resolve_asset_graph() is not None


def test_asset_keys_snapshot():
    keys = sorted(key.to_user_string() for key in defs.resolve_all_asset_keys())
    assert keys == EXPECTED_ASSET_KEYS
