"""Section G's ledger is a published identity: ACTIFS = ACTIFS_DEBUT + entries − exits, for one
territory and period. With every other term published, one secret term would be recovered by the
identity; the secondary suppression therefore treats it as a relation (threshold 11)."""

from __future__ import annotations

from tests.publication.conftest import dep, row
from tests.publication.test_secret import run

TERMES = {
    "ACTIFS_DEBUT": 95,
    "ENTREES_NOUVEAUX": 20,
    "ENTREES_RETOUR_LOGEMENT": 0,
    "ENTREES_RETOUR_INACTIVITE": 0,
    "TRANSFERTS_ENTRANTS": 0,
    "SORTIES_LOGEMENT": 5,
    "SORTIES_INACTIVITE": 30,
    "TRANSFERTS_SORTANTS": 0,
}


def ledger(warehouse, termes: dict) -> dict:
    actifs = (termes["ACTIFS_DEBUT"] + termes["ENTREES_NOUVEAUX"] + termes["ENTREES_RETOUR_LOGEMENT"]
              + termes["ENTREES_RETOUR_INACTIVITE"] + termes["TRANSFERTS_ENTRANTS"] - termes["SORTIES_LOGEMENT"]
              - termes["SORTIES_INACTIVITE"] - termes["TRANSFERTS_SORTANTS"])
    rows = [row("ACTIFS", dep("A"), valeur=actifs)] + [row(code, dep("A"), valeur=v) for code, v in termes.items()]
    _, table = run(warehouse(rows))
    return {ind: values[:2] for (ind, code, periode), values in table.items() if code == "A"}


def test_one_secret_flow_of_the_ledger_gets_a_second_one(warehouse):
    # 80 = 95 + 20 − 5 − 30: SORTIES_LOGEMENT = 5 is a primary secret; with the others published it
    # would be 95 + 20 − 30 − 80. The smallest other non-zero term (ENTREES_NOUVEAUX, 20) goes too.
    table = ledger(warehouse, TERMES)
    secrets = {ind for ind, (statut, _) in table.items() if statut == "secret"}
    assert secrets == {"SORTIES_LOGEMENT", "ENTREES_NOUVEAUX"}
    assert table["ACTIFS"] == ("ok", 80)
    assert table["ACTIFS_DEBUT"] == ("ok", 95)


def test_a_ledger_without_small_terms_is_published_whole(warehouse):
    table = ledger(warehouse, {**TERMES, "SORTIES_LOGEMENT": 25})
    assert {ind for ind, (statut, _) in table.items() if statut == "secret"} == set()
    assert table["ACTIFS"] == ("ok", 60)
