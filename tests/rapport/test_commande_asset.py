"""`observatoire report` and the Dagster asset `rapport/annuel` on the tiny hand-made publication:
both write `rapport-AAAA.html` and `rapport-AAAA.pdf`; clear French errors; the partitioned asset
stays out of the whole-pipeline run."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
from click.testing import CliRunner
from pypdf import PdfReader

from assets.diffusion.resources import PublicationFileResource
from assets.rapport.assets import KEY, PARTITIONS, annuel
from assets.rapport.generation import compter_pages
from assets.rapport.resources import RapportsResource
from pipelines.cli import main
from tests.rapport.conftest import ANNEE_MINUSCULE, LDA_A, LDA_B

MARQUE = "Fiche territoire Logement d'abord · "


def fiches(pdf: Path) -> list[str]:
    textes = [p.extract_text() or "" for p in PdfReader(str(pdf)).pages]
    return [t for t in textes if MARQUE in t]


def test_cli_writes_html_and_pdf(minuscule, tmp_path, monkeypatch):
    out = tmp_path / "rapports"
    result = CliRunner().invoke(main, ["report", "--year", str(ANNEE_MINUSCULE), "--out", str(out),
                                       "--publication", str(minuscule)])
    assert result.exit_code == 0, result.output
    html, pdf = out / "rapport-2019.html", out / "rapport-2019.pdf"
    assert html.is_file() and pdf.is_file()
    assert sorted(p.name for p in out.iterdir()) == ["rapport-2019.html", "rapport-2019.pdf"]  # no temporary file
    assert "Fichier de publication lu" in result.output and f"PDF : {pdf}" in result.output
    pages = fiches(pdf)
    assert len(pages) == 2 and LDA_A in pages[0] and LDA_B in pages[1]
    # Without pypdf (not a runtime dependency) the page count comes from the PDF's page objects.
    n = len(PdfReader(str(pdf)).pages)
    assert f"{n} pages" in result.output
    monkeypatch.setitem(sys.modules, "pypdf", None)
    assert compter_pages(pdf) == n


def test_default_folder_from_settings(monkeypatch, tmp_path):
    from pipelines.config import DATA_DIR, Settings
    from pipelines.resources import default_resources

    monkeypatch.delenv("OBSERVATOIRE_RAPPORTS", raising=False)
    assert Settings.from_env().rapports == DATA_DIR / "rapports"
    monkeypatch.setenv("OBSERVATOIRE_RAPPORTS", str(tmp_path / "ailleurs"))
    assert Settings.from_env().rapports == tmp_path / "ailleurs"
    assert Settings.from_env(rapports=tmp_path / "out").rapports == tmp_path / "out"  # --out wins
    assert default_resources(Settings.from_env())["rapports"].folder == tmp_path / "ailleurs"


def test_cli_fails_clearly_without_the_publication_file(tmp_path):
    out = tmp_path / "rapports"
    result = CliRunner().invoke(main, ["report", "--year", "2025", "--out", str(out),
                                       "--publication", str(tmp_path / "absent.duckdb")])
    assert result.exit_code == 1
    assert "Erreur : Fichier de publication introuvable" in result.output
    assert not out.exists()


def test_cli_fails_clearly_for_a_year_without_data(minuscule, tmp_path):
    result = CliRunner().invoke(main, ["report", "--year", "2010", "--out", str(tmp_path), "--publication", str(minuscule)])
    assert result.exit_code == 1
    assert "Aucune donnée publiée pour l'année 2010" in result.output
    assert "années disponibles : 2017 à 2019" in result.output


def test_cli_refuses_the_year_in_progress(tmp_path):
    """`observatoire report --year <current year>` on a file where only a Nuit de la Solidarité of
    that year is published: exit 1, a French message, no file written."""
    from datetime import date

    from tests.rapport.conftest import construire_minuscule

    annee = date.today().year
    chemin = construire_minuscule(tmp_path / "p.duckdb", annee_ndls_seule=str(annee))
    out = tmp_path / "rapports"
    result = CliRunner().invoke(main, ["report", "--year", str(annee), "--out", str(out), "--publication", str(chemin)])
    assert result.exit_code == 1
    assert f"Erreur : L'année {annee} n'est pas terminée" in result.output
    assert "années disponibles : 2017 à 2019" in result.output
    assert not out.exists()


def test_cli_fails_clearly_without_chromium(minuscule, tmp_path):
    result = CliRunner().invoke(main, ["report", "--year", "2019", "--out", str(tmp_path), "--publication", str(minuscule)],
                                env={"OBSERVATOIRE_CHROMIUM": str(tmp_path / "pas-de-chromium")})
    assert result.exit_code == 1
    assert "Erreur : Chromium" in result.output and "ne démarre pas" in result.output
    assert not (tmp_path / "rapport-2019.pdf").exists()


def test_cli_requires_the_year():
    result = CliRunner().invoke(main, ["report"])
    assert result.exit_code == 2 and "--year" in result.output


def test_asset_materialises_one_partition(minuscule, tmp_path):
    out = tmp_path / "rapports"
    result = dg.materialize(
        [annuel],
        partition_key=str(ANNEE_MINUSCULE),
        resources={"publication_file": PublicationFileResource(path=str(minuscule)),
                   "rapports": RapportsResource(path=str(out))},
    )
    assert result.success
    assert (out / "rapport-2019.html").is_file() and (out / "rapport-2019.pdf").is_file()
    (materialisation,) = result.asset_materializations_for_node("rapport__annuel")
    assert materialisation.partition == "2019"
    metadata = materialisation.metadata
    assert metadata["territoires_lda"].value == 2
    assert metadata["pages_pdf"].value == len(PdfReader(str(out / "rapport-2019.pdf")).pages)
    assert metadata["donnees_synthetiques"].value is True


def test_asset_fails_on_a_year_without_data(minuscule, tmp_path):
    result = dg.materialize(
        [annuel], partition_key="2016", raise_on_error=False,
        resources={"publication_file": PublicationFileResource(path=str(minuscule)),
                   "rapports": RapportsResource(path=str(tmp_path))},
    )
    assert not result.success


def test_partitions_job_and_schedule():
    from pipelines.definitions import defs

    assert PARTITIONS.get_partition_keys()[0] == "2015"
    job = defs.resolve_job_def("rapport_annuel")
    assert job.partitions_def == PARTITIONS
    schedule = defs.get_schedule_def("rapport_annuel_chaque_annee")
    assert schedule.cron_schedule == "0 0 1 1 *" and schedule.job_name == "rapport_annuel"
    graph = defs.resolve_asset_graph()
    assert graph.get(KEY).parent_keys == {dg.AssetKey(["publication", "fichier"])}
    # The landing sensor's job (the whole pipeline) leaves the partitioned report out.
    assert KEY not in defs.resolve_job_def("pipeline_complet").asset_layer.executable_asset_keys
