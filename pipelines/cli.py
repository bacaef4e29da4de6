"""The `observatoire` command line (interfaces.md)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import click

from pipelines.config import DEMO_PSEUDO_KEY, PROJECT_ROOT, REFERENCE_DIR, SOURCES, Settings


class Progress:
    """One line per step, rewritten in place on a terminal: `étape … 37/101 (12 s)`."""

    def __init__(self) -> None:
        self.step: str | None = None
        self.started = time.perf_counter()
        self.tty = sys.stderr.isatty()

    def __call__(self, step: str, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        line = f"  {step} … {done}/{total} ({elapsed:.0f} s)"
        if step != self.step:
            if self.step is not None and self.tty:
                click.echo("", err=True)
            self.step = step
            if not self.tty:
                click.echo(line, err=True)
        if self.tty:
            click.echo("\r" + line, nl=False, err=True)
        elif done == total or (done and total >= 20 and done % (total // 10) == 0):
            click.echo(line, err=True)

    def close(self) -> None:
        if self.tty and self.step is not None:
            click.echo("", err=True)


def _parse_years(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        a, b = (int(x) for x in value.split("-"))
    except ValueError:
        raise click.BadParameter("format attendu : AAAA-AAAA (par exemple 2015-2025)")
    if a > b:
        raise click.BadParameter("la première année doit précéder la seconde")
    return a, b


@click.group(help="Observatoire du Logement d'abord : pipeline, application, rapport.")
def main() -> None:
    pass


@main.command(help="Écrit des fichiers de dépôt synthétiques et ground_truth.csv.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Dossier de sortie.")
@click.option("--scale", default=1.0, show_default=True, type=float, help="Facteur de volume (1 = volumes nationaux).")
@click.option("--seed", default=2026, show_default=True, type=int, help="Graine aléatoire.")
@click.option("--years", default=None, help="Années AAAA-AAAA (défaut : 2015 à l'année dernière).")
@click.option("--quirks", is_flag=True, help="Injecte les défauts des exports réels (manifeste quirks_manifest.csv).")
def simulate(out: Path, scale: float, seed: int, years: str | None, quirks: bool) -> None:
    from pipelines.simulate import simulate as run_simulation

    if scale <= 0:
        raise click.BadParameter("--scale doit être positif")
    progress = Progress()
    summary = run_simulation(out, scale=scale, seed=seed, years=_parse_years(years), quirks=quirks, progress=progress)
    progress.close()
    rows = ", ".join(f"{k} {v:,}".replace(",", " ") for k, v in sorted(summary.rows.items()))
    click.echo(f"{summary.files} fichiers écrits dans {summary.out} en {summary.seconds:.1f} s ({rows}).")
    if quirks:
        click.echo(f"{summary.quirks} défauts injectés, listés dans {summary.out / 'quirks_manifest.csv'}.")


def _landing_is_empty(landing: Path) -> bool:
    return not any(p.is_file() for p in landing.rglob("*.csv")) if landing.exists() else True


def copy_barometre(landing: Path) -> int:
    """The real Baromètre files (reference data) go to the landing folder like any source."""
    target = landing / "barometre"
    target.mkdir(parents=True, exist_ok=True)
    n = 0
    for path in sorted((REFERENCE_DIR / "barometre").rglob("*.csv")):
        if path.name.startswith("meta_"):
            continue
        shutil.copy2(path, target / path.name)
        n += 1
    return n


@main.command(help="Données de démonstration : remplit le dossier de dépôt s'il est vide, puis exécute tout le pipeline.")
@click.option("--landing", type=click.Path(path_type=Path), default=None)
@click.option("--warehouse", type=click.Path(path_type=Path), default=None)
@click.option("--publication", type=click.Path(path_type=Path), default=None)
@click.option("--scale", default=None, type=float, help="Facteur de volume des données de démonstration.")
def demo(landing: Path | None, warehouse: Path | None, publication: Path | None, scale: float | None) -> None:
    from pipelines.simulate import DEMO_SCALE, simulate as run_simulation

    settings = Settings.from_env(landing=landing, warehouse=warehouse, publication=publication)
    if not settings.pseudo_key:
        click.echo("Clé de pseudonymisation : clé de DÉMONSTRATION publique (OBSERVATOIRE_PSEUDO_KEY non définie).")
        settings = dataclasses.replace(settings, pseudo_key=DEMO_PSEUDO_KEY)
    if _landing_is_empty(settings.landing):
        click.echo(f"Écriture des données de démonstration (synthétiques) dans {settings.landing} …")
        progress = Progress()
        summary = run_simulation(settings.landing, scale=scale or DEMO_SCALE, quirks=True, progress=progress)
        progress.close()
        n = copy_barometre(settings.landing)
        click.echo(f"  {summary.files} fichiers synthétiques + {n} fichiers réels du Baromètre ({summary.seconds:.0f} s).")
    else:
        click.echo(f"Le dossier de dépôt {settings.landing} contient déjà des fichiers : ils sont utilisés tels quels.")
    _run_pipeline(settings)
    click.echo("")
    click.echo(f"Entrepôt (valeurs exactes, interne) : {settings.warehouse}")
    click.echo(f"Dossier de dépôt : {settings.landing}")
    click.echo(f"Interface Dagster : observatoire ui (instance {settings.instance_home})")
    if (PROJECT_ROOT / "observatory_app" / "app.py").exists():
        click.echo("Observatoire (application) : observatoire app")


def _run_pipeline(settings: Settings, force: bool = False) -> None:
    from pipelines.run import run_all

    os.environ["OBSERVATOIRE_PSEUDO_KEY"] = settings.pseudo_key or ""
    click.echo("Exécution du pipeline …")
    result = run_all(settings, log=lambda msg: click.echo(f"  {msg}"), force=force)
    if not result.success:
        raise click.ClickException("le pipeline a échoué : " + "; ".join(result.errors))


@main.command(help="Ingère ce qui est nouveau dans le dossier de dépôt et reconstruit tout ce qui en dépend.")
@click.option("--landing", type=click.Path(path_type=Path), default=None)
@click.option("--warehouse", type=click.Path(path_type=Path), default=None)
@click.option("--publication", type=click.Path(path_type=Path), default=None)
@click.option("--force", is_flag=True, help="Exécute tous les assets même si rien n'est nouveau depuis la dernière "
              "exécution réussie (mêmes fichiers, même code, même jour).")
def run(landing: Path | None, warehouse: Path | None, publication: Path | None, force: bool) -> None:
    settings = Settings.from_env(landing=landing, warehouse=warehouse, publication=publication)
    if not settings.pseudo_key:
        raise click.ClickException(
            "OBSERVATOIRE_PSEUDO_KEY n'est pas définie : la clé secrète de pseudonymisation est obligatoire "
            "(seule la commande `observatoire demo` utilise une clé de démonstration)."
        )
    _run_pipeline(settings, force)


@main.command(help="Démarre l'observatoire (Streamlit) sur le fichier de publication, en lecture seule.")
@click.option("--port", default=8501, show_default=True, type=int)
@click.option("--publication", type=click.Path(path_type=Path), default=None)
def app(port: int, publication: Path | None) -> None:
    settings = Settings.from_env(publication=publication)
    if not settings.publication.exists():
        raise click.ClickException(
            f"fichier de publication introuvable : {settings.publication} (lancer d'abord `observatoire demo` "
            "ou `observatoire run`)"
        )
    env = dict(os.environ, OBSERVATOIRE_PUBLICATION=str(settings.publication))
    cmd = [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "observatory_app" / "app.py"),
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    click.echo(f"Observatoire : http://localhost:{port} (fichier {settings.publication})")
    raise SystemExit(subprocess.call(cmd, cwd=PROJECT_ROOT, env=env))


@main.command(help="Démarre l'interface Dagster sur workspace.yaml et l'instance où `run` et `demo` enregistrent "
                   "leurs exécutions (DAGSTER_HOME, défaut : data/dagster).")
@click.option("--port", default=3000, show_default=True, type=int)
def ui(port: int) -> None:
    from pipelines.run import open_instance

    dagster = shutil.which("dagster") or str(Path(sys.executable).parent / "dagster")
    home = Settings.from_env().instance_home
    open_instance(home).dispose()  # created (telemetry off) if it does not exist yet
    env = dict(os.environ, DAGSTER_HOME=str(home.resolve()))
    click.echo(f"Instance Dagster : {home}")
    cmd = [dagster, "dev", "-w", str(PROJECT_ROOT / "workspace.yaml"), "-p", str(port)]
    click.echo(" ".join(cmd))
    raise SystemExit(subprocess.call(cmd, cwd=PROJECT_ROOT, env=env))


@main.command(help="Valide un fichier contre son contrat, sans rien écrire (code 0 si propre, 1 sinon).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", type=click.Choice(SOURCES[:-1]), default=None, help="Source (déduite du nom sinon).")
def check(file: Path, source: str | None) -> None:
    from assets.ingest.report import check_file

    settings = Settings.from_env()
    # without the internal pandera check (not a data rule, same report): no pandera import, ≈ 0.5 s
    code, text = check_file(file, source, pseudo_key=settings.pseudo_key, check_contract=False)
    click.echo(text)
    raise SystemExit(code)


@main.command(help="Écrit le rapport annuel rapport-AAAA.html et rapport-AAAA.pdf à partir du fichier de publication.")
@click.option("--year", "year", required=True, type=int, help="Année du rapport (AAAA).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Dossier de sortie (défaut : OBSERVATOIRE_RAPPORTS ou data/rapports/).")
@click.option("--publication", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fichier de publication (défaut : OBSERVATOIRE_PUBLICATION).")
def report(year: int, out: Path | None, publication: Path | None) -> None:
    from assets.rapport.generation import RapportError, generer

    settings = Settings.from_env(publication=publication, rapports=out)
    click.echo(f"Rapport annuel {year} : lecture de {settings.publication} …")
    try:
        resultat = generer(settings.publication, year, settings.rapports, log=lambda msg: click.echo(f"  {msg}"))
    except RapportError as erreur:
        click.echo(f"Erreur : {erreur}", err=True)
        raise SystemExit(1)
    pages = f", {resultat.pages_pdf} pages" if resultat.pages_pdf else ""
    click.echo(f"HTML : {resultat.html} ({resultat.octets_html // 1024} Ko)")
    click.echo(f"PDF : {resultat.pdf} ({resultat.octets_pdf // 1024} Ko{pages})")
    click.echo(f"Rapport écrit en {resultat.secondes:.0f} s.")


@main.command(help="Audite le fichier de publication comme un attaquant : intervalle de chaque case secrète par "
              "programmation linéaire (code 1 si une case est retrouvée exactement).")
@click.option("--publication", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fichier de publication (défaut : OBSERVATOIRE_PUBLICATION).")
@click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Entrepôt dont on lit la géographie publique (schéma reference ; défaut : OBSERVATOIRE_WAREHOUSE).")
@click.option("--largeur", default=2.0, show_default=True, help="Largeur d'intervalle en dessous de laquelle une case est « étroite ».")
def audit(publication: Path | None, warehouse: Path | None, largeur: float) -> None:
    from assets.publication.audit import audit_file

    settings = Settings.from_env(publication=publication, warehouse=warehouse)
    report = audit_file(settings.publication, settings.warehouse, largeur=largeur)
    click.echo(f"{report.cellules} cases, {report.secrets} secrètes, {report.composantes} composantes "
               f"(la plus grande : {report.plus_grande_composante} inconnues), {report.secondes:.1f} s")
    if report.infaisables:
        click.echo(f"Composantes infaisables (relations contradictoires, non auditées) : {report.infaisables}")
    click.echo(f"Cases secrètes retrouvées exactement : {len(report.epingles)}")
    for label, value in report.epingles[:20]:
        click.echo(f"  {label} = {value}")
    click.echo(f"Cases secrètes à moins de {largeur + 1:.0f} valeurs possibles : {len(report.etroits)}")
    click.echo(f"Cases implicites (territoire − territoires LDA ou EPCI inclus) publiées par différence entre 1 et 10 : "
               f"{len(report.implicites)}")
    for label, value in report.implicites[:20]:
        click.echo(f"  {label} = {value}")
    if report.echec:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
