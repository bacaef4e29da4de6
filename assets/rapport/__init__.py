"""Layer `rapport` (group `rapport`): the annual report, `rapport-AAAA.html` and `rapport-AAAA.pdf`,
written from the researchers' publication file only (opened read-only).

- `donnees.py`: the read-only queries on the publication file (`DonneesRapport`);
- `contenu.py`: the report's content, every number formatted in French (`observatoire_commun.format`),
  secret cells « s », absent « — »; the evaluation of section F;
- `graphiques.py`: the plotly figures and their rendering to inline SVG (kaleido, system Chromium);
- `rendu.py`: the HTML (Jinja2 template `templates/rapport.html.j2`, print CSS for A4) and the
  PDF (Chromium through Playwright);
- `generation.py`: `generer(publication, annee, dossier)`, used by `observatoire report`;
- `assets.py`: the asset `rapport/annuel`, partitioned by year, its job and yearly schedule;
- `resources.py`: `RapportsResource(path)`, the reports folder.

The asset is partitioned: `observatoire run` (the unpartitioned assets) leaves it out.
"""

CHECKS: list = []
SENSORS: list = []

__all__ = ["ASSETS", "CHECKS", "SENSORS", "SCHEDULES", "JOBS", "RapportsResource"]


def __getattr__(name: str):
    """The Dagster objects are imported on first use: `observatoire report` (which only needs
    `generation`) does not pay for importing Dagster and the publication layer (Great
    Expectations), ≈ 5 s."""
    if name in ("ASSETS", "JOBS", "SCHEDULES"):
        from assets.rapport import assets

        return getattr(assets, name)
    if name == "RapportsResource":
        from assets.rapport.resources import RapportsResource

        return RapportsResource
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
