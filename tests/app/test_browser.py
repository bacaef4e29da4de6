"""Real browser: the real Streamlit server on the tiny publication file, every page in chromium.

Each page: wait for its title and the end of the script run, fail on any Streamlit exception block
or traceback text, save a screenshot in `test-artifacts/` and record the render time (written to
`test-artifacts/render_times.json`). `OBSERVATOIRE_BROWSER_PUBLICATION` points the test at another
publication file (e.g. a copy of the demo file) to measure its render times.
Skipped only when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.app.conftest import construire
from tests.ingest.samples import SIAO_HEADER, SIAO_ROW, csv_text, row

RACINE = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = RACINE / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# (url path, title awaited on the page); "" is the default page
PAGES = [
    ("", "Vue nationale"),
    ("fiche_territoire", "Fiche territoire"),
    ("classement", "Classement des territoires"),
    ("ndls", "Nuits de la Solidarité"),
    ("depot", "Déposer un export"),
    ("methodologie", "Méthodologie"),
    ("qualite", "Qualité des données"),
]
ERREUR = re.compile(r"Traceback|\w*(?:Error|Exception)\b")

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} absent: browser test skipped (CI installs chromium)")


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serveur(tmp_path):
    publication = os.environ.get("OBSERVATOIRE_BROWSER_PUBLICATION")
    if not publication:
        publication = str(tmp_path / "observatoire.duckdb")
        construire(publication)
    port = _port_libre()
    env = dict(os.environ, OBSERVATOIRE_PUBLICATION=publication, OBSERVATOIRE_LANDING=str(tmp_path / "landing"),
               OBSERVATOIRE_DEPOT_JETON=JETON)
    journal = open(tmp_path / "streamlit.log", "w")
    processus = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(RACINE / "observatory_app" / "app.py"),
            "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        ],
        cwd=RACINE, env=env, stdout=journal, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        limite = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if processus.poll() is not None or time.monotonic() > limite:
                journal.flush()
                pytest.fail("serveur Streamlit non démarré :\n" + (tmp_path / "streamlit.log").read_text())
            time.sleep(0.2)
        yield url, tmp_path
    finally:
        processus.terminate()
        try:
            processus.wait(10)
        except subprocess.TimeoutExpired:
            processus.kill()
        journal.close()


def _attendre_rendu(page, titre: str) -> None:
    page.locator("h1", has_text=titre).first.wait_for(timeout=20_000)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=20_000)


def _verifier_sans_erreur(page, nom: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, f"{nom} : bloc d'exception Streamlit"
    texte = page.locator('[data-testid="stMain"]').inner_text()
    trouve = ERREUR.search(texte)
    assert trouve is None, f"{nom} : « {trouve.group(0) if trouve else ''} » dans le texte de la page"


JETON = "jeton-des-coordinateurs"


def _saisir_jeton(page) -> None:
    champ = page.get_by_label("Jeton de dépôt (coordinateurs)")
    champ.fill(JETON)
    champ.press("Enter")
    page.locator('[data-testid="stFileUploader"]').wait_for(timeout=20_000)


def test_toutes_les_pages_dans_chromium(serveur):
    playwright = pytest.importorskip("playwright.sync_api")
    url, tmp_path = serveur
    ARTEFACTS.mkdir(exist_ok=True)
    temps: dict[str, float] = {}
    with playwright.sync_playwright() as p:
        navigateur = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = navigateur.new_page(viewport={"width": 1400, "height": 1000})
            for chemin, titre in PAGES:
                debut = time.monotonic()
                page.goto(f"{url}/{chemin}", wait_until="domcontentloaded")
                _attendre_rendu(page, titre)
                temps[titre] = round(time.monotonic() - debut, 2)
                _verifier_sans_erreur(page, titre)
                page.screenshot(path=str(ARTEFACTS / f"page_{chemin or 'vue_nationale'}.png"), full_page=True)

            # The upload page with a real file: problems listed with line and column, nothing deposited.
            fichier = tmp_path / "siao_75_2023-04.csv"
            fichier.write_text(csv_text(SIAO_HEADER, [SIAO_ROW, row(SIAO_ROW, **{"Date de la demande": "31/02/2023"})]))
            page.goto(f"{url}/depot", wait_until="domcontentloaded")
            _attendre_rendu(page, "Déposer un export")
            _saisir_jeton(page)
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(fichier))
            page.get_by_text("problème(s) trouvé(s)").first.wait_for(timeout=20_000)
            page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=20_000)
            # the full report (expanded when there are problems) lists the line and the column
            page.get_by_text("ligne 3, colonne « Date de la demande »").first.wait_for(timeout=20_000)
            assert page.get_by_role("button", name="Déposer dans le dossier de dépôt").count() == 0
            page.screenshot(path=str(ARTEFACTS / "page_depot_problemes.png"), full_page=True)
            assert not (tmp_path / "landing").exists()

            # A clean file: the button copies it into <landing>/siao/ and nowhere else.
            propre = tmp_path / "propre" / "siao_75_2023-05.csv"
            propre.parent.mkdir()
            propre.write_text(csv_text(SIAO_HEADER, [SIAO_ROW]))
            page.goto(f"{url}/depot", wait_until="domcontentloaded")
            _attendre_rendu(page, "Déposer un export")
            _saisir_jeton(page)
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(propre))
            bouton = page.get_by_role("button", name="Déposer dans le dossier de dépôt")
            bouton.wait_for(timeout=20_000)
            bouton.click()
            page.get_by_text("Fichier déposé").first.wait_for(timeout=20_000)
            _verifier_sans_erreur(page, "Déposer un export (fichier propre)")
            page.screenshot(path=str(ARTEFACTS / "page_depot_depose.png"), full_page=True)
            deposes = sorted(f.relative_to(tmp_path / "landing").as_posix() for f in (tmp_path / "landing").rglob("*") if f.is_file())
            assert deposes == ["siao/siao_75_2023-05.csv"]
            assert (tmp_path / "landing" / "siao" / "siao_75_2023-05.csv").read_bytes() == propre.read_bytes()
        finally:
            navigateur.close()
    (ARTEFACTS / "render_times.json").write_text(json.dumps(temps, ensure_ascii=False, indent=2))
    print("Temps de rendu (s) :", temps)
    assert len(temps) == len(PAGES)
