"""Real browser: the real Streamlit server on the tiny publication file, every page in chromium.

Each page: wait for its title and the end of the script run, fail on any Streamlit exception block,
traceback or English error text, on « None », « nan » or « NaN » in the page's text or in its tables'
cells, and on a plotly chart where a territory's series (a trace named after a published territory)
is drawn entirely at 0 while the values published for it are not; save a screenshot in
`test-artifacts/` and record the render time (written to `test-artifacts/render_times.json`). On
Fiche territoire, each download button (CSV, XLSX) is clicked twice in a row, fast: both clicks
must give a non-empty file of the right format. `OBSERVATOIRE_BROWSER_PUBLICATION` points the test at another
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
# English messages of Streamlit, Python or a library that would reach the reader untranslated
ANGLAIS = re.compile(
    r"\b(?:[Ee]rror|[Ww]arning|[Ff]ailed|[Ii]nvalid|[Nn]ot found|[Nn]o such|[Cc]annot|[Cc]ould not|[Uu]nable to|"
    r"Something went wrong|Please|does not exist|is not|No data|Drag and drop|Browse files|Upload|per file|"
    r"Limit \d+\s?MB)\b"
)
# what an unformatted missing value looks like once printed: never shown to a reader
VIDE_BRUT = re.compile(r"(?<![\w-])(?:None|nan|NaN|null|NaT|<NA>)(?![\w-])")
# the plotly figures of the page: title (first line, tags removed) and traces (name, x, y, orientation)
FIGURES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
    titre: (((gd.layout || {}).title || {}).text || ''),
    traces: (gd.data || []).map(t => ({nom: t.name === undefined ? null : t.name, type: t.type || 'scatter',
        orientation: t.orientation || 'v', x: Array.from(t.x || []), y: Array.from(t.y || [])}))}))"""
# the page's text as read, without the names of Material icons (« warning » is drawn as an icon)
TEXTE_JS = """() => {
    const icones = Array.from(document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stIconMaterial"], '
        + '[data-testid="stMain"] [data-testid="stAlertDynamicIcon"]'));
    const avant = icones.map(e => e.style.display);
    icones.forEach(e => { e.style.display = 'none'; });
    const texte = document.querySelector('[data-testid="stMain"]').innerText;
    icones.forEach((e, i) => { e.style.display = avant[i]; });
    return texte;
}"""
CELLULES_JS = """() => Array.from(document.querySelectorAll(
    '[data-testid="stDataFrame"] td, [data-testid="stDataFrame"] th, '
    + '[data-testid="stTable"] td, [data-testid="stTable"] th'
)).map(e => e.textContent)"""

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
    from observatory_app import comptes

    # the accounts file, outside the repository: Paris's coordinator may deposit files of the 75 only
    (tmp_path / "comptes_depot.csv").write_text(
        f"identifiant;departements;empreinte\n{IDENTIFIANT};75;{comptes.empreinte(MOT_DE_PASSE)}\n", encoding="utf-8")
    env = dict(os.environ, OBSERVATOIRE_PUBLICATION=publication, OBSERVATOIRE_LANDING=str(tmp_path / "landing"),
               OBSERVATOIRE_DEPOT_COMPTES=str(tmp_path / "comptes_depot.csv"))
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


def _extrait(texte: str, m: re.Match) -> str:
    return texte[max(0, m.start() - 60): m.end() + 60].replace("\n", " ⏎ ")


def verifier_textes(nom: str, texte: str, cellules: list[str]) -> list[str]:
    """Problems of a page's text and table cells: English error text, raw missing values."""
    problemes = []
    for m in ANGLAIS.finditer(texte):
        problemes.append(f"{nom} : texte anglais « {m.group(0)} » : …{_extrait(texte, m)}…")
    for m in VIDE_BRUT.finditer(texte):
        problemes.append(f"{nom} : valeur brute « {m.group(0)} » dans le texte : …{_extrait(texte, m)}…")
    for cellule in cellules:
        m = VIDE_BRUT.search(cellule) or ANGLAIS.search(cellule)
        if m:
            problemes.append(f"{nom} : cellule de tableau « {cellule.strip()} »")
    return problemes


def _titre_brut(titre: str) -> str:
    """The first line of a plotly title, tags removed."""
    return re.sub(r"<[^>]+>", "", re.split(r"<br\s*/?>", titre, maxsplit=1)[0]).strip()


def _nombre(v) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def verifier_figures(nom: str, figures: list[dict], publies) -> list[str]:
    """Problems of a page's plotly figures: a territory's series drawn entirely at 0 while the values
    published for it are not all 0.

    A trace is a territory's series when its name is the label of a published territory; the indicator
    is the one whose catalogue label begins the chart's title (the longest such label). `publies(
    indicateur, libelle, periodes)` gives the published values (status ok) of that territory. A series
    entirely at 0 on a chart whose indicator cannot be identified is a problem too (it cannot be shown
    to be right)."""
    problemes = []
    for figure in figures:
        titre = _titre_brut(figure["titre"])
        for trace in figure["traces"]:
            territoire = trace["nom"]
            if not territoire or territoire not in publies.territoires:
                continue
            periodes, valeurs = (trace["y"], trace["x"]) if trace["orientation"] == "h" else (trace["x"], trace["y"])
            points = [(str(p), _nombre(v)) for p, v in zip(periodes, valeurs, strict=False) if _nombre(v) is not None]
            if not points or any(v != 0 for _, v in points):
                continue
            indicateur = publies.indicateur(titre)
            if indicateur is None:
                problemes.append(
                    f"{nom} : « {titre} », série de {territoire} entièrement à 0, indicateur non identifié")
                continue
            reels = publies.valeurs(indicateur, territoire, [p for p, _ in points])
            if any(v != 0 for v in reels):
                problemes.append(
                    f"{nom} : « {titre} », série de {territoire} tracée à 0 sur {[p for p, _ in points]} "
                    f"alors que les valeurs publiées de {indicateur} sont {reels}"
                )
    return problemes


class Publies:
    """The published labels and values the page checks compare with (the publication file, read only)."""

    def __init__(self, chemin: str) -> None:
        import duckdb

        self.conn = duckdb.connect(chemin, read_only=True)
        self.territoires = {
            t for (t,) in self.conn.sql("select distinct territoire_libelle from publication.indicateurs").fetchall()
        }
        self.libelles = sorted(
            self.conn.sql("select code, libelle from publication.catalogue").fetchall(), key=lambda r: -len(r[1])
        )

    def un_territoire_par_niveau(self) -> list[tuple[str, str]]:
        """The first territory (by label) of each level of the picker other than the default one."""
        return self.conn.sql(
            "select territoire_type, min(territoire_libelle) from publication.territoires "
            "where territoire_type in ('departement', 'region', 'epci') group by 1 order by 1"
        ).fetchall()

    def indicateur(self, titre: str) -> str | None:
        return next((code for code, libelle in self.libelles if titre.startswith(libelle)), None)

    def valeurs(self, indicateur: str, territoire: str, periodes: list[str]) -> list[float]:
        return [v for (v,) in self.conn.execute(
            "select valeur from publication.indicateurs where indicateur = ? and territoire_libelle = ? "
            "and periode = any(?) and statut = 'ok' and valeur is not null order by periode",
            [indicateur, territoire, periodes],
        ).fetchall()]

    def close(self) -> None:
        self.conn.close()


def verifier_page(page, nom: str, publies: Publies) -> list[str]:
    """Every problem a reader would see on the page as it is now (text, table cells, charts)."""
    # plotly draws after the script run ends: wait until every chart element holds its figure
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).every(
            e => { const gd = e.querySelector('.js-plotly-plot'); return gd && Array.isArray(gd.data); })""",
        timeout=20_000,
    )
    texte = page.evaluate(TEXTE_JS)
    return (verifier_textes(nom, texte, page.evaluate(CELLULES_JS))
            + verifier_figures(nom, page.evaluate(FIGURES_JS), publies))


def _format_correct(contenu: bytes, extension: str) -> bool:
    """A CSV of the app: UTF-8 BOM, `;`-separated header starting with `indicateur` and data lines;
    an XLSX: a zip holding a workbook whose first sheet has the header `indicateur` and a data row."""
    if extension == "csv":
        texte = contenu.decode("utf-8")
        lignes = texte.lstrip("\ufeff").splitlines()
        return texte.startswith("\ufeff") and lignes[0].split(";")[0] == "indicateur" and len(lignes) > 1
    import io
    import zipfile

    if not zipfile.is_zipfile(io.BytesIO(contenu)):
        return False
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        noms = archive.namelist()
        if "xl/workbook.xml" not in noms or "xl/worksheets/sheet1.xml" not in noms:
            return False
        feuille = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        chaines = archive.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in noms else feuille
    return '<row r="2"' in feuille and ">indicateur<" in chaines


def cliquer_deux_fois(page, libelle: str, extension: str, dossier: Path) -> list[bytes]:
    """Click the download button twice in a row without waiting in between, then wait for both
    downloads (each must arrive: no deferred file that vanished, no silent click)."""
    bouton = page.get_by_role("button", name=libelle)
    bouton.wait_for(timeout=20_000)
    recus: list = []

    def recevoir(telechargement) -> None:
        recus.append(telechargement)

    page.on("download", recevoir)
    try:
        bouton.click()
        bouton.click()
        limite = time.monotonic() + 20
        while len(recus) < 2 and time.monotonic() < limite:
            page.wait_for_timeout(100)
    finally:
        page.remove_listener("download", recevoir)
    assert len(recus) == 2, f"{libelle} : {len(recus)} fichier(s) reçu(s) pour deux clics"
    contenus = []
    for i, telechargement in enumerate(recus, start=1):
        assert telechargement.failure() is None, f"{libelle}, clic {i} : {telechargement.failure()}"
        assert telechargement.suggested_filename.endswith(f".{extension}"), telechargement.suggested_filename
        chemin = dossier / f"clic{i}_{telechargement.suggested_filename}"
        telechargement.save_as(chemin)
        contenus.append(chemin.read_bytes())
    return contenus


IDENTIFIANT, MOT_DE_PASSE = "siao-paris", "mot de passe de la coordination"
# the French texts drawn by CSS in place of the uploader's own English ones
TEXTES_TELEVERSEMENT_JS = """() => Array.from(document.querySelectorAll('[data-testid="stFileUploader"] *'))
    .map(e => getComputedStyle(e, '::after').content).filter(c => c && c !== 'none' && c !== 'normal')"""


def _saisir_jeton(page) -> None:
    """Logs in with the test account (the session keeps it until « Se déconnecter »)."""
    if page.get_by_role("button", name="Se déconnecter").count() == 0:
        page.get_by_label("Identifiant").fill(IDENTIFIANT)
        page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
        page.get_by_role("button", name="Se connecter").click()
    page.locator('[data-testid="stFileUploader"]').wait_for(timeout=20_000)


def test_toutes_les_pages_dans_chromium(serveur):
    playwright = pytest.importorskip("playwright.sync_api")
    url, tmp_path = serveur
    ARTEFACTS.mkdir(exist_ok=True)
    temps: dict[str, float] = {}
    problemes: list[str] = []
    publies = Publies(os.environ.get("OBSERVATOIRE_BROWSER_PUBLICATION") or str(tmp_path / "observatoire.duckdb"))
    with playwright.sync_playwright() as p:
        navigateur = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = navigateur.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            for chemin, titre in PAGES:
                debut = time.monotonic()
                page.goto(f"{url}/{chemin}", wait_until="domcontentloaded")
                _attendre_rendu(page, titre)
                temps[titre] = round(time.monotonic() - debut, 2)
                _verifier_sans_erreur(page, titre)
                problemes += verifier_page(page, titre, publies)
                page.screenshot(path=str(ARTEFACTS / f"page_{chemin or 'vue_nationale'}.png"), full_page=True)
            # Fiche territoire for one territory of every other level (département, région, EPCI)
            for territoire_type, libelle in publies.un_territoire_par_niveau():
                page.goto(f"{url}/fiche_territoire", wait_until="domcontentloaded")
                _attendre_rendu(page, "Fiche territoire")
                page.locator('[data-testid="stSelectbox"]').first.click()
                page.keyboard.type(libelle)
                page.keyboard.press("Enter")
                page.locator("h2, h3", has_text="Derniers chiffres").first.wait_for(timeout=20_000)
                page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=20_000)
                choisi = page.locator('[data-testid="stSelectbox"] input').first.input_value()
                assert libelle in choisi, (libelle, choisi)
                _verifier_sans_erreur(page, f"Fiche territoire ({libelle})")
                problemes += verifier_page(page, f"Fiche territoire ({libelle})", publies)
            assert not problemes, "\n".join(problemes)

            # Downloads of Fiche territoire: each button clicked twice in a row, fast; both files arrive.
            page.goto(f"{url}/fiche_territoire", wait_until="domcontentloaded")
            _attendre_rendu(page, "Fiche territoire")
            for libelle, extension in (("CSV (Excel, séparateur « ; »)", "csv"), ("XLSX", "xlsx")):
                contenus = cliquer_deux_fois(page, libelle, extension, tmp_path)
                assert len(contenus) == 2
                for i, contenu in enumerate(contenus, start=1):
                    assert contenu, f"{libelle}, clic {i} : fichier vide"
                    assert _format_correct(contenu, extension), (
                        f"{libelle}, clic {i} : pas un {extension} de l'observatoire")
                assert contenus[0] == contenus[1] or extension == "xlsx", f"{libelle} : deux fichiers différents"
                page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=20_000)
            _verifier_sans_erreur(page, "Fiche territoire (après les téléchargements)")

            # The upload page once logged in: the uploader's texts in French (its English ones hidden).
            page.goto(f"{url}/depot", wait_until="domcontentloaded")
            _attendre_rendu(page, "Déposer un export")
            _saisir_jeton(page)
            problemes = verifier_page(page, "Déposer un export (connecté)", publies)
            assert not problemes, "\n".join(problemes)
            textes = " ".join(page.evaluate(TEXTES_TELEVERSEMENT_JS))
            for attendu in ("Parcourir", "Glissez-déposez le fichier ici", "200 Mo au plus"):
                assert attendu in textes, textes
            page.screenshot(path=str(ARTEFACTS / "page_depot_connecte.png"), full_page=True)

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
            assert deposes == ["depots.log", "siao/siao_75_2023-05.csv"]
            assert (tmp_path / "landing" / "siao" / "siao_75_2023-05.csv").read_bytes() == propre.read_bytes()
            from observatory_app import depot

            (entree,) = depot.journal(tmp_path / "landing")
            assert (entree["compte"], entree["fichier"], entree["octets"]) == (
                IDENTIFIANT, "siao/siao_75_2023-05.csv", propre.stat().st_size)

            # A clean file of another département: refused, with the reason, and no button.
            autre = tmp_path / "propre" / "siao_33_2023-05.csv"
            autre.write_text(csv_text(SIAO_HEADER, [SIAO_ROW]))
            page.goto(f"{url}/depot", wait_until="domcontentloaded")
            _attendre_rendu(page, "Déposer un export")
            _saisir_jeton(page)
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(autre))
            page.get_by_text("concerne le département 33").first.wait_for(timeout=20_000)
            page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=20_000)
            assert page.get_by_role("button", name="Déposer dans le dossier de dépôt").count() == 0
            assert not (tmp_path / "landing" / "siao" / "siao_33_2023-05.csv").exists()
            assert len(depot.journal(tmp_path / "landing")) == 1
        finally:
            navigateur.close()
            publies.close()
    (ARTEFACTS / "render_times.json").write_text(json.dumps(temps, ensure_ascii=False, indent=2))
    print("Temps de rendu (s) :", temps)
    assert len(temps) == len(PAGES)
