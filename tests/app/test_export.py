import io
import zipfile

import polars as pl

from observatory_app import export


def test_csv_excel_bom_point_virgule_virgule_decimale():
    contenu = export.csv_excel(pl.DataFrame({"a": ["x"], "v": [1.5]}))
    assert contenu.startswith(b"\xef\xbb\xbf")
    assert contenu.decode("utf-8-sig").splitlines() == ["a;v", "x;1,5"]


def test_xlsx_relisible():
    contenu = export.xlsx(pl.DataFrame({"a": ["x"], "v": [1.5]}))
    assert contenu[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()
        assert "donnees" in archive.read("xl/workbook.xml").decode()


TERRITOIRE = pl.DataFrame(
    {
        "indicateur": ["ATTR_SD", "TX_ATTR_SD", "DEM_URG"],
        "libelle": ["=HYPERLINK(\"http://x\")", "Part", "@SUM(A1)"],
        "unite": ["nombre", "%", "nombre"],
        "territoire_libelle": ["-2+3", "Ain", "Ain"],
        "valeur": [29.0, 5.512345678901234, 100.0],
        "numerateur": [None, 29.0, None],
        "denominateur": [None, 526.0, None],
    }
)


def test_csv_comptes_entiers_taux_arrondis_formules_neutralisees():
    lignes = export.csv_excel(TERRITOIRE).decode("utf-8-sig").splitlines()
    cellules = [ligne.split(";") for ligne in lignes[1:]]
    assert [c[4] for c in cellules] == ["29", "5,5", "100"]  # never « 29,0 » nor 15 decimals
    assert cellules[1][5:7] == ["29", "526"]
    assert cellules[0][1].startswith("\"'=HYPERLINK") or cellules[0][1].startswith("'=HYPERLINK")
    assert cellules[0][3] == "'-2+3"
    assert cellules[2][1] == "'@SUM(A1)"
    assert cellules[1][3] == "Ain"


def test_xlsx_format_entier_pour_les_comptes():
    contenu = export.xlsx(TERRITOIRE)
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        styles = archive.read("xl/styles.xml").decode()
        feuille = archive.read("xl/worksheets/sheet1.xml").decode()
    assert 'formatCode="#,##0"' in styles and 'formatCode="#,##0.0"' in styles
    assert "#,##0.000" not in styles  # « 100,000 » for a count of 100
    assert "<v>100</v>" in feuille and "<v>5.5</v>" in feuille
    assert "<f>" not in feuille  # no cell is a formula
