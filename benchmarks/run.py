"""Benchmarks of the pipeline at national scale (issue 7): scripts, not tests.

Each measurement is one process run under `/usr/bin/time -v` (whole-process wall time and
peak resident memory), with the load average read before and after (the machine is shared):

    a_floor        DuckDB reads every landing file once into a count (benchmarks/floor.py)
    b_full         `observatoire run` from an empty warehouse
    c_incremental  `observatoire run` again after one new month of SIAO for one département
    d_indicators   rebuild of the group `indicateurs` only (benchmarks/indicateurs.py)
    e_pages        each app page's queries on the publication file (benchmarks/pages.py)
    f_nothing_new  `observatoire run` again on the warehouse of b_full (and c), no new file
    g_check        `observatoire check` on one monthly SIAO file of the landing folder

With `--repo DIR`, the steps run the code of the checkout DIR (PYTHONPATH, working directory,
commit recorded) while this script, its data and its results stay those of this checkout: the
"before" and "after" codes measured in one session, on the same files, at similar loads.

Usage (from the repository root, with the venv):

    .venv/bin/python benchmarks/run.py --scale 0.1 --label before all
    .venv/bin/python benchmarks/run.py --scale 1 --label after a_floor b_full
    .venv/bin/python benchmarks/run.py --scale 0.1 --label before --repo ../main b_full
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
# The checkout whose code the steps run (`--repo`); this checkout by default.
CODE_ROOT = ROOT
STEPS = ("a_floor", "a_floor_write", "b_full", "c_incremental", "d_indicators", "e_pages", "f_nothing_new",
         "g_check")
LABELS = {
    "a_floor": "(a) plancher : DuckDB lit chaque fichier (read_csv → count)",
    "a_floor_write": "(a') plancher avec écriture : DuckDB lit chaque fichier et l'écrit dans une table",
    "b_full": "(b) construction complète (`observatoire run`, entrepôt vide)",
    "c_incremental": "(c) incrémental : + 1 mois SIAO d'un département",
    "d_indicators": "(d) indicateurs seuls (groupe `indicateurs`)",
    "e_pages": "(e) requêtes des pages de l'application",
    "f_nothing_new": "(f) exécution sans fichier nouveau (`observatoire run` sur l'entrepôt de (b))",
    "g_check": "(g) `observatoire check` d'un fichier SIAO mensuel",
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
                       env={**os.environ, "PYTHONPATH": str(CODE_ROOT), **(env or {})}, cwd=CODE_ROOT, check=False)
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
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=CODE_ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "assets", "sql", "pipelines"], cwd=CODE_ROOT,
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


def run_env(scale: str | None = None, label: str | None = None) -> dict:
    env = {"OBSERVATOIRE_PSEUDO_KEY": PSEUDO_KEY}
    if scale is not None and label is not None:
        # the persistent Dagster instance of the runs (codes that keep one) beside the warehouse,
        # not in the checkout's data/ folder
        env["DAGSTER_HOME"] = str(work_dir(scale, label) / "dagster")
    return env


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
    dagster_home = Path(run_env(scale, label)["DAGSTER_HOME"])
    shutil.rmtree(dagster_home, ignore_errors=True)  # a full build starts with a fresh instance
    dagster_home.mkdir(parents=True)
    return measure("b_full", scale, label, [str(VENV_BIN / "observatoire"), "run", "--landing", str(landing),
                                            "--warehouse", str(warehouse), "--publication", str(publication)],
                   run_env(scale, label))


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
                   run_env(scale, label))


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


def step_nothing_new(scale: str, label: str) -> dict:
    """`observatoire run` again with no new file: the landing folder the warehouse last saw (the copy
    with the months added by c_incremental if it was measured, else the generated folder)."""
    landing = generate(scale)
    warehouse, publication, landing_inc = paths(scale, label)
    if not warehouse.exists():
        raise SystemExit("f_nothing_new mesure une exécution après b_full : lancer b_full d'abord")
    source = landing_inc if landing_inc.exists() else landing
    return measure("f_nothing_new", scale, label, [str(VENV_BIN / "observatoire"), "run", "--landing", str(source),
                                                   "--warehouse", str(warehouse), "--publication", str(publication)],
                   run_env(scale, label))


def check_file(landing: Path) -> Path:
    """The monthly SIAO file `observatoire check` is measured on: the last month of Paris."""
    return max((landing / "siao").glob(f"siao_{NEW_MONTH_DEPARTEMENT}_*.csv"))


def step_check(scale: str, label: str) -> dict:
    landing = generate(scale)
    return measure("g_check", scale, label, [str(VENV_BIN / "observatoire"), "check", str(check_file(landing))],
                   run_env())


STEP_FUNCTIONS = {"a_floor": step_floor, "a_floor_write": step_floor_write, "b_full": step_full, "c_incremental": step_incremental,
                  "d_indicators": step_indicators, "e_pages": step_pages, "f_nothing_new": step_nothing_new,
                  "g_check": step_check}


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


# Targets of issue 14, by scale: (b) ≤ k × (a), peak of (b), (c) ≤ seconds and ≤ share of (b).
FULL_OVER_FLOOR = {"1": 4.0, "0.1": 2.0}
PEAK_GIB = {"1": 3.0}
INCREMENTAL_SECONDS = {"1": 15.0}
INCREMENTAL_SHARE = {"1": 5.0, "0.1": 10.0}
NOTHING_NEW_SECONDS = 5.0
CHECK_SECONDS = 1.0


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def targets(rows: dict) -> list[str]:
    """Checks of issue 14's targets for each (scale, label) having the figures: the ratios in wall
    time and in CPU time (user + sys, less sensitive to the other work on a shared machine)."""
    lines = []
    # the floor does not depend on the code measured: a label's own floor (same session, same
    # load) if it has one, else the least disturbed (fastest) floor of the scale
    floors: dict = {}
    for (scale, _), steps in rows.items():
        if "a_floor" in steps and steps["a_floor"]["wall_s"]:
            if scale not in floors or steps["a_floor"]["wall_s"] < floors[scale]["wall_s"]:
                floors[scale] = steps["a_floor"]
    for (scale, label), steps in sorted(rows.items()):
        floor = steps.get("a_floor") if steps.get("a_floor", {}).get("wall_s") else floors.get(scale)
        full, inc = steps.get("b_full"), steps.get("c_incremental")
        nothing, check = steps.get("f_nothing_new"), steps.get("g_check")
        parts = []
        if floor and full and floor["wall_s"] and full["wall_s"]:
            ratio = full["wall_s"] / floor["wall_s"]
            cpu = (f", {full['cpu_s'] / floor['cpu_s']:.1f}× en temps CPU"
                   if full.get("cpu_s") and floor.get("cpu_s") else "")
            limit = FULL_OVER_FLOOR.get(scale)
            target = f" ({mark(ratio <= limit)} cible ≤ {limit:g}×)" if limit else ""
            parts.append(f"(b)/(a) = {ratio:.1f}×{cpu}{target}")
        if full and full["peak_kib"]:
            gib = full["peak_kib"] / 1024 / 1024
            limit = PEAK_GIB.get(scale)
            target = f" ({mark(gib <= limit)} cible ≤ {limit:g} GiB)" if limit else ""
            parts.append(f"pic (b) = {gib:.2f} GiB{target}")
        if inc and full and inc["wall_s"] and full["wall_s"]:
            share = inc["wall_s"] / full["wall_s"] * 100
            cpu = (f", {inc['cpu_s'] / full['cpu_s'] * 100:.1f} % en temps CPU"
                   if inc.get("cpu_s") and full.get("cpu_s") else "")
            checks = []
            if scale in INCREMENTAL_SECONDS:
                checks.append(f"{mark(inc['wall_s'] <= INCREMENTAL_SECONDS[scale])} ≤ {INCREMENTAL_SECONDS[scale]:g} s")
            if scale in INCREMENTAL_SHARE:
                checks.append(f"{mark(share <= INCREMENTAL_SHARE[scale])} ≤ {INCREMENTAL_SHARE[scale]:g} % de (b)")
            target = f" (cible {', '.join(checks)})" if checks else ""
            parts.append(f"(c) = {fmt_seconds(inc['wall_s'])}, (c)/(b) = {share:.1f} %{cpu}{target}")
        if nothing and nothing["wall_s"]:
            parts.append(f"(f) = {fmt_seconds(nothing['wall_s'])} (CPU {fmt_seconds(nothing.get('cpu_s'))}, pic "
                         f"{fmt_mem(nothing['peak_kib'])} ; {mark(nothing['wall_s'] <= NOTHING_NEW_SECONDS)} cible "
                         f"≤ {NOTHING_NEW_SECONDS:g} s)")
        if check and check["wall_s"]:
            parts.append(f"(g) = {fmt_seconds(check['wall_s'])} (CPU {fmt_seconds(check.get('cpu_s'))}, pic "
                         f"{fmt_mem(check['peak_kib'])} ; {mark(check['wall_s'] <= CHECK_SECONDS)} cible "
                         f"≤ {CHECK_SECONDS:g} s)")
        pages = steps.get("e_pages", {}).get("pages", {}).get("pages")
        if pages:
            worst = max(pages.items(), key=lambda kv: kv[1]["slowest_query_median_ms"])
            slowest = worst[1]["slowest_query_median_ms"]
            total = max(pages.items(), key=lambda kv: kv[1]["median_ms"])
            parts.append(f"requête la plus lente {worst[1]['slowest_query']} ({worst[0]}) {slowest:.0f} ms "
                         f"({mark(slowest < 300)} cible < 300 ms par requête ; page la plus lente, "
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
        "# Benchmarks : échelle nationale (issues 7 et 14)",
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
    out += ["", "## Cibles (issue 14)", "",
            "À scale 1 : (b) ≤ 4 × (a), pic de (b) ≤ 3 GiB, (c) ≤ 15 s et ≤ 5 % de (b) ; à scale 0.1 : (b) ≤ 2 × (a),",
            "(c) ≤ 10 % de (b) ; aux deux : (f) ≤ 5 s, (g) ≤ 1 s. Le plancher (a) d'une version est celui mesuré",
            "dans la même session qu'elle s'il existe, sinon le plus rapide de l'échelle.", "",
            *targets(rows), ""]
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
    parser.add_argument("--repo", type=Path, default=None,
                        help="checkout dont le code est mesuré (défaut : celui de ce script)")
    args = parser.parse_args()
    if args.repo is not None:
        global CODE_ROOT
        CODE_ROOT = args.repo.resolve()
        if not (CODE_ROOT / "pipelines" / "cli.py").exists():
            parser.error(f"--repo {args.repo} : pas de pipelines/cli.py, ce n'est pas un checkout du projet")
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
