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
