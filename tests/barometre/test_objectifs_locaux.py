"""Local targets (data/config/objectifs.csv): a coordinator's target for any indicator of the
catalogue and any published territory reaches marts.objectifs beside the IND-295 rows, with `source`
« objectif local » and its `nature` (« cumul » for an additive count, « niveau » for a stock, a rate
or a median); the non-blocking check names, line by line, each row the observatory cannot follow."""

import shutil
from datetime import date

import dagster as dg
import duckdb
import pytest

from assets.barometre import assets as ba
from assets.barometre.checks import objectifs_locaux_suivables
from pipelines.resources import WarehouseResource

EN_TETE = "indicateur,territoire_type,territoire_code,date_cible,valeur_cible,valeur_initiale,date_initiale,libelle"
LIGNES = [
    # line 2: followed (a Logement d'abord territory, an additive count)
    "ATTR_SD,territoire_lda,LDA_GRENOBLE,2030-12-01,900,,,Objectif du PLALHPD de la métropole",
    # line 3: followed (an EPCI, initial value and date given)
    "ATTR_SD_PERS,epci,200040715,2031-12-01,4000,120,2024-12-01,Objectif de l'intercommunalité",
    "MENAGES_RUE,epci,200040715,2030-12-01,100,,,Ménages à la rue",        # 4: not in the catalogue
    "TX_ATTR_SD,departement,38,2030-12-01,30,,,Part des attributions",    # 5: followed, a rate (niveau)
    "PLACES_PF,departement,38,2030-12-01,300,,,Places en pension de famille",  # 6: followed, a stock at 31/12
    "ATTR_SD,epci,999999999,2030-12-01,50,,,EPCI inexistant",               # 7: unknown territory
    "ATTR_SD,departement,38,2020-12-01,50,,,Ancienne cible",                # 8: date past
    "ATTR_SD,departement,38,2030-12-01,50,,2024-06-30,Départ en juin",      # 9: initial date not a December
    "ATTR_SD,departement,69,2030-12-01,50,,,Doublon",                       # 10 and 11: given twice
    "ATTR_SD,departement,69,2030-12-01,60,,,Doublon",
    "ACTIFS,epci,200040715,2030-12-01,100,450,,Ménages actifs",            # 12: followed, a stock (section G)
]


@pytest.fixture
def entrepot(real, tmp_path, monkeypatch):
    """A copy of the Baromètre layer's warehouse with a small reference.territoires and the local
    targets above; `objectifs` and its check materialised."""
    base = tmp_path / "w.duckdb"
    shutil.copy(real.database, base)
    with duckdb.connect(str(base)) as conn:
        conn.execute("create schema if not exists reference").fetchall()
        conn.execute(
            "create table reference.territoires as select * from (values ('france', 'FR'), ('departement', '38'), "
            "('departement', '69'), ('territoire_lda', 'LDA_GRENOBLE'), ('epci', '200040715')) "
            "as t(territoire_type, territoire_code)"
        ).fetchall()
    fichier = tmp_path / "objectifs.csv"
    fichier.write_text("\n".join([EN_TETE, *LIGNES]) + "\n", encoding="utf-8")
    monkeypatch.setattr(ba, "OBJECTIFS_LOCAUX", fichier)
    result = dg.materialize([ba.objectifs, objectifs_locaux_suivables],
                            resources={"warehouse": WarehouseResource(database=str(base))}, raise_on_error=False)
    assert result.success
    return base, result


def test_local_targets_beside_ind_295(entrepot):
    base, _ = entrepot
    with duckdb.connect(str(base), read_only=True) as conn:
        locaux = conn.sql(
            "select serie, indicateur, territoire_type, territoire_code, date_cible, valeur_cible, valeur_initiale, "
            "date_initiale, valeur_actuelle, source, libelle, nature from marts.objectifs "
            "where source = 'objectif local' order by territoire_type, serie"
        ).fetchall()
        ind_295 = conn.sql(
            "select count(*), min(source), min(indicateur), min(date_initiale) from marts.objectifs "
            "where serie = 'BAROMETRE_LDA_PERSONNES'"
        ).fetchall()[0]
    assert locaux == [
        ("PLACES_PF", "PLACES_PF", "departement", "38", date(2030, 12, 1), 300.0, None, date(2022, 12, 1),
         None, "objectif local", "Places en pension de famille", "niveau"),
        ("TX_ATTR_SD", "TX_ATTR_SD", "departement", "38", date(2030, 12, 1), 30.0, None, date(2022, 12, 1),
         None, "objectif local", "Part des attributions", "niveau"),
        ("ACTIFS", "ACTIFS", "epci", "200040715", date(2030, 12, 1), 100.0, 450.0, date(2022, 12, 1),
         None, "objectif local", "Ménages actifs", "niveau"),
        ("ATTR_SD_PERS", "ATTR_SD_PERS", "epci", "200040715", date(2031, 12, 1), 4000.0, 120.0, date(2024, 12, 1),
         None, "objectif local", "Objectif de l'intercommunalité", "cumul"),
        ("ATTR_SD", "ATTR_SD", "territoire_lda", "LDA_GRENOBLE", date(2030, 12, 1), 900.0, 0.0, date(2022, 12, 1),
         None, "objectif local", "Objectif du PLALHPD de la métropole", "cumul"),
    ]
    # the 120 IND-295 targets (101 départements, 18 régions, France) are unchanged
    assert ind_295 == (120, "Baromètre IND-295", "ATTR_SD_PERS", date(2022, 12, 1))


def test_check_names_each_row_that_cannot_be_followed(entrepot):
    _, result = entrepot
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.check_name == "objectifs_locaux_suivables"
    assert evaluation.passed is False and evaluation.blocking is False
    assert evaluation.metadata["objectifs_locaux"].value == 11
    assert evaluation.metadata["objectifs_suivis"].value == 5
    assert evaluation.metadata["objectifs_non_suivis"].value == 6
    details = evaluation.metadata["details"].value
    lignes = {int(cellules.split("|")[1]): cellules for cellules in details.splitlines()[2:]}
    assert sorted(lignes) == [4, 7, 8, 9, 10, 11]
    assert "indicateur inconnu du catalogue (MENAGES_RUE)" in lignes[4]
    assert "territoire inconnu (epci 999999999)" in lignes[7]
    assert "date de la cible passée (2020-12-01)" in lignes[8]
    assert "date initiale hors décembre" in lignes[9]
    assert "objectif donné plusieurs fois" in lignes[10] and "objectif donné plusieurs fois" in lignes[11]
