import os
import shutil

import duckdb
import pytest

from observatory_app import data


def test_derniere_annee_complete_ignore_une_annee_partielle(publication):
    with duckdb.connect(str(publication)) as conn:
        conn.execute(
            """insert into publication.indicateurs
            select indicateur, territoire_type, territoire_code, territoire_libelle, '2025',
                   null, null, null, 'absent', source, null
            from publication.indicateurs where periode = '2024'"""
        )
        conn.execute(
            "update publication.indicateurs set valeur = 1, statut = 'ok' "
            "where periode = '2025' and indicateur = 'DEM_URG'"
        )
    chemin = data.chemin_publication()
    assert chemin == str(publication)
    assert data.derniere_annee_complete(chemin, "FR", data.version(chemin)) == 2024


def test_une_nouvelle_version_du_fichier_est_relue(publication):
    """The pipeline writes a new file and swaps it in (os.replace): the app reads the new one."""
    chemin = data.chemin_publication()
    assert data.a_propos(chemin, 1.0)["donnees"] == "synthétiques"
    nouveau = publication.with_name("nouveau.duckdb")
    shutil.copy(publication, nouveau)
    with duckdb.connect(str(nouveau)) as conn:
        conn.execute("update publication.a_propos set valeur = 'réelles' where cle = 'donnees'")
    os.utime(nouveau, (1e9, 1e9))  # a modification time of its own, as any new file has
    os.replace(nouveau, publication)
    assert data.a_propos(chemin, 1.0)["donnees"] == "synthétiques"  # same version: cached
    assert data.a_propos(chemin, 2.0)["donnees"] == "réelles"
    # queries after the swap read the new file (one row per source with a loaded lot: siao, sne, barometre, ndls)
    assert data.qualite_par_source(chemin).height == 4


def test_qualite_compte_chaque_lot_une_fois(publication):
    """publication.qualite repeats a lot's counts on each rule's row and gives its number of files:
    the 12 SIAO files of 2023 (one lot, two rules) are 12 files and 1 000 rows, not 2 × 1 000."""
    chemin = data.chemin_publication()
    siao = data.qualite_par_source(chemin).filter(source="siao").row(0, named=True)
    assert (siao["fichiers"], siao["rows_read"], siao["rows_quarantined"]) == (12, 1000, 10)
    # the refused SNE file is not a loaded file; the freshness counts it apart
    fraicheur = data.fraicheur(chemin).filter(source="sne").row(0, named=True)
    assert (fraicheur["fichiers"], fraicheur["fichiers_refuses"]) == (1, 1)
    assert data.fraicheur(chemin).filter(source="siao")["fichiers"][0] == 12
    # a secret lot's counts stay unknown (null), never 0
    ndls = data.qualite_par_source(chemin).filter(source="ndls").row(0, named=True)
    assert (ndls["fichiers"], ndls["rows_read"], ndls["rows_quarantined"]) == (2, None, None)


def test_telechargement_csv_secret_vide_jamais_zero(publication):
    from observatory_app import export

    chemin = data.chemin_publication()
    contenu = export.csv_excel(data.donnees_territoire(chemin, "departement", "02")).decode("utf-8-sig")
    entete, *lignes = contenu.splitlines()
    colonnes = entete.split(";")
    secret = [
        dict(zip(colonnes, ligne.split(";")))
        for ligne in lignes
        if ligne.startswith("ATTR_SD;") and ";2024;" in ligne
    ]
    assert len(secret) == 1
    assert secret[0]["statut"] == "secret" and secret[0]["valeur"] == ""
    assert any(",5;" in ligne for ligne in lignes)  # 5.5 % written with a decimal comma


def test_remplacement_du_fichier_pendant_une_lecture(publication):
    """A session is reading when the pipeline swaps in a new file: another session's query opens
    the new file, the reading one finishes on the old connection (no ResourceInUseException), and
    the old connection is closed once that reading has ended."""
    chemin = data.chemin_publication()
    with data._connexion(chemin) as ancienne:  # a session's query in progress on the current file
        nouveau = publication.with_name("nouveau.duckdb")
        shutil.copy(publication, nouveau)
        with duckdb.connect(str(nouveau)) as conn:
            conn.execute("update publication.a_propos set valeur = 'réelles' where cle = 'donnees'")
        os.utime(nouveau, (2e9, 2e9))
        os.replace(nouveau, publication)
        assert data.a_propos(chemin, 3.0)["donnees"] == "réelles"  # another session: the new file
        with ancienne.cursor() as curseur:  # the reading session is not broken
            curseur.execute("use pub")
            assert curseur.sql("select valeur from publication.a_propos where cle = 'donnees'").fetchall() == [("synthétiques",)]
    with pytest.raises(duckdb.ConnectionException):  # closed once unused
        ancienne.execute("select 1")


def test_annees_completes_seulement(publication):
    """A year where France has only one published cell (a Nuit in progress) is not complete: the
    last complete year stays 2024 and the map's year picker does not offer 2025."""
    from tests.app.test_pages import ouvrir

    with duckdb.connect(str(publication)) as conn:
        conn.execute(
            "insert into publication.indicateurs values ('NDLS_PERS', 'france', 'FR', 'France', '2025', "
            "3857, null, null, 'ok', 'ndls', 0)"
        )
    chemin = data.chemin_publication()
    assert data.annees_completes(chemin, "FR", data.version(chemin)) == [2023, 2024]
    assert data.derniere_annee_complete(chemin, "FR", data.version(chemin)) == 2024
    at = ouvrir("pages/vue_nationale.py")
    assert list(at.selectbox(key="carte_annee").options) == ["2024", "2023"]
