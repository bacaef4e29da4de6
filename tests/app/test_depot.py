"""observatory_app.depot: ingestion checks on uploaded bytes, copy into the landing folder only."""

from __future__ import annotations

import pytest

from observatory_app import depot
from tests.ingest.samples import SIAO_HEADER, SIAO_ROW, csv_text, row

NOM = "siao_75_2023-04.csv"


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
        depot.deposer(NOM, contenu, landing)
    assert not landing.exists()


def test_fichier_propre_copie_dans_le_sous_dossier_de_la_source(tmp_path):
    contenu = _octets([SIAO_ROW, SIAO_ROW])
    assert depot.verifier(NOM, contenu).propre
    landing = tmp_path / "landing"
    chemin = depot.deposer(NOM, contenu, landing)
    assert chemin == (landing / "siao" / NOM).resolve()
    assert chemin.read_bytes() == contenu
    assert _fichiers(tmp_path) == [f"landing/siao/{NOM}"]  # nothing else written anywhere under tmp_path
    with pytest.raises(depot.DepotRefuse, match="déjà"):  # never overwritten
        depot.deposer(NOM, _octets([SIAO_ROW]), landing)
    assert chemin.read_bytes() == contenu


@pytest.mark.parametrize("nom", ["../siao_75_2023-04.csv", "siao/../../x.csv", "a/siao_75_2023-04.csv", "..\\siao_75_2023-04.csv", ".."])
def test_nom_avec_chemin_refuse(tmp_path, nom):
    with pytest.raises(depot.DepotRefuse):
        depot.verifier(nom, _octets([SIAO_ROW]))
    with pytest.raises(depot.DepotRefuse):
        depot.deposer(nom, _octets([SIAO_ROW]), tmp_path / "landing")
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
        depot.deposer(nom, _octets([SIAO_ROW]), tmp_path / "landing")
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
    chemin = depot.deposer(NOM, premier, landing)
    with pytest.raises(depot.DepotRefuse, match="vient d'être déposé"):
        depot.deposer(NOM, second, landing)
    monkeypatch.undo()
    assert chemin.read_bytes() == premier
    assert stat.S_IMODE(os.stat(chemin).st_mode) == 0o644
    assert _fichiers(tmp_path) == [f"landing/siao/{NOM}"]  # no temporary file left behind


def test_jeton_de_depot(monkeypatch):
    monkeypatch.delenv(depot.VARIABLE_JETON, raising=False)
    assert not depot.jeton_configure() and not depot.jeton_valide("x")
    monkeypatch.setenv(depot.VARIABLE_JETON, "secret-coordination")
    assert depot.jeton_configure()
    assert depot.jeton_valide("secret-coordination")
    assert not depot.jeton_valide("secret-coordinatio") and not depot.jeton_valide("")
