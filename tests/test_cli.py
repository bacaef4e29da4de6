"""The `observatoire` command line: every command of interfaces.md, and the code location loads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pipelines.cli import main
from pipelines.config import PROJECT_ROOT

COMMANDS = {"demo", "run", "app", "ui", "check", "simulate"}


def test_every_command_is_present():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()}
    assert COMMANDS <= listed


def test_run_refuses_without_a_key(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "OBSERVATOIRE_PSEUDO_KEY"}
    result = CliRunner(env=env).invoke(main, ["run", "--landing", str(tmp_path), "--warehouse", str(tmp_path / "w.duckdb")],
                                       env={"OBSERVATOIRE_PSEUDO_KEY": None})
    assert result.exit_code != 0
    assert "OBSERVATOIRE_PSEUDO_KEY" in result.output


def test_simulate_rejects_bad_years(tmp_path: Path):
    result = CliRunner().invoke(main, ["simulate", "--out", str(tmp_path), "--years", "2020-2018"])
    assert result.exit_code == 2
    assert "la première année doit précéder la seconde" in result.output


def test_simulate_writes_files_and_truth(tmp_path: Path):
    result = CliRunner().invoke(main, ["simulate", "--out", str(tmp_path), "--scale", "0.002", "--years", "2019-2019"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ground_truth.csv").exists()
    assert len(list((tmp_path / "siao").glob("siao_*_2019-*.csv"))) == 101 * 12
    assert "fichiers écrits" in result.output


def test_dagster_loads_the_workspace():
    """What `dagster dev -w workspace.yaml` loads: the code location validates."""
    dagster = Path(sys.executable).parent / "dagster"
    proc = subprocess.run([str(dagster), "definitions", "validate", "-w", "workspace.yaml"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "observatoire" in proc.stdout + proc.stderr


def test_check_reports_problems_with_line_and_column(tmp_path: Path):
    bad = tmp_path / "siao_75_2024-03.csv"
    header = ("Numéro demande;Numéro ménage;Date d'extraction;Date de la demande;Type de demande;Département SIAO;"
              "Commune de la demande;Composition familiale;Nombre de personnes;Nombre d'enfants;Sexe;Année de naissance;"
              "Situation à la demande;Statut de la demande;Motif de non-attribution;Date d'orientation;Type d'orientation;"
              "Date d'admission;Date de sortie;Destination à la sortie;NUR")
    ok = "75-1;MEN1;31/03/2024;02/03/2024;Urgence;75;75112;Personne seule;1;0;F;1980;Rue / abri de fortune;En attente;;;;;;;"
    impossible = ok.replace("75-1;MEN1", "75-2;MEN2").replace(";02/03/2024;", ";31/02/2024;")
    bad.write_text("\n".join([header, ok, impossible]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1, result.output
    assert "ligne 3" in result.output and "Date de la demande" in result.output and "invalid_date" in result.output
    clean = tmp_path / "siao_75_2024-04.csv"
    clean.write_text("\n".join([header, ok]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(clean)])
    assert result.exit_code == 0, result.output
    assert "MEN1" not in result.output


def test_check_imports_neither_dagster_nor_pandera(tmp_path: Path):
    """`observatoire check` (target ≤ 1 s) reads and checks one file without importing Dagster (the
    assets of `assets.ingest`) or pandera (≈ 1.2 s of imports together): run in a fresh interpreter,
    same report as in process."""
    header = ("Numéro demande;Numéro ménage;Date d'extraction;Date de la demande;Type de demande;"
              "Département SIAO;Commune de la demande;Composition familiale;Nombre de personnes;"
              "Nombre d'enfants;Sexe;Année de naissance;Situation à la demande;Statut de la demande;"
              "Motif de non-attribution;Date d'orientation;Type d'orientation;Date d'admission;"
              "Date de sortie;Destination à la sortie;NUR")
    ok = ("75-1;MEN1;31/03/2024;02/03/2024;Urgence;75;75112;Personne seule;1;0;F;1980;"
          "Rue / abri de fortune;En attente;;;;;;;")
    bad = ok.replace("75-1;MEN1", "75-2;MEN2").replace(";1;0;F;", ";1;3;F;")
    path = tmp_path / "siao_75_2024-03.csv"
    path.write_text("\n".join([header, ok, bad]) + "\n", encoding="utf-8")
    script = ("import sys\nfrom pipelines.cli import main\n"
              "try:\n    main(['check', sys.argv[1]])\nexcept SystemExit as exit:\n    code = exit.code\n"
              "heavy = ('dagster', 'pandera', 'pandas')\n"
              "print('CODE', code, 'MODULES', ','.join(m for m in heavy if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", script, str(path)], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, timeout=120)
    assert proc.stdout.rstrip().endswith("CODE 1 MODULES"), proc.stdout + proc.stderr
    assert "ligne 3, colonne « Nombre d'enfants » : [children_not_less_than_persons]" in proc.stdout, proc.stdout
    in_process = CliRunner().invoke(main, ["check", str(path)]).output
    assert proc.stdout.replace("CODE 1 MODULES", "").strip() == in_process.strip()


def test_app_refuses_without_a_publication_file(tmp_path: Path):
    result = CliRunner().invoke(main, ["app", "--publication", str(tmp_path / "absent.duckdb")])
    assert result.exit_code != 0
    assert "fichier de publication introuvable" in result.output
