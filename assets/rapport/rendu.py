"""The report's files: the HTML (Jinja2 template, CSS and charts inlined — it opens offline) and the
PDF (that HTML printed to A4 by Chromium through Playwright, page numbers in the footer)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import jinja2

from assets.rapport import graphiques as gr
from assets.rapport.contenu import Contenu
from assets.rapport.donnees import RapportError

TEMPLATES = Path(__file__).parent / "templates"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def environnement() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def html(contenu: Contenu, rendu: gr.Rendu) -> str:
    """The whole report as one self-contained HTML page."""
    template = environnement().get_template("rapport.html.j2")
    return template.render(
        **contenu.contexte,
        css=jinja2.utils.markupsafe.Markup((TEMPLATES / "rapport.css").read_text(encoding="utf-8")),
        figures=[jinja2.utils.markupsafe.Markup(f) for f in rendu.fragments],
        plotly_js=jinja2.utils.markupsafe.Markup(rendu.plotly_js) if rendu.plotly_js else None,
    )


def entete(annee: int, synthetique: bool) -> str:
    mention = f" · {gr.MENTION_SYNTHETIQUE}" if synthetique else ""
    return (
        "<div style=\"font-size:7px; color:#777; width:100%; padding:0 14mm; font-family:'DejaVu Sans', sans-serif;\">"
        f"Observatoire du Logement d'abord · Rapport annuel {annee}{mention}</div>"
    )


PIED = (
    "<div style=\"font-size:7px; color:#777; width:100%; text-align:center; font-family:'DejaVu Sans', sans-serif;\">"
    "<span class=\"pageNumber\"></span> / <span class=\"totalPages\"></span></div>"
)


@contextmanager
def navigateur(chromium: str | None = None) -> Iterator:
    """One headless Chromium (the system's, through Playwright) for the charts and the PDF."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    executable = chromium or gr.chromium()
    if not executable:
        raise RapportError(
            "Chromium introuvable : il dessine les graphiques et imprime le PDF. Installez-le (paquet chromium) "
            "ou indiquez son chemin dans OBSERVATOIRE_CHROMIUM."
        )
    with sync_playwright() as p:
        try:
            instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except PlaywrightError as erreur:
            raise RapportError(f"Chromium ({executable}) ne démarre pas : {erreur}") from erreur
        try:
            yield instance
        finally:
            instance.close()


def pdf(instance, source_html: Path, cible: Path, annee: int, synthetique: bool) -> None:
    """Print `source_html` to `cible` (A4, backgrounds, page numbers) with the Chromium `instance`."""
    page = instance.new_page()
    try:
        page.goto(source_html.resolve().as_uri(), wait_until="load")
        page.emulate_media(media="print")
        page.pdf(
            path=str(cible),
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template=entete(annee, synthetique),
            footer_template=PIED,
            margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
            prefer_css_page_size=True,
        )
    finally:
        page.close()
