"""Section G in the annual report (the monthly ledger of homeless households), on the tiny
hand-made publication with section G (`conftest.construire_minuscule(flux=True)`, `FLUX`): the
flows page of France, the Logement d'abord group and the rest of France, and the year's ledger on
each territory's page. The expected numbers are worked out here from the hand-made months."""

from __future__ import annotations

import re
from html import unescape

import pytest
from pypdf import PdfReader

from assets.rapport import contenu as ct
from assets.rapport.donnees import charger
from tests.rapport.conftest import (
    ANNEE_MINUSCULE,
    LDA_A,
    LDA_B,
    LIBELLE_SORTIES_LOGEMENT,
    construire_minuscule,
)

NNBSP = "\u202f"
MARQUE_FLUX = "3 · Flux des ménages sans domicile · "
MARQUE_FICHE = "Fiche territoire Logement d'abord · "


@pytest.fixture(scope="module")
def publication(tmp_path_factory):
    return construire_minuscule(tmp_path_factory.mktemp("flux") / "observatoire.duckdb", flux=True)


@pytest.fixture(scope="module")
def rapport(publication, tmp_path_factory):
    from assets.rapport.generation import generer

    return generer(publication, ANNEE_MINUSCULE, tmp_path_factory.mktemp("rapports"), log=lambda _: None)


@pytest.fixture(scope="module")
def html(rapport) -> str:
    return rapport.html.read_text(encoding="utf-8")


def section(html: str, identifiant: str) -> str:
    """One section of the HTML, its entities unescaped (« l'année », not « l&#39;année »)."""
    return unescape(re.search(rf'<section class="page[^"]*" id="{re.escape(identifiant)}">(.*?)</section>', html,
                              re.S).group(1))


def cellules(fragment: str, attribut: str) -> list[str]:
    ligne = re.search(rf"<tr[^>]*{attribut}[^>]*>(.*?)</tr>", fragment, re.S).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", ligne)


def milliers(n: int) -> str:
    return f"{n:,}".replace(",", NNBSP)


# France's hand-made months: usual inflows 120 + 15 + 30 + 12 = 177, outflows 150 + 40 + 14 = 204.
ENTREES_FR, SORTIES_FR = 120 + 15 + 30 + 12, 150 + 40 + 14


def test_france_months_start_inflows_outflows_end(html):
    flux = section(html, "flux-FR")
    # Each month ends at its start + inflows − outflows; the next starts there.
    fin_fevrier = 1_000 + 2 * (ENTREES_FR - SORTIES_FR)
    assert fin_fevrier == 946
    fin_mars = fin_fevrier + ENTREES_FR - (200 + 40 + 14)  # 200 exits to housing in March
    assert cellules(flux, 'data-mois="2019-03"') == ["Mars", "946", "120", "15", "30", "12", "200", "40", "14",
                                                      str(fin_mars)]
    assert cellules(flux, 'data-mois="2019-01"')[1] == milliers(1_000)
    # December: 8 returns after housing (secret) and the smallest other inflow (12 arrivals) hidden
    # with it: « s », never 0 nor the value.
    decembre = cellules(flux, 'data-mois="2019-12"')
    assert decembre[2:6] == ["120", "s", "30", "s"]


def test_france_year_row_is_the_published_year(html):
    """January's start, the sums of the 12 months, December's end; a sum including a secret month is
    secret too (it would reveal it)."""
    fin = 1_000 + 8 * (ENTREES_FR - SORTIES_FR) + 2 * (ENTREES_FR - 254) + (ENTREES_FR - 231) + (170 - SORTIES_FR)
    assert fin == 542
    sorties_logement = 9 * 150 + 2 * 200 + 177
    assert cellules(section(html, "flux-FR"), 'data-flux="annee"') == [
        "Année", milliers(1_000), milliers(12 * 120), "s", "360", "s", milliers(sorties_logement), "480", "168", "542"]


def test_zero_fonctionnel_sentence_names_the_right_months(html):
    """France: 200 exits to housing > 177 inflows in March and June; October's 177 is not more than
    177; December is unknown (a secret inflow). The group never reaches it."""
    flux = section(html, "flux-FR")
    phrase = re.search(r'<p class="fort" data-flux="zero-fonctionnel">(.*?)</p>', flux, re.S).group(1)
    libelle = LIBELLE_SORTIES_LOGEMENT[0].lower() + LIBELLE_SORTIES_LOGEMENT[1:]
    assert phrase == (f"Zéro fonctionnel (mois où les {libelle} "
                      "ont dépassé l'ensemble des entrées) : atteint en mars et juin 2019, soit 2 mois sur les 11 dont "
                      "le résultat est connu ; inconnu en décembre (valeur secrète ou sans source).")
    assert "jamais atteint en 2019 (12 mois connus)." in section(html, "flux-LDA")


def test_returns_and_episodes_with_the_previous_year(html):
    flux = section(html, "flux-FR")
    assert cellules(flux, 'data-flux="annuels"') == ["2019", "10,4\u00a0%", "5,8\u00a0%", "—", "228", "162"]
    assert ">2018</td>" in flux and "11,2\u00a0%" in flux and "4,0\u00a0%" in flux


def test_a_true_zero_is_published_as_0(html):
    # The rest of France: no departure to another territory in July.
    assert cellules(section(html, "flux-HORS_LDA"), 'data-mois="2019-07"')[8] == "0"


def test_labels_are_the_publication_files(html):
    # Three flows pages and two territory pages.
    assert len(re.findall(rf"<th[^>]*>{re.escape(LIBELLE_SORTIES_LOGEMENT)}</th>", html)) == 3 + 2
    assert not re.search(r"<th[^>]*>Sorties vers le logement</th>", html)  # the real catalogue's label: not this file's


def test_territory_page_has_the_years_ledger(html):
    """Métropole de Test: usual month 30 + 11 + 12 + 11 in, 40 + 15 + 11 out (−2); March's 4 returns
    after inactivity (secret) hide the 11 returns after housing too."""
    fiche = section(html, f"fiche-{LDA_A}")
    fin = 200 + 11 * ((30 + 11 + 12 + 11) - (40 + 15 + 11)) + ((30 + 11 + 4 + 11) - (40 + 15 + 11))
    assert cellules(fiche, 'data-flux="annee"') == ["200", "360", "s", "s", str(12 * 11), "480", "180", "132", str(fin)]
    assert cellules(fiche, 'data-flux="annuels"') == ["2019", "9,0\u00a0%", "s", "—", "185", "45"]
    assert 'data-flux="absents"' not in fiche  # every month covered: no note


def test_territory_with_absent_months_says_so(html):
    """Ville de Test has no SIAO file before February: January and February are absent; its year
    has no January start (« — », never 0) and sums the 10 covered months."""
    fiche = section(html, f"fiche-{LDA_B}")
    assert cellules(fiche, 'data-flux="annee"') == ["—", str(10 * 15), str(10 * 11), str(10 * 11), str(10 * 11),
                                                    str(10 * 25), str(10 * 12), str(10 * 11), "80"]
    note = re.search(r'<p class="note" data-flux="absents">(.*?)</p>', fiche, re.S).group(1)
    assert "Mois non couverts en 2019" in note and ": janvier et février, « — »" in note
    assert "additionnent les 10 mois couverts" in note and "début d'année (janvier)" in note


def test_each_flows_page_and_territory_page_fits_on_one_page(rapport):
    pages = [p.extract_text() or "" for p in PdfReader(str(rapport.pdf)).pages]
    flux = [i for i, p in enumerate(pages) if MARQUE_FLUX in p]
    fiches = [i for i, p in enumerate(pages) if MARQUE_FICHE in p]
    assert [pages[i].split(MARQUE_FLUX)[1].split("\n")[0] for i in flux] == [
        "France", "Territoires Logement d'abord", "Reste de la France"]
    assert flux == list(range(flux[0], flux[0] + 3))
    assert fiches == [flux[-1] + 1, flux[-1] + 2]  # no overflow page in between
    assert "5 · Rue" in pages[fiches[-1] + 1]
    assert rapport.graphiques == 5 + 3  # the three flows charts


def test_zero_fonctionnel_when_unknown_or_never_reached(publication):
    d = charger(publication, ANNEE_MINUSCULE)
    assert ct.phrase_zero_fonctionnel(d, "territoire_lda", LDA_B, 2019).endswith(
        ": jamais atteint en 2019 (10 mois connus) ; inconnu en janvier et février (valeur secrète ou sans source).")
    # Paris (a département) has no row of section G in this file: every month unknown.
    assert ct.phrase_zero_fonctionnel(d, "departement", "75", 2019).endswith(
        ": inconnu pour chacun des 12 mois de 2019 (valeurs secrètes ou sans source).")
    assert ct.zero_fonctionnel_mois(d, "france", "FR", 2019) == [
        False, False, True, False, False, True, False, False, False, False, False, None]


def test_a_file_without_section_g_has_no_flows_page(minuscule):
    contenu = ct.construire(charger(minuscule, ANNEE_MINUSCULE))
    assert contenu.contexte["flux"] == []
    assert all(f["flux"] is None for f in contenu.contexte["fiches"])
    assert "G" not in [s["titre"][0] for s in contenu.contexte["methodologie"]["sections"]]
