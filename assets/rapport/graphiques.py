"""The report's charts: pure functions returning plotly figures, and their rendering to static SVG
(plotly.js in the system's Chromium, the one that prints the PDF; kaleido as a fallback) embedded
in the HTML as `data:` URIs, so the report opens offline and prints as vectors.

Every figure: French separators (`separators=", "`: « 12 345 », « 12,5 »), years as a category
axis, no abbreviated ticks (« 60k »), and a note under the plot with source, period and
« Données synthétiques de démonstration » when the data are synthetic.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import math
import os
import shutil
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import plotly
import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

# Source labels and the chart note are shared with the app (one wording everywhere).
from observatoire_commun.presentation import MENTION_SYNTHETIQUE, SOURCES, libelle_source, note  # noqa: E402,F401

COULEURS = ["#1f4e79", "#d9822b", "#6a9a3a", "#8c8c8c", "#a23b72"]
POLICE = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
LARGEUR, HAUTEUR = 720, 300

log = logging.getLogger(__name__)


def periode(annees: list[str]) -> str:
    return f"{min(annees)}–{max(annees)}" if annees else "—"


def _mise_en_page(fig: go.Figure, titre: str, texte_note: str, unite: str | None, hauteur: int = HAUTEUR) -> go.Figure:
    fig.update_layout(
        # An empty template (applying "plotly_white" costs ~35 ms a figure): the style is set here.
        template="none",
        paper_bgcolor="white",
        plot_bgcolor="white",
        width=LARGEUR,
        height=hauteur,
        title={"text": titre, "x": 0.01, "xanchor": "left", "font": {"size": 14}},
        font={"family": POLICE, "size": 11, "color": "#222"},
        separators=", ",
        margin={"l": 60, "r": 20, "t": 40, "b": 92},
        legend={"orientation": "h", "x": 0, "y": -0.14, "yanchor": "top", "font": {"size": 10}},
        annotations=[
            {
                "text": texte_note,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -88,
                "xanchor": "left",
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
                "font": {"size": 9, "color": "#555"},
            }
        ],
    )
    fig.update_xaxes(type="category", showgrid=False, showline=True, linecolor="#999", ticks="outside",
                     tickcolor="#999")
    fig.update_yaxes(title={"text": unite or "", "font": {"size": 10}}, tickformat=",~f", rangemode="tozero",
                     exponentformat="none", showgrid=True, gridcolor="#e6e6e6", zeroline=True, zerolinecolor="#999",
                     showline=False)
    return fig


def tendances(
    series: list[tuple[str, pl.DataFrame]], titre: str, unite: str | None, source: str | None, synthetique: bool,
    annees: list[str] | None = None, reference: str | None = None,
) -> go.Figure:
    """One line per (label, frame with periode/valeur/statut); secret and absent cells are gaps,
    never 0. `reference`: a year marked with a dotted vertical line (the reference year)."""
    fig = go.Figure()
    periodes_ok: set[str] = set()
    toutes = sorted(annees or {p for _, df in series for p in df["periode"].to_list()})
    for i, (libelle, df) in enumerate(series):
        cellules = {p: (v, s) for p, v, s in df.select("periode", "valeur", "statut").iter_rows()}
        valeurs = [cellules.get(p, (None, "absent")) for p in toutes]
        y = [v if s == "ok" else None for v, s in valeurs]
        periodes_ok |= {p for p, (v, s) in zip(toutes, valeurs) if s == "ok"}
        fig.add_trace(
            go.Scatter(x=toutes, y=y, mode="lines+markers", name=libelle, connectgaps=False,
                       line={"color": COULEURS[i % len(COULEURS)], "width": 3 if i == 0 else 2},
                       marker={"size": 6 if i == 0 else 4})
        )
    texte_note = note(source, periode(sorted(periodes_ok)), synthetique) + "<br>Point manquant : secret statistique ou sans source"
    fig = _mise_en_page(fig, titre, texte_note, unite)
    if reference and reference in toutes:
        fig.add_vline(x=toutes.index(reference), line={"dash": "dot", "color": "#888", "width": 1})
    return fig


def coupe(libelle: str, largeur: int = 38) -> str:
    """A long legend entry on two lines (at the last space before `largeur` characters)."""
    if len(libelle) <= largeur or " " not in libelle[:largeur]:
        return libelle
    i = libelle.rindex(" ", 0, largeur)
    return f"{libelle[:i]}<br>{libelle[i + 1:]}"


def legende_deux_colonnes(fig: go.Figure, hauteur: int) -> go.Figure:
    """Two legend entries a row under the ticks, and the note under them: a long territory name
    (cut by `coupe`) no longer runs onto the next entry or the note."""
    marge_basse = 104
    fig.update_layout(height=hauteur, margin={"b": marge_basse},
                      legend={"entrywidth": 0.5, "entrywidthmode": "fraction", "font": {"size": 9},
                              "y": -24 / (hauteur - 40 - marge_basse)})
    fig.layout.annotations[0].yshift = -(marge_basse - 4)
    return fig


def barres(
    categories: list[str], valeurs: list[float | None], titre: str, unite: str | None, note_texte: str,
    horizontal: bool = False, hauteur: int = HAUTEUR, couleur: str = COULEURS[0],
) -> go.Figure:
    """One bar per category (None: no bar — a secret or absent cell is never drawn as 0)."""
    if horizontal:
        trace = go.Bar(x=valeurs, y=categories, orientation="h", marker={"color": couleur})
    else:
        trace = go.Bar(x=categories, y=valeurs, marker={"color": couleur})
    fig = _mise_en_page(go.Figure(trace), titre, note_texte, unite if not horizontal else None, hauteur)
    if horizontal:
        fig.update_yaxes(type="category", title=None, tickformat=None, autorange="reversed", automargin=True)
        fig.update_xaxes(type="linear", title={"text": unite or "", "font": {"size": 10}}, tickformat=",~f",
                         exponentformat="none", rangemode="tozero")
        fig.update_layout(margin={"l": 20})
    fig.update_layout(showlegend=False)
    return fig


#: The ledger's colours: inflows in blues and green (above the axis), outflows in warm tones (below).
COULEURS_ENTREES = ["#1f4e79", "#5b8fc7", "#a9c7e8", "#6a9a3a"]
COULEURS_SORTIES = ["#d9822b", "#f0bd8a", "#a23b72"]


def pas_rond(etendue: float, n: int = 4) -> float:
    """A round tick step (1, 2, 2,5 or 5 × 10^k) giving about `n` ticks over `etendue`."""
    brut = etendue / n
    puissance = 10 ** math.floor(math.log10(brut))
    return next(m * puissance for m in (1, 2, 2.5, 5, 10) if m * puissance >= brut)


def flux(
    mois: list[str], entrees: list[tuple[str, list[float | None]]], sorties: list[tuple[str, list[float | None]]],
    stock: tuple[str, list[float | None]], titre: str, texte_note: str, hauteur: int = 355,
) -> go.Figure:
    """The monthly ledger: inflows stacked above the axis, outflows stacked below it (drawn
    negative), the stock at the end of the month as a line on the right axis, whose 0 is the left
    axis's 0 (it has no negative ticks). A secret or absent cell is no bar and a gap in the line,
    never 0."""
    fig = go.Figure()
    for (libelle, valeurs), couleur in zip(entrees, COULEURS_ENTREES, strict=False):
        fig.add_trace(go.Bar(x=mois, y=valeurs, name=libelle, marker={"color": couleur}))
    for (libelle, valeurs), couleur in zip(sorties, COULEURS_SORTIES, strict=False):
        fig.add_trace(go.Bar(x=mois, y=[-v if v is not None else None for v in valeurs], name=libelle,
                             marker={"color": couleur}))
    libelle_stock, valeurs_stock = stock
    fig.add_trace(go.Scatter(x=mois, y=valeurs_stock, name=f"{libelle_stock} (à droite)", mode="lines+markers",
                             connectgaps=False, yaxis="y2", line={"color": "#222", "width": 2.5}, marker={"size": 5}))
    texte_note = (f"{texte_note}<br>Entrées au-dessus de l'axe, sorties en dessous. Barre ou point manquant : secret "
                  "statistique ou mois non couvert")
    fig = _mise_en_page(fig, titre, texte_note, "ménages par mois", hauteur=hauteur)
    marge_haute, marge_basse = 40, 140
    trace = hauteur - marge_haute - marge_basse  # the plot's height in pixels
    fig.update_layout(
        barmode="relative", bargap=0.3,
        margin={"l": 70, "r": 70, "t": marge_haute, "b": marge_basse},
        # Three legend entries a row, under the month ticks; the note under the legend.
        legend={"orientation": "h", "x": 0, "y": -26 / trace, "yanchor": "top", "font": {"size": 9},
                "traceorder": "normal", "entrywidth": 195, "entrywidthmode": "pixels"},
    )
    fig.layout.annotations[0].yshift = -(marge_basse - 4)
    haut = max((sum(v for _, vs in entrees if (v := vs[i]) is not None) for i in range(len(mois))), default=0)
    bas = max((sum(v for _, vs in sorties if (v := vs[i]) is not None) for i in range(len(mois))), default=0)
    sommet = max((v for v in valeurs_stock if v is not None), default=0)
    if haut > 0 and sommet > 0:
        haut, bas = 1.08 * haut, 1.08 * max(bas, 0.15 * haut)
        echelle = sommet / (0.92 * haut)  # the stock's highest point at 92 % of the upper half
        pas = pas_rond(sommet)
        ticks = [i * pas for i in range(int(haut * echelle // pas) + 1)]
        fig.update_yaxes(range=[-bas, haut], rangemode="normal")
        fig.update_layout(yaxis2={
            "overlaying": "y", "side": "right", "range": [-bas * echelle, haut * echelle], "tickmode": "array",
            "tickvals": ticks, "ticktext": [fr_nombre(t) for t in ticks], "showgrid": False, "zeroline": False,
            "title": {"text": libelle_stock.lower(), "font": {"size": 10}},
        })
    else:
        fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "rangemode": "tozero", "tickformat": ",~f",
                                  "showgrid": False, "title": {"text": libelle_stock.lower(), "font": {"size": 10}}})
    return fig


def fr_nombre(valeur: float) -> str:
    """A tick of the right axis written as plotly writes the others (`separators=", "`: « 1 000 »)."""
    return f"{valeur:,.0f}".replace(",", " ")


# --- rendering ---------------------------------------------------------------------------------


def chromium() -> str | None:
    """The Chromium used by kaleido and for the PDF: `OBSERVATOIRE_CHROMIUM`, `BROWSER_PATH`,
    else the system's `chromium` (never downloaded)."""
    if explicite := os.environ.get("OBSERVATOIRE_CHROMIUM"):
        return explicite  # as configured, even if wrong: the launch then says so
    if (candidat := os.environ.get("BROWSER_PATH")) and os.path.exists(candidat):
        return candidat
    for nom in ("chromium", "chromium-browser", "google-chrome"):
        if chemin := shutil.which(nom):
            return chemin
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


@dataclass
class Rendu:
    """The figures as HTML fragments; `plotly_js` is set only in the fallback (no kaleido)."""

    fragments: list[str]
    statique: bool
    plotly_js: str | None = None


def svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


#: plotly.js as shipped with plotly.py (no CDN): the charts are drawn by the same version.
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
DESSIN_JS = """async (figures) => {
    const images = [];
    for (const f of figures) {
        images.push(await Plotly.toImage(f, {format: "svg", width: f.layout.width, height: f.layout.height}));
    }
    return images;
}"""


def svg_chromium(figures: list[go.Figure], navigateur) -> list[bytes]:
    """The figures as SVG, drawn by plotly.js (the copy shipped with plotly.py) in one page of an
    already launched Playwright Chromium: ≈ 0.1 s a figure (kaleido: ≈ 0.35 s)."""
    specs = [json.loads(pio.to_json(fig, validate=False)) for fig in figures]
    with tempfile.TemporaryDirectory() as dossier:
        hote = Path(dossier) / "graphiques.html"
        hote.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><script src="{PLOTLY_JS.as_uri()}">'
                        "</script></head><body></body></html>", encoding="utf-8")
        page = navigateur.new_page()
        try:
            page.goto(hote.as_uri(), wait_until="load")
            uris = page.evaluate(DESSIN_JS, specs)
        finally:
            page.close()
    return [unquote(uri.split(",", 1)[1]).encode("utf-8") for uri in uris]


async def _svg_kaleido(figures: list[go.Figure]) -> list[bytes]:
    import kaleido

    # mathjax=False: otherwise kaleido loads MathJax from a CDN (no network in CI; no LaTeX here).
    async with kaleido.Kaleido(n=1, mathjax=False) as k:
        return [
            await k.calc_fig(fig, opts={"format": "svg", "width": fig.layout.width, "height": fig.layout.height})
            for fig in figures
        ]


def svg_kaleido(figures: list[go.Figure]) -> list[bytes]:
    """The figures as SVG through kaleido (its own Chromium, found by `BROWSER_PATH`)."""
    navigateur = chromium()
    if navigateur:
        os.environ.setdefault("BROWSER_PATH", navigateur)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(_svg_kaleido(figures))
        with ThreadPoolExecutor(1) as pool:  # called from a running event loop: render in a thread
            return pool.submit(asyncio.run, _svg_kaleido(figures)).result()


def rendre(figures: list[go.Figure], navigateur=None) -> Rendu:
    """Static SVG images embedded as `data:` URIs: drawn in `navigateur` (a Playwright Chromium)
    when given, else through kaleido; if neither works, interactive figures with plotly.js
    embedded once in the page (still offline)."""
    moyens = ([lambda: svg_chromium(figures, navigateur)] if navigateur is not None else []) + [
        lambda: svg_kaleido(figures)]
    for moyen in moyens:
        try:
            images = moyen()
        except Exception as erreur:  # noqa: BLE001 — try the next way
            log.warning("Images statiques impossibles par ce moyen (%s)", erreur)
            continue
        fragments = [f"<img class=\"graphique\" alt=\"{_alt(fig)}\" src=\"{svg_data_uri(image)}\">"
                     for fig, image in zip(figures, images)]
        return Rendu(fragments, statique=True)
    log.warning("Graphiques interactifs avec plotly.js intégré (aucune image statique possible).")
    from plotly.offline import get_plotlyjs

    fragments = [fig.to_html(full_html=False, include_plotlyjs=False, config={"displayModeBar": False})
                 for fig in figures]
    return Rendu(fragments, statique=False, plotly_js=get_plotlyjs())


def _alt(fig: go.Figure) -> str:
    titre = fig.layout.title.text or "graphique"
    return titre.replace('"', "'").replace("<", " ").replace(">", " ")
