"""Benchmarks of the pipeline at national scale (issue 7): scripts, not tests.

Each measurement is one process run under `/usr/bin/time -v` (whole-process wall time and
peak resident memory), with the load average read before and after (the machine is shared):

    a_floor        DuckDB reads every landing file once into a count (benchmarks/floor.py)
    b_full         `observatoire run` from an empty warehouse
    c_incremental  `observatoire run` again after one new month of SIAO for one département
    d_indicators   rebuild of the group `indicateurs` only (benchmarks/indicateurs.py)
    e_pages        each app page's queries on the publication file (benchmarks/pages.py)

Usage (from the repository root, with the venv):

    .venv/bin/python benchmarks/run.py --scale 0.1 --label before all
    .venv/bin/python benchmarks/run.py --scale 1 --label after a_floor b_full
    .venv/bin/python benchmarks/run.py report          # rewrite benchmarks/results.md

The landing data of a scale is generated once into `$BENCH_CACHE/scale<X>` (default cache
folder: benchmarks/cache, git-ignored) with `observatoire simulate --scale X` (seed 2026, no
quirks, 2015 to last year); warehouses and logs go to `$BENCH_CACHE/bench/scale<X>/<label>/`.
Every figure is appended to benchmarks/results.json (committed) and rendered into
benchmarks/results.md with the machine description.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
# Results may be written elsewhere (e.g. the main checkout when measuring a commit from a worktree).
RESULTS_DIR = Path(os.environ.get("BENCH_RESULTS", BENCH))
RESULTS_JSON = RESULTS_DIR / "results.json"
RESULTS_MD = RESULTS_DIR / "results.md"
VENV_BIN = Path(sys.executable).parent
STEPS = ("a_floor", "a_floor_write", "b_full", "c_incremental", "d_indicators", "e_pages")
LABELS = {
    "a_floor": "(a) plancher : DuckDB lit chaque fichier (read_csv → count)",
    "a_floor_write": "(a') plancher avec écriture : DuckDB lit chaque fichier et l'écrit dans une table",
    "b_full": "(b) construction complète (`observatoire run`, entrepôt vide)",
    "c_incremental": "(c) incrémental : + 1 mois SIAO d'un département",
    "d_indicators": "(d) indicateurs seuls (groupe `indicateurs`)",
    "e_pages": "(e) requêtes des pages de l'application",
}
# The département whose next monthly SIAO extraction is added for (c).
NEW_MONTH_DEPARTEMENT = "75"
PSEUDO_KEY = "cle-de-benchmark"


def cache_dir() -> Path:
    return Path(os.environ.get("BENCH_CACHE", BENCH / "cache")).resolve()


def landing_dir(scale: str) -> Path:
    return cache_dir() / f"scale{scale}"


def work_dir(scale: str, label: str) -> Path:
    return cache_dir() / "bench" / f"scale{scale}" / label


# ------------------------------------------------------------------------------------------
# /usr/bin/time -v
# ------------------------------------------------------------------------------------------
def parse_time_v(text: str) -> dict:
    """Wall time (s), peak RSS (KiB), CPU % and exit status from `/usr/bin/time -v` output."""
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    cpu = re.search(r"Percent of CPU this job got: (\d+)%", text)
    status = re.search(r"Exit status: (\d+)", text)
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    system = re.search(r"System time \(seconds\): ([\d.]+)", text)
    seconds = None
    if wall:
        parts = [float(p) for p in wall.group(1).split(":")]
        seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    return {
        "wall_s": round(seconds, 2) if seconds is not None else None,
        "peak_kib": int(rss.group(1)) if rss else None,
        "cpu_pct": int(cpu.group(1)) if cpu else None,
        # processor time (user + system): less sensitive than wall time to other work on the machine
        "cpu_s": round(float(user.group(1)) + float(system.group(1)), 1) if user and system else None,
        "exit_status": int(status.group(1)) if status else None,
    }


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def measure(step: str, scale: str, label: str, command: list[str], env: dict | None = None) -> dict:
    """Run `command` under /usr/bin/time -v; keep its log in the work folder; record the figures."""
    work = work_dir(scale, label)
    work.mkdir(parents=True, exist_ok=True)
    timefile, logfile = work / f"{step}.time", work / f"{step}.log"
    before, started = loadavg(), datetime.now(timezone.utc)
    print(f"[{started:%H:%M:%S}] {step} (scale {scale}, {label}) : {' '.join(command)}", flush=True)
    with open(logfile, "w") as log:
        subprocess.run(["/usr/bin/time", "-v", "-o", str(timefile), *command], stdout=log, stderr=subprocess.STDOUT,
                       env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, cwd=ROOT, check=False)
    figures = parse_time_v(timefile.read_text())
    entry = {
        "scale": scale, "label": label, "step": step, **figures,
        "load_before": before, "load_after": loadavg(),
        "started": started.strftime("%Y-%m-%d %H:%M UTC"), "commit": git_commit(),
    }
    pages_json = work / "e_pages.json"
    if step == "e_pages" and pages_json.exists():
        entry["pages"] = json.loads(pages_json.read_text())
    record(entry)
    print(f"    {fmt_seconds(entry['wall_s'])}, pic {fmt_mem(entry['peak_kib'])}, statut {entry['exit_status']} "
          f"(charge {before} → {entry['load_after']}) ; journal : {logfile}", flush=True)
    if entry["exit_status"]:
        print(logfile.read_text()[-3000:], file=sys.stderr)
    return entry


def git_commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "assets", "sql", "pipelines"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return out.stdout.strip() + ("+modifs" if dirty else "")


def record(entry: dict) -> None:
    results = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else []
    results = [r for r in results if (r["scale"], r["label"], r["step"]) != (entry["scale"], entry["label"], entry["step"])]
    results.append(entry)
    RESULTS_JSON.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")


# ------------------------------------------------------------------------------------------
# Steps
# ------------------------------------------------------------------------------------------
def generate(scale: str) -> Path:
    landing = landing_dir(scale)
    if (landing / "parametres.json").exists():
        return landing
    landing.parent.mkdir(parents=True, exist_ok=True)
    measure("generate", scale, "data", [str(VENV_BIN / "observatoire"), "simulate", "--out", str(landing),
                                         "--scale", scale, "--seed", "2026"])
    return landing


def run_env() -> dict:
    return {"OBSERVATOIRE_PSEUDO_KEY": PSEUDO_KEY}


def paths(scale: str, label: str) -> tuple[Path, Path, Path]:
    work = work_dir(scale, label)
    # not `publication.duckdb`: DuckDB names the catalog after the file, which then clashes with the
    # schema `publication` inside the file
    return work / "warehouse.duckdb", work / "publication" / "observatoire.duckdb", work / "landing_incremental"


def step_floor(scale: str, label: str) -> dict:
    landing = generate(scale)
    return measure("a_floor", scale, label, [sys.executable, str(BENCH / "floor.py"), str(landing)])


def step_floor_write(scale: str, label: str) -> dict:
    landing = generate(scale)
    target = work_dir(scale, label) / "plancher_ecriture.duckdb"
    try:
        return measure("a_floor_write", scale, label,
                       [sys.executable, str(BENCH / "floor.py"), str(landing), "--write", str(target)])
    finally:
        for path in (target, Path(f"{target}.wal")):
            path.unlink(missing_ok=True)


def step_full(scale: str, label: str) -> dict:
    landing = generate(scale)
    warehouse, publication, landing_inc = paths(scale, label)
    for path in (warehouse, Path(f"{warehouse}.wal"), publication):
        path.unlink(missing_ok=True)
    shutil.rmtree(landing_inc, ignore_errors=True)  # its added months are not in the new warehouse
    shutil.rmtree(publication.parent / "parquet", ignore_errors=True)
    return measure("b_full", scale, label, [str(VENV_BIN / "observatoire"), "run", "--landing", str(landing),
                                            "--warehouse", str(warehouse), "--publication", str(publication)], run_env())


def next_month(month: str) -> str:
    year, mon = (int(x) for x in month.split("-"))
    return f"{year + (mon == 12)}-{mon % 12 + 1:02d}"


def add_new_month(landing: Path, target: Path) -> Path:
    """A copy of the landing folder (hard links) plus the next monthly SIAO extraction of one département.

    The new file is the département's latest extraction re-extracted a month later: same
    requests (the spec: an extraction lists every request created or updated during the month),
    `Date d'extraction` set to the last day of the new month. An existing copy is kept (the months
    added by earlier measurements stay: the warehouse has them), so that each measurement adds a
    month the warehouse has not seen.
    """
    if not target.exists():
        target.mkdir(parents=True)
        for folder in landing.iterdir():
            if folder.is_dir():
                shutil.copytree(folder, target / folder.name, copy_function=os.link)
    dep = NEW_MONTH_DEPARTEMENT
    latest = max((target / "siao").glob(f"siao_{dep}_*.csv"))
    month = next_month(latest.stem.rsplit("_", 1)[1])
    year, mon = (int(x) for x in month.split("-"))
    last_day = (datetime(year + (mon == 12), mon % 12 + 1, 1) - datetime(year, mon, 1)).days
    new_date = f"{last_day:02d}/{mon:02d}/{year}"
    lines = latest.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(";")
        if len(cells) > 2:
            cells[2] = new_date
        out.append(";".join(cells))
    new_file = target / "siao" / f"siao_{dep}_{month}.csv"
    new_file.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"    nouveau fichier : {new_file.name} ({len(out) - 1} lignes, copie de {latest.name} extraite le {new_date})")
    return new_file


def step_incremental(scale: str, label: str) -> dict:
    landing = generate(scale)
    warehouse, publication, landing_inc = paths(scale, label)
    if not warehouse.exists():
        raise SystemExit("c_incremental mesure une exécution après b_full : lancer b_full d'abord")
    add_new_month(landing, landing_inc)
    return measure("c_incremental", scale, label, [str(VENV_BIN / "observatoire"), "run", "--landing", str(landing_inc),
                                                   "--warehouse", str(warehouse), "--publication", str(publication)],
                   run_env())


def step_indicators(scale: str, label: str) -> dict:
    warehouse, _, landing_inc = paths(scale, label)
    if not warehouse.exists():
        raise SystemExit("d_indicators a besoin d'un entrepôt : lancer b_full d'abord")
    return measure("d_indicators", scale, label, [sys.executable, str(BENCH / "indicateurs.py"),
                                                  "--warehouse", str(warehouse)], run_env())


def step_pages(scale: str, label: str) -> dict:
    _, publication, _ = paths(scale, label)
    if not publication.exists():
        raise SystemExit("e_pages a besoin du fichier de publication : lancer b_full d'abord")
    out = work_dir(scale, label) / "e_pages.json"
    return measure("e_pages", scale, label, [sys.executable, str(BENCH / "pages.py"), str(publication),
                                             "--json", str(out)])


STEP_FUNCTIONS = {"a_floor": step_floor, "a_floor_write": step_floor_write, "b_full": step_full, "c_incremental": step_incremental,
                  "d_indicators": step_indicators, "e_pages": step_pages}


# ------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------
def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, sec = divmod(round(seconds), 60)
    return f"{minutes} min {sec:02d} s"


def fmt_mem(kib: int | None) -> str:
    return "—" if kib is None else f"{kib / 1024 / 1024:.2f} GiB" if kib >= 1024 * 1024 else f"{kib / 1024:.0f} MiB"


def machine() -> list[str]:
    def sh(cmd: str) -> str:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()

    import duckdb
    import polars

    cpu = sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p'") or platform.processor()
    mem = sh("free -g | awk '/^Mem:/ {print $2}'")
    return [
        f"- CPU : {cpu}, {os.cpu_count()} cœurs (`nproc` = {sh('nproc')})",
        f"- Mémoire : {mem} GiB (`free -g`), pas de swap ; disque : {sh('df -h ' + str(cache_dir().parent) + ' | tail -1')}",
        f"- Python {platform.python_version()}, DuckDB {duckdb.__version__}, polars {polars.__version__}, "
        f"noyau {platform.release()}",
    ]


def targets(rows: dict) -> list[str]:
    """Checks of the issue's targets for each (scale, label) having the figures."""
    lines = []
    # the floor does not depend on the code measured: the least disturbed (fastest) floor of a scale
    # serves every label of that scale
    floors: dict = {}
    for (scale, _), steps in rows.items():
        if "a_floor" in steps and steps["a_floor"]["wall_s"]:
            if scale not in floors or steps["a_floor"]["wall_s"] < floors[scale]["wall_s"]:
                floors[scale] = steps["a_floor"]
    for (scale, label), steps in sorted(rows.items()):
        floor = floors.get(scale)
        full, inc = steps.get("b_full"), steps.get("c_incremental")
        parts = []
        if floor and full and floor["wall_s"] and full["wall_s"]:
            ratio = full["wall_s"] / floor["wall_s"]
            cpu = (f", {full['cpu_s'] / floor['cpu_s']:.1f}× en temps CPU"
                   if full.get("cpu_s") and floor.get("cpu_s") else "")
            parts.append(f"(b)/(a) = {ratio:.1f}×{cpu} ({'✅' if ratio <= 3 else '❌'} cible ≤ 3×)")
        if full and full["peak_kib"]:
            gib = full["peak_kib"] / 1024 / 1024
            parts.append(f"pic (b) = {gib:.2f} GiB ({'✅' if gib < 4 else '❌'} cible < 4 GiB)")
        if inc and full and inc["wall_s"] and full["wall_s"]:
            share = inc["wall_s"] / full["wall_s"] * 100
            parts.append(f"(c)/(b) = {share:.1f} % ({'✅' if share < 5 else '❌'} cible < 5 %)")
        pages = steps.get("e_pages", {}).get("pages", {}).get("pages")
        if pages:
            worst = max(pages.items(), key=lambda kv: kv[1]["slowest_query_median_ms"])
            slowest = worst[1]["slowest_query_median_ms"]
            total = max(pages.items(), key=lambda kv: kv[1]["median_ms"])
            parts.append(f"requête la plus lente {worst[1]['slowest_query']} ({worst[0]}) {slowest:.0f} ms "
                         f"({'✅' if slowest < 300 else '❌'} cible < 300 ms par requête ; page la plus lente, "
                         f"toutes requêtes : {total[0]} {total[1]['median_ms']:.0f} ms)")
        if parts:
            lines.append(f"- scale {scale}, {label} : " + " ; ".join(parts))
    return lines


def report() -> str:
    results = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else []
    for r in results:  # figures recorded by an older version of this script: completed from the logs
        timefile = work_dir(r["scale"], r["label"]) / f"{r['step']}.time"
        if r.get("cpu_s") is None and timefile.exists():
            r["cpu_s"] = parse_time_v(timefile.read_text())["cpu_s"]
    RESULTS_JSON.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    rows: dict = {}
    for r in results:
        rows.setdefault((r["scale"], r["label"]), {})[r["step"]] = r
    out = [
        "# Benchmarks : échelle nationale (issue 7)",
        "",
        "Généré par `benchmarks/run.py report` à partir de `benchmarks/results.json` (voir benchmarks/README.md).",
        "Chaque mesure est un processus entier sous `/usr/bin/time -v` : temps écoulé (horloge murale) et pic de",
        "mémoire résidente (RSS). Scale 1 = volumes nationaux (≈ 30 M lignes SIAO, 4,7 M attributions et 25 M",
        "demandes SNE, 2015-2025, 13 356 fichiers, 6,7 Go) ; scale 0.1 = un dixième des microdonnées.",
        "",
        "## Machine",
        "",
        *machine(),
        "- Machine partagée : deux autres ingénieurs y lancent leurs tests en même temps. La charge moyenne",
        "  (1 min, 5 min, 15 min de `/proc/loadavg`) est relevée avant et après chaque mesure ; au-delà de 2",
        "  (2 cœurs), la mesure a partagé le processeur.",
        "",
        "## Résultats",
        "",
        "| scale | version | mesure | temps | pic RSS | temps CPU (user+sys) | CPU | charge avant → après | début | commit |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    order = {s: i for i, s in enumerate(("generate", *STEPS))}
    for (scale, label), steps in sorted(rows.items(), key=lambda kv: (float(kv[0][0]), kv[0][1] != "before", kv[0][1])):
        for step in sorted(steps, key=lambda s: order.get(s, 99)):
            r = steps[step]
            status = "" if not r.get("exit_status") else f" (échec, statut {r['exit_status']})"
            out.append(
                f"| {scale} | {label} | {LABELS.get(step, step)}{status} | {fmt_seconds(r['wall_s'])} | "
                f"{fmt_mem(r['peak_kib'])} | {fmt_seconds(r.get('cpu_s'))} | {r.get('cpu_pct', '—')} % | {r['load_before']} → {r['load_after']} | "
                f"{r['started']} | {r['commit']} |"
            )
    out += ["", "## Cibles", "", *targets(rows), ""]
    page_rows = [(k, s["e_pages"]["pages"]) for k, s in sorted(rows.items()) if "e_pages" in s and "pages" in s["e_pages"]]
    if page_rows:
        out += ["## Pages de l'application (e)", "",
                "Fonctions de `observatory_app/data.py` appelées avec les choix par défaut de chaque page (médiane de",
                "5 passages) : la requête la plus lente de la page, le total des requêtes de la page (chacune ouvre le",
                "fichier en lecture seule, exécute son SQL, rend un DataFrame polars), et ce total à travers",
                "`st.cache_data` vidé avant chaque appel (première visite).", "",
                "| scale | version | page | requêtes | requête la plus lente | total page | total via cache vidé |",
                "|---|---|---|---|---|---|---|"]
        for (scale, label), pages in page_rows:
            for page, p in pages["pages"].items():
                cached = p.get("via_cache_median_ms")
                out.append(f"| {scale} | {label} | {page} | {', '.join(p['queries'])} | {p['slowest_query']} "
                           f"{p['slowest_query_median_ms']:.0f} ms | {p['median_ms']:.0f} ms (max {p['max_ms']:.0f}) | "
                           f"{f'{cached:.0f} ms' if cached is not None else '—'} |")
        out.append("")
    notes = RESULTS_DIR / "NOTES.md"
    if notes.exists():
        out += [notes.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("steps", nargs="+", help=f"all, report, generate ou parmi {', '.join(STEPS)}")
    parser.add_argument("--scale", default="0.1", help="0.1 ou 1 (défaut 0.1)")
    parser.add_argument("--label", default="after", help="version mesurée : before, after… (défaut after)")
    args = parser.parse_args()
    steps = [s for name in args.steps for s in (STEPS if name == "all" else [name])]
    for step in steps:
        if step == "generate":
            print(generate(args.scale))
        elif step != "report":
            STEP_FUNCTIONS[step](args.scale, args.label)
    text = report()
    RESULTS_MD.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
