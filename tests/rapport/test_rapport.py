"""The 2025 report of a publication file built by the real pipeline from small generated data
(fixtures `publication_pipeline`, `rapport_pipeline`): one PDF page per Logement d'abord territory,
headline figures equal to the publication's, secret cells « s », a self-contained HTML."""

from __future__ import annotations

import base64
import re

import duckdb
import pytest
from pypdf import PdfReader

from assets.rapport.contenu import CHIFFRES_CLES, INDICATEURS_TERRITOIRE
from observatoire_commun import format as fr
from tests.rapport.conftest import ANNEE

MARQUE = "Fiche territoire Logement d'abord · "


def normalise(texte: str) -> str:
    """PDF text and HTML compared with every kind of space as one plain space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", texte)


@pytest.fixture(scope="module")
def pages(rapport_pipeline) -> list[str]:
    return [normalise(p.extract_text() or "") for p in PdfReader(str(rapport_pipeline.pdf)).pages]


@pytest.fixture(scope="module")
def html(rapport_pipeline) -> str:
    return rapport_pipeline.html.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def publie(publication_pipeline):
    with duckdb.connect(str(publication_pipeline), read_only=True) as conn:
        territoires = conn.sql(
            "select territoire_code, territoire_libelle from publication.territoires "
            "where territoire_type = 'territoire_lda' order by territoire_code"
        ).fetchall()
        catalogue = dict(conn.sql("select code, unite from publication.catalogue").fetchall())
        france = {
            (i, p): (v, s)
            for i, p, v, s in conn.sql(
                "select indicateur, periode, valeur, statut from publication.indicateurs where territoire_code = 'FR'"
            ).fetchall()
        }
        secrets = conn.sql(
            "select territoire_code, indicateur from publication.indicateurs where territoire_type = 'territoire_lda' "
            "and periode = $p and statut = 'secret' and list_contains($codes, indicateur) order by all",
            params={"p": str(ANNEE), "codes": INDICATEURS_TERRITOIRE},
        ).fetchall()
        evol_pc = dict(conn.sql(
            "select territoire_code, valeur from publication.indicateurs where indicateur = 'NDLS_EVOL_PC' "
            "and territoire_type = 'territoire_lda' and periode = $p and statut = 'ok'", params={"p": str(ANNEE)},
        ).fetchall())
    return {"territoires": territoires, "catalogue": catalogue, "france": france, "secrets": secrets,
            "evol_pc": evol_pc}


def test_one_pdf_page_per_lda_territory(pages, publie):
    territoires = publie["territoires"]
    assert len(territoires) == 33
    fiches = [p for p in pages if MARQUE in p]
    assert len(fiches) == len(territoires)
    for code, libelle in territoires:
        avec_code = [p for p in fiches if f"{MARQUE}{code} " in p]
        assert len(avec_code) == 1, code
        assert normalise(libelle) in avec_code[0]


def test_each_territory_page_fits_on_one_page(pages, publie):
    """The page after a territory's page is the next territory's (or the next section): no overflow."""
    indices = [i for i, p in enumerate(pages) if MARQUE in p]
    assert indices == list(range(indices[0], indices[0] + len(publie["territoires"])))
    assert "Nuits de la Solidarité" in pages[indices[-1] + 1]


def test_headline_figures_equal_the_publication(html, pages, publie):
    synthese = [p for p in pages if "1 · Synthèse nationale" in p]
    assert len(synthese) == 1
    for code in CHIFFRES_CLES:
        valeur, statut = publie["france"].get((code, str(ANNEE)), (None, "absent"))
        attendu = fr.valeur(valeur, statut, publie["catalogue"][code])
        carte = re.search(rf'<div class="carte" data-indicateur="{code}">(.*?)</div>\s*</div>', html, re.S)
        assert carte, code
        assert f'<div class="valeur">{attendu}</div>' in carte.group(1)
        assert normalise(attendu) in synthese[0]
    # A figure in thousands, written the French way in the PDF too (« 3 371 », no « 3,371 » nor « 3.4k »).
    dem = publie["france"][("DEM_URG", str(ANNEE))][0]
    assert dem >= 1000 and normalise(fr.nombre(dem)) in synthese[0]


def test_secret_cells_render_s_never_zero(html, publie):
    assert publie["secrets"], "the small generated data have secret cells"
    for code, indicateur in publie["secrets"][:10]:
        section = re.search(rf'<section class="page fiche" id="fiche-{re.escape(code)}">(.*?)</section>', html, re.S)
        ligne = re.search(rf'<tr data-indicateur="{indicateur}">(.*?)</tr>', section.group(1), re.S)
        cellules = re.findall(r"<td[^>]*>(.*?)</td>", ligne.group(1))
        assert cellules[2] == "s", (code, indicateur, cellules)  # libellé, N−1, N, évolution, …
        assert cellules[3] == "s"  # its change would reveal it
    assert "secret statistique" in html


def test_html_is_self_contained(html, rapport_pipeline):
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<(link|script)[^>]+(src|href)=", html)
    images = re.findall(r'<img class="graphique" alt="[^"]*" src="data:image/svg\+xml;base64,([^"]+)">', html)
    assert rapport_pipeline.graphiques_statiques
    assert len(images) == rapport_pipeline.graphiques == 33 + 3 + 3  # + the flows of France and the two groups
    milliers = 0
    for image in images:
        svg = base64.b64decode(image).decode("utf-8")
        assert "Données synthétiques de démonstration" in svg
        assert "Source :" in svg and "Période :" in svg
        assert not re.search(r">\d+(\.\d+)?k<", svg)  # no « 60k » tick
        assert not re.search(r">\d{1,3},\d{3}<", svg)  # no « 1,000 »
        milliers += len(re.findall(r">\d{1,3} \d{3}<", svg))  # « 1 000 »
    assert milliers  # the Nuits de la Solidarité chart has ticks in thousands


def test_cover_says_its_synthetic_sentence_once(html):
    couverture = re.search(r'<section class="page couverture" id="couverture">(.*?)</section>', html, re.S).group(1)
    assert couverture.count("Données synthétiques de démonstration") == 1
    assert "elles ne décrivent aucune personne ni aucun territoire réel" in couverture
    # The generator's scale of this publication (simulate(scale=0.003)), from publication.a_propos.
    assert "Échelle de la démonstration : 0,3 % des volumes nationaux" in couverture


def test_cover_and_sections(pages, rapport_pipeline):
    assert "Rapport annuel 2025" in pages[0] and "Données synthétiques de démonstration" in pages[0]
    texte = " ".join(pages)
    for titre in ("Synthèse nationale", "Les territoires Logement d'abord et le reste de la France",
                  "descriptifs, pas causaux", "Nuits de la Solidarité", "Qualité des données", "Méthodologie", "Sources"):
        assert titre in texte, titre
    assert rapport_pipeline.pages_pdf == len(pages)
    assert rapport_pipeline.octets_pdf < 10 * 1024 * 1024


def test_ndls_change_on_each_territory_page_is_the_published_constant_perimeter_change(html, publie):
    """Each city's NdlS change reads NDLS_EVOL_PC (e.g. Bordeaux), not the change of its raw totals."""
    assert publie["evol_pc"], "the generated data have Nuits de la Solidarité in two editions"
    for code, valeur in publie["evol_pc"].items():
        section = re.search(rf'<section class="page fiche" id="fiche-{re.escape(code)}">(.*?)</section>', html, re.S)
        ligne = re.search(r'<tr data-indicateur="NDLS_PERS">(.*?)</tr>', section.group(1), re.S)
        cellules = re.findall(r"<td[^>]*>(.*?)</td>", ligne.group(1))
        assert "évolution à périmètre constant" in cellules[0]
        attendu = ("+" if valeur >= 0 else "-") + fr.nombre(abs(valeur), 1) + "\u00a0%"
        assert cellules[3] == attendu, (code, cellules)
    france = re.search(r'<div class="carte" data-indicateur="NDLS_PERS">(.*?)</div>\s*</div>', html, re.S).group(1)
    assert "somme des villes décomptées" in france and "évolution à périmètre constant" in france


def test_flows_pages_show_the_published_ledger(html, pages, publication_pipeline):
    """Section G: the flows pages of France and the two groups show every published monthly and
    yearly cell of the ledger as the publication has it (« s » when secret, never 0), each on one page."""
    from html import unescape

    from assets.rapport.contenu import COLONNES_FLUX, TERRITOIRES_FLUX

    with duckdb.connect(str(publication_pipeline), read_only=True) as conn:
        cellules = {
            (t, i, p): (v, s)
            for t, i, p, v, s in conn.sql(
                "select territoire_code, indicateur, periode, valeur, statut from publication.indicateurs "
                "where list_contains($codes, indicateur) and periode like $annee",
                params={"codes": COLONNES_FLUX, "annee": f"{ANNEE}%"},
            ).fetchall()
        }
    for _, code in TERRITOIRES_FLUX:
        section = re.search(rf'<section class="page flux" id="flux-{code}">(.*?)</section>', html, re.S)
        section = unescape(section.group(1))
        for periode in [f"{ANNEE}-{m:02d}" for m in range(1, 13)] + [str(ANNEE)]:
            attribut = f'data-mois="{periode}"' if "-" in periode else 'data-flux="annee"'
            ligne = re.search(rf"<tr[^>]*{attribut}[^>]*>(.*?)</tr>", section, re.S).group(1)
            textes = re.findall(r"<td[^>]*>(.*?)</td>", ligne)[1:]
            attendus = [fr.valeur(*cellules.get((code, c, periode), (None, "absent")), "nombre") for c in COLONNES_FLUX]
            assert textes == attendus, (code, periode)
    assert cellules, "the pipeline publishes section G"
    flux = [i for i, p in enumerate(pages) if "3 · Flux des ménages sans domicile · " in p]
    assert len(flux) == 3 and flux == list(range(flux[0], flux[0] + 3))
    assert MARQUE in pages[flux[-1] + 1]  # the first territory's page follows: no overflow
