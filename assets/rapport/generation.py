"""Write the annual report of one year: `rapport-AAAA.html` and `rapport-AAAA.pdf` in a folder,
from the publication file only (opened read-only). Used by `observatoire report` and by the
Dagster asset `rapport/annuel`.

Each file is written under a temporary name then renamed into place: a reader never sees a
half-written report.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from assets.rapport import contenu as ct
from assets.rapport import graphiques as gr
from assets.rapport import rendu
from assets.rapport.donnees import RapportError, charger


@dataclass
class ResultatRapport:
    html: Path
    pdf: Path
    annee: int
    territoires_lda: int
    graphiques: int
    graphiques_statiques: bool
    pages_pdf: int | None
    secondes: float
    synthetique: bool

    @property
    def octets_html(self) -> int:
        return self.html.stat().st_size

    @property
    def octets_pdf(self) -> int:
        return self.pdf.stat().st_size


def noms(dossier: Path, annee: int) -> tuple[Path, Path]:
    return dossier / f"rapport-{annee}.html", dossier / f"rapport-{annee}.pdf"


def compter_pages(chemin: Path) -> int | None:
    """Number of pages of the PDF: pypdf when installed (dev extras), else the page objects of
    Chromium's uncompressed page tree."""
    try:
        from pypdf import PdfReader
    except ImportError:
        n = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", chemin.read_bytes()))
        return n or None
    return len(PdfReader(str(chemin)).pages)


def generer(
    publication: Path | str, annee: int, dossier: Path | str, log: Callable[[str], None] = print
) -> ResultatRapport:
    """Read the publication file, build the content, render the charts, write the HTML then the PDF."""
    debut = time.perf_counter()
    dossier = Path(dossier)

    def etape(texte: str) -> None:
        log(f"{texte} ({time.perf_counter() - debut:.0f} s)")

    donnees = charger(publication, annee)
    etape(f"Fichier de publication lu : {Path(publication)}")
    contenu = ct.construire(donnees)
    etape(f"Contenu calculé : {len(contenu.contexte['fiches'])} territoires Logement d'abord, "
          f"{len(contenu.figures)} graphiques")
    dossier.mkdir(parents=True, exist_ok=True)
    cible_html, cible_pdf = noms(dossier, annee)
    jeton = uuid.uuid4().hex[:8]
    tmp_html = dossier / f".rapport-{annee}-{jeton}.html"
    tmp_pdf = dossier / f".rapport-{annee}-{jeton}.pdf"
    try:
        with rendu.navigateur() as chromium:
            images = gr.rendre(contenu.figures, chromium)
            etape("Graphiques rendus" + ("" if images.statique else " (interactifs : aucune image statique possible)"))
            tmp_html.write_text(rendu.html(contenu, images), encoding="utf-8")
            os.replace(tmp_html, cible_html)
            etape(f"HTML écrit : {cible_html}")
            rendu.pdf(chromium, cible_html, tmp_pdf, annee, donnees.synthetique)
        os.replace(tmp_pdf, cible_pdf)
    finally:
        tmp_html.unlink(missing_ok=True)
        tmp_pdf.unlink(missing_ok=True)
    pages = compter_pages(cible_pdf)
    etape(f"PDF écrit : {cible_pdf}" + (f" ({pages} pages)" if pages else ""))
    return ResultatRapport(
        html=cible_html,
        pdf=cible_pdf,
        annee=annee,
        territoires_lda=len(contenu.contexte["fiches"]),
        graphiques=len(contenu.figures),
        graphiques_statiques=images.statique,
        pages_pdf=pages,
        secondes=time.perf_counter() - debut,
        synthetique=donnees.synthetique,
    )


__all__ = ["RapportError", "ResultatRapport", "generer", "noms"]
