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


def test_telechargement_non_localisable_jamais_zero(publication):
    """The Ville de Test's PLACES_PF is published 0 with part_non_localisable = 100 (the offer is
    known by département only): the downloads give an empty value, the statut
    « non_localisable » and a note — never 0; its known cells keep their value."""
    from observatory_app import export

    chemin = data.chemin_publication()
    lignes = data.donnees_territoire(chemin, "territoire_lda", "LDA-2018-01")
    import csv
    import io

    rangs = list(csv.DictReader(io.StringIO(export.csv_excel(lignes).decode("utf-8-sig")), delimiter=";"))
    places = [r for r in rangs if r["indicateur"] == "PLACES_PF"]
    assert len(places) == 2
    for ligne in places:
        assert (ligne["valeur"], ligne["statut"]) == ("", "non_localisable")
        assert ligne["note"].startswith("non localisable")
    attr = [r for r in rangs if r["indicateur"] == "ATTR_SD" and r["periode"] == "2024"]
    assert (attr[0]["valeur"], attr[0]["statut"], attr[0]["note"]) == ("60", "ok", "")
    # the XLSX is written from the same rows: an empty cell (write_blank), never 0
    places_xlsx = lignes.filter(indicateur="PLACES_PF")
    assert places_xlsx["valeur"].to_list() == [None, None]
    assert set(places_xlsx["statut"]) == {"non_localisable"}


def test_carte_non_localisable_jamais_zero(publication):
    """A département whose offer cannot be located (part_non_localisable = 100) is « n.l. » on the
    map, not a 0 coloured as the lowest value."""
    from observatory_app import charts

    with duckdb.connect(str(publication)) as conn:
        conn.execute("update publication.indicateurs set part_non_localisable = 100 "
                     "where indicateur = 'PLACES_PF' and territoire_code = '02'")
    chemin = data.chemin_publication()
    departements = data.valeurs_departements(chemin, "PLACES_PF", "2024")
    aisne = departements.filter(territoire_code="02").row(0, named=True)
    assert (aisne["valeur"], aisne["statut"]) == (None, "non_localisable")
    assert departements.filter(territoire_code="01")["valeur"][0] == 270
    metropole, outre_mer = data.geo_departements()
    fig = charts.carte_departements(departements, metropole, outre_mer, "Places", "nombre", "offre", "2024", True)
    trace = next(t for t in fig.data if t.meta and t.meta["code"] == "02")
    assert trace.meta["statut"] == "non_localisable" and trace.meta["valeur"] is None
    assert "n.l." in trace.text and "0" not in trace.text.split("<br>")[1]
