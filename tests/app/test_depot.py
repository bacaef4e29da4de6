"""observatory_app.depot: ingestion checks on uploaded bytes, copy into the landing folder only."""

from __future__ import annotations

import pytest

from observatory_app import comptes, depot
from tests.ingest.samples import SIAO_HEADER, SIAO_ROW, csv_text, row

NOM = "siao_75_2023-04.csv"
# the account of Paris's coordinator (only its départements matter to `deposer`; the password is checked at login)
PARIS = comptes.Compte("siao-paris", frozenset({"75"}), comptes.empreinte("mot de passe de Paris"))


def _octets(lignes) -> bytes:
    return csv_text(SIAO_HEADER, lignes).encode("utf-8")


def _fichiers(dossier):
    return sorted(p.relative_to(dossier).as_posix() for p in dossier.rglob("*") if p.is_file())


def test_fichier_siao_en_erreur_problemes_par_ligne_et_colonne(tmp_path):
    contenu = _octets([SIAO_ROW, row(SIAO_ROW, **{"Date de la demande": "31/02/2023"}), row(SIAO_ROW, **{"Type de demande": "Urgent"})])
    verification = depot.verifier(NOM, contenu)
    assert verification.code == 1 and not verification.propre
    assert "ligne 3, colonne « Date de la demande » : [invalid_date]" in verification.rapport
    problemes = verification.problemes
    assert [(p["ligne"], p["colonne"], p["regle"]) for p in problemes] == [
        (3, "Date de la demande", "invalid_date"),
        (4, "Type de demande", "invalid_value"),
    ]
    landing = tmp_path / "landing"
    with pytest.raises(depot.DepotRefuse, match="pas conforme"):
        depot.deposer(NOM, contenu, landing, PARIS)
    assert not landing.exists()


def test_fichier_propre_copie_dans_le_sous_dossier_de_la_source(tmp_path):
    contenu = _octets([SIAO_ROW, SIAO_ROW])
    assert depot.verifier(NOM, contenu).propre
    landing = tmp_path / "landing"
    chemin = depot.deposer(NOM, contenu, landing, PARIS)
    assert chemin == (landing / "siao" / NOM).resolve()
    assert chemin.read_bytes() == contenu
    # nothing else written anywhere under tmp_path but the deposits log
    assert _fichiers(tmp_path) == ["landing/depots.log", f"landing/siao/{NOM}"]
    with pytest.raises(depot.DepotRefuse, match="déjà"):  # never overwritten
        depot.deposer(NOM, _octets([SIAO_ROW]), landing, PARIS)
    assert chemin.read_bytes() == contenu


@pytest.mark.parametrize("nom", ["../siao_75_2023-04.csv", "siao/../../x.csv", "a/siao_75_2023-04.csv", "..\\siao_75_2023-04.csv", ".."])
def test_nom_avec_chemin_refuse(tmp_path, nom):
    with pytest.raises(depot.DepotRefuse):
        depot.verifier(nom, _octets([SIAO_ROW]))
    with pytest.raises(depot.DepotRefuse):
        depot.deposer(nom, _octets([SIAO_ROW]), tmp_path / "landing", PARIS)
    assert _fichiers(tmp_path) == []


def test_nom_non_csv_ou_inconnu_refuse(tmp_path):
    with pytest.raises(depot.DepotRefuse, match="CSV"):
        depot.verifier("siao_75_2023-04.xlsx", b"x")
    with pytest.raises(depot.DepotRefuse, match="nom de fichier non conforme"):
        depot.cible("export.csv", tmp_path)
    # an unknown name is refused before any check, with the list of expected names
    with pytest.raises(depot.DepotRefuse, match="siao_<DEP>_<AAAA-MM>.csv"):
        depot.verifier("export.csv", _octets([SIAO_ROW]))


@pytest.mark.parametrize("nom", ["siao_75_2023-4.csv", "SIAO_75_2023-04.csv", "siao_75_2023-04 (copie).csv",
                                 "siao_96_2023-04.csv", "sne_attributions_23.csv"])
def test_nom_refuse_par_le_chargement_refuse_au_depot(tmp_path, nom):
    """A name the folder loader would not load is refused at upload with the loader's own reason."""
    from assets.ingest.naming import name_refusal

    source = nom.split("_", 1)[0]
    attendu = name_refusal(nom, source) if source in ("siao", "sne") else None
    with pytest.raises(depot.DepotRefuse) as refus:
        depot.verifier(nom, _octets([SIAO_ROW]))
    if attendu is not None:
        assert str(refus.value) == attendu
    assert "nom de fichier non conforme, fichier non chargé" in str(refus.value)
    with pytest.raises(depot.DepotRefuse):
        depot.deposer(nom, _octets([SIAO_ROW]), tmp_path / "landing", PARIS)
    assert _fichiers(tmp_path) == []


def test_fichier_trop_volumineux_refuse(monkeypatch):
    monkeypatch.setattr(depot, "TAILLE_MAX", 1000)
    with pytest.raises(depot.DepotRefuse, match="trop volumineux"):
        depot.verifier(NOM, _octets([SIAO_ROW] * 20))
    depot.verifier_taille(1000)  # at the limit: accepted


def test_depot_atomique_le_second_est_refuse_et_mode_0644(tmp_path, monkeypatch):
    """Two uploads of one name that both passed the « already there? » test: the second is told the
    file exists, the first one's bytes stay; the file is readable by all (0644), like the others."""
    import os
    import stat

    premier, second = _octets([SIAO_ROW, SIAO_ROW]), _octets([SIAO_ROW])
    landing = tmp_path / "landing"
    monkeypatch.setattr(depot.Path, "exists", lambda self: False)  # both passed the check at once
    chemin = depot.deposer(NOM, premier, landing, PARIS)
    with pytest.raises(depot.DepotRefuse, match="vient d'être déposé"):
        depot.deposer(NOM, second, landing, PARIS)
    monkeypatch.undo()
    assert chemin.read_bytes() == premier
    assert stat.S_IMODE(os.stat(chemin).st_mode) == 0o644
    assert _fichiers(tmp_path) == ["landing/depots.log", f"landing/siao/{NOM}"]  # no temporary file left behind


def _fichier_comptes(tmp_path, *lignes):
    chemin = tmp_path / "comptes_depot.csv"
    chemin.write_text("\n".join(["identifiant;departements;empreinte", *lignes]) + "\n", encoding="utf-8")
    return chemin


def test_comptes_mot_de_passe_sale_jamais_en_clair(tmp_path):
    e1, e2 = comptes.empreinte("mot de passe de Paris"), comptes.empreinte("mot de passe de Paris")
    assert e1 != e2 and "mot de passe" not in e1  # a random salt each time, never the password
    assert comptes.mot_de_passe_correct("mot de passe de Paris", e1)
    assert not comptes.mot_de_passe_correct("mot de passe de paris", e1)
    fichier = _fichier_comptes(tmp_path, f"siao-paris;75;{e1}", f"siao-gironde-landes;33|40;{comptes.empreinte('gironde')}")
    lus = comptes.charger(fichier)
    assert lus["siao-gironde-landes"].departements == {"33", "40"}
    assert comptes.authentifier("siao-paris", "mot de passe de Paris", fichier).departements == {"75"}
    assert comptes.authentifier("siao-paris", "mauvais", fichier) is None
    assert comptes.authentifier("inconnu", "mot de passe de Paris", fichier) is None
    assert comptes.authentifier("siao-paris", "", fichier) is None
    # a password written in clear refuses the whole file
    with pytest.raises(comptes.ComptesInvalides, match="jamais être écrit en clair"):
        comptes.charger(_fichier_comptes(tmp_path, "siao-paris;75;mot de passe de Paris"))


def test_departement_du_fichier():
    assert comptes.departement_du_fichier("siao_75_2023-04.csv") == "75"
    assert comptes.departement_du_fichier("siao_2A_2023-04.csv") == "2A"
    assert comptes.departement_du_fichier("ndls_33063_2024.csv") == "33"
    assert comptes.departement_du_fichier("ndls_97411_2024.csv") == "974"
    assert comptes.departement_du_fichier("sne_attributions_2024.csv") is None  # national


def test_depot_refuse_sans_compte(tmp_path):
    landing = tmp_path / "landing"
    with pytest.raises(depot.DepotRefuse, match="connectez-vous"):
        depot.deposer(NOM, _octets([SIAO_ROW]), landing, None)
    assert _fichiers(tmp_path) == []


def test_depot_refuse_pour_un_autre_departement(tmp_path):
    """Paris's account may not deposit a Gironde file (nor a national one); the message says why."""
    landing = tmp_path / "landing"
    with pytest.raises(depot.DepotRefuse) as refus:
        depot.deposer("siao_33_2023-04.csv", _octets([SIAO_ROW]), landing, PARIS)
    assert str(refus.value) == ("Dépôt refusé : le compte « siao-paris » ne peut déposer que les fichiers du "
                                "département 75 ; « siao_33_2023-04.csv » concerne le département 33.")
    assert "toute la France" in comptes.refus(PARIS, "sne_attributions_2024.csv")
    national = comptes.Compte("equipe-donnees", frozenset({"*"}), "")
    assert comptes.refus(national, "sne_attributions_2024.csv") is None and comptes.refus(national, NOM) is None
    assert _fichiers(tmp_path) == []


def test_depot_accepte_inscrit_au_journal(tmp_path):
    """Each accepted deposit is one JSON line of <landing>/depots.log: account, file, Paris time, size, SHA-256."""
    import hashlib
    from datetime import datetime, timedelta

    contenu = _octets([SIAO_ROW, SIAO_ROW])
    landing = tmp_path / "landing"
    avant = datetime.now().astimezone()
    depot.deposer(NOM, contenu, landing, PARIS)
    depot.deposer("siao_75_2023-05.csv", _octets([SIAO_ROW]), landing, PARIS)
    entrees = depot.journal(landing)
    assert [e["fichier"] for e in entrees] == [f"siao/{NOM}", "siao/siao_75_2023-05.csv"]
    premier = entrees[0]
    assert premier["compte"] == "siao-paris"
    assert premier["octets"] == len(contenu) == (landing / "siao" / NOM).stat().st_size
    assert premier["sha256"] == hashlib.sha256((landing / "siao" / NOM).read_bytes()).hexdigest()
    quand = datetime.fromisoformat(premier["horodatage"])
    assert quand.utcoffset() in (timedelta(hours=1), timedelta(hours=2))  # Europe/Paris, winter or summer time
    assert abs((quand - avant).total_seconds()) < 60
    # a refused deposit is not logged
    with pytest.raises(depot.DepotRefuse):
        depot.deposer("siao_33_2023-04.csv", contenu, landing, PARIS)
    assert len(depot.journal(landing)) == 2


def test_ligne_de_compte_ecrite_par_la_commande(tmp_path, monkeypatch, capsys):
    """`python -m observatory_app.comptes IDENTIFIANT DEPARTEMENTS` prints a line the accounts file
    accepts, with which the password (and only it) logs in; a short password is refused."""
    saisies = iter(["mot de passe de la Gironde", "mot de passe de la Gironde"])
    monkeypatch.setattr(comptes.getpass, "getpass", lambda _invite: next(saisies))
    assert comptes.main(["siao-gironde-landes", "33|40"]) == 0
    ligne = capsys.readouterr().out.strip()
    assert ligne.startswith("siao-gironde-landes;33|40;scrypt$") and "Gironde" not in ligne
    fichier = _fichier_comptes(tmp_path, ligne)
    assert comptes.authentifier("siao-gironde-landes", "mot de passe de la Gironde", fichier).departements == {"33", "40"}
    assert comptes.authentifier("siao-gironde-landes", "mot de passe", fichier) is None
    monkeypatch.setattr(comptes.getpass, "getpass", lambda _invite: "court")
    assert comptes.main(["x", "33"]) == 1


def test_comptes_oidc_par_adresse_jamais_par_mot_de_passe(tmp_path):
    """A line `adresse;33;oidc` is an account of the OIDC sign-in (st.login): found by the address the
    provider vouches for (any case), never opened by a password; a password account is not an OIDC one."""
    fichier = _fichier_comptes(tmp_path, "Coordination.Gironde@example.fr;33;oidc",
                               f"siao-paris;75;{comptes.empreinte('mot de passe de Paris')}")
    assert comptes.compte_oidc("coordination.gironde@EXAMPLE.fr", fichier).departements == {"33"}
    assert comptes.compte_oidc("siao-paris", fichier) is None
    assert comptes.compte_oidc("inconnu@example.fr", fichier) is None and comptes.compte_oidc(None, fichier) is None
    assert comptes.authentifier("Coordination.Gironde@example.fr", "oidc", fichier) is None


def test_oidc_configure_seulement_avec_un_client():
    assert comptes.oidc_configure({"auth": {"redirect_uri": "x", "cookie_secret": "y", "client_id": "c"}})
    assert comptes.oidc_configure({"auth": {"redirect_uri": "x", "microsoft": {"client_id": "c"}}})
    assert not comptes.oidc_configure({"auth": {"redirect_uri": "x"}})
    assert not comptes.oidc_configure({})

    class SansFichier:
        def get(self, cle):
            raise FileNotFoundError("no secrets.toml")
    assert not comptes.oidc_configure(SansFichier())
