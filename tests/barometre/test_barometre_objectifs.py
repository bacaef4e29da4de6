"""The Baromètre's IND-295 targets: `staging.barometre_objectifs`, `marts.objectifs` and the
publication file's `objectifs` table reproduce, for every territory of the real IND-295 file, its
initial value, latest current value, target and its date, and progress rate, read here directly
from the CSV with the standard library (independently of the loader)."""

import csv
from datetime import date

import duckdb

from assets.diffusion.fichier import build
from tests.barometre.conftest import BAROMETRE_DIR
from tests.diffusion.conftest import make_warehouse

IND_295 = BAROMETRE_DIR / "ind-295" / "ind-295.csv"
TYPES = {"DEPT": "departement", "REG": "region", "NAT": "france"}


def expected_from_file() -> dict[tuple[str, str], dict]:
    """Per (territoire_type, territoire_code): the file's values, read with csv."""
    out: dict[tuple[str, str], dict] = {}
    with IND_295.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            zone = row["enforce_zone_id"]
            kind = TYPES[row["maille"]]
            code = "FR" if kind == "france" else zone[1:]
            month = date.fromisoformat(row["metric_enforce_date"])
            entry = out.setdefault((kind, code), {"current": (None, None), "rate": (None, None)})
            if row["indic_vi"]:
                entry["initial"] = float(row["indic_vi"])
            if row["indic_vc"]:
                entry["target"] = (month, float(row["indic_vc"]))
            if row["indic_va"] and (entry["current"][0] is None or month > entry["current"][0]):
                entry["current"] = (month, float(row["indic_va"]))
            if row["indic_ta"] and (entry["rate"][0] is None or month > entry["rate"][0]):
                entry["rate"] = (month, float(row["indic_ta"]))
    return out


def test_marts_objectifs_reproduce_the_ind_295_file(real):
    expected = expected_from_file()
    assert len(expected) == 101 + 18 + 1
    rows = real.query(
        "select territoire_type, territoire_code, date_cible, valeur_initiale, valeur_actuelle, date_actuelle, "
        "valeur_cible, taux_avancement from marts.objectifs where serie = 'BAROMETRE_LDA_PERSONNES'"
    )
    got = {(t, c): rest for t, c, *rest in rows}
    assert set(got) == set(expected)
    for key, entry in expected.items():
        date_cible, initiale, actuelle, date_actuelle, cible, taux = got[key]
        assert (date_cible, cible) == entry["target"], key
        assert initiale == entry["initial"], key
        assert (date_actuelle, actuelle) == entry["current"], key
        assert taux == entry["rate"][1], key
    # the headline figures a reader checks on the Baromètre: France, target 2026-12 = 254 058
    assert tuple(got[("france", "FR")][:5]) == (date(2026, 12, 1), 0.0, 87802.0, date(2024, 5, 1), 254058.0)
    assert got[("france", "FR")][5] == 34.56
    assert got[("departement", "01")][0] == date(2026, 12, 1) and got[("departement", "01")][4] == 2262.0


def test_progress_computed_where_the_file_gives_no_rate(barometre):
    """A territory whose latest row carries no indic_ta: (current − initial) / (target − initial)."""
    lines = IND_295.read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [
        line.replace(",34.56", ",") if line.startswith("IND-295,FRANCE,2024-05-01") else line
        for line in lines[1:] if ",FRANCE," in line
    ]
    for path in barometre.folder.iterdir():
        path.unlink()
    (barometre.folder / "ind-295.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert barometre.materialise().success
    # 87 802 / 254 058 = 34.5602… %
    assert barometre.query("select territoire_code, taux_avancement from marts.objectifs") == [("FR", 34.56)]


def test_publication_objectifs(real, tmp_path):
    """The publication file (built on the diffusion tests' small warehouse, with the real
    marts.objectifs copied in) publishes the 120 targets, documented in French."""
    warehouse = make_warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(f"attach '{real.database}' as barometre (read_only)").fetchall()
        conn.execute("create table marts.objectifs as select * from barometre.marts.objectifs").fetchall()
    report = build(warehouse, tmp_path / "publication" / "observatoire.duckdb", synthetic=False)
    assert report.rows["objectifs"] == 120
    with duckdb.connect(str(report.path), read_only=True) as conn:
        row = conn.sql(
            "select serie, date_cible, valeur_initiale, valeur_actuelle, valeur_cible, taux_avancement "
            "from publication.objectifs where territoire_type = 'france'"
        ).fetchall()
        assert row == [("BAROMETRE_LDA_PERSONNES", date(2026, 12, 1), 0.0, 87802.0, 254058.0, 34.56)]
        comment = conn.sql(
            "select comment from duckdb_columns() where table_name = 'objectifs' and column_name = 'valeur_cible'"
        ).fetchall()[0][0]
        assert comment.startswith("Cible.")
