from observatoire_commun import format as fr


def sans_espaces_speciales(texte: str) -> str:
    return texte.replace("\u202f", " ").replace("\u00a0", " ")


def test_nombre_milliers():
    assert sans_espaces_speciales(fr.nombre(12345)) == "12 345"
    assert sans_espaces_speciales(fr.nombre(1234567.89, 1)) == "1 234 567,9"
    assert fr.nombre(7) == "7"


def test_pourcentage():
    assert sans_espaces_speciales(fr.pourcentage(12.34)) == "12,3 %"


def test_secret_jamais_zero():
    assert fr.valeur(None, "secret", "nombre") == "s"
    assert fr.valeur(0.0, "secret", "nombre") == "s"


def test_absent():
    assert fr.valeur(None, "absent", "nombre") == "—"
    assert fr.nombre(None) == "—"


def test_valeur_selon_unite():
    assert sans_espaces_speciales(fr.valeur(1234.0, "ok", "nombre")) == "1 234"
    assert sans_espaces_speciales(fr.valeur(6.25, "ok", "%")) == "6,3 %" or sans_espaces_speciales(fr.valeur(6.25, "ok", "%")) == "6,2 %"
    assert fr.valeur(0.0, "ok", "nombre") == "0"


def test_evolution():
    assert sans_espaces_speciales(fr.evolution(110, 100, "nombre")) == "+10,0 %"
    assert fr.evolution(5.0, 6.5, "%") == "-1,5 pt"
    assert fr.evolution(1, 0, "nombre") is None
