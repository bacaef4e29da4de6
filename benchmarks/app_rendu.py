"""Render time of every page of the observatory in a real browser (issue 5: under 1 s each).

Starts `streamlit run observatory_app/app.py` on the given publication file, then for each page:
measures a click in the sidebar (2 s after the previous page was shown, as a reader would) → the
page's script finished (`data-test-script-state="notRunning"`
with the page's title shown), and the opening of the app in a new tab; three passes, each in a new
tab — the first on a fresh server (empty caches), the next ones with the server's caches warm.

    .venv/bin/python benchmarks/app_rendu.py --publication FILE [--label demo] [--out benchmarks/rendu.json]

Prints a Markdown table and merges the figures into the JSON file (one entry per label).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
PAGES = [
    ("", "Vue nationale"),
    ("fiche_territoire", "Fiche territoire"),
    ("classement", "Classement des territoires"),
    ("ndls", "Nuits de la Solidarité"),
    ("qualite", "Qualité des données"),
    ("methodologie", "Méthodologie"),
    ("depot", "Déposer un export"),
]
PASSAGES = 3
LECTURE_MS = 2000  # pause between two clicks, as a reader makes (the browser finishes drawing the page)


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demarrer(publication: Path) -> tuple[subprocess.Popen, str]:
    port = port_libre()
    env = {**os.environ, "OBSERVATOIRE_PUBLICATION": str(publication)}
    serveur = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(RACINE / "observatory_app" / "app.py"),
         "--server.port", str(port), "--server.headless", "true"],
        cwd=RACINE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return serveur, url
        except OSError:
            time.sleep(0.5)
    serveur.kill()
    raise SystemExit("le serveur Streamlit n'a pas démarré")


def _attendre(page, titre: str) -> None:
    page.locator("h1", has_text=titre).first.wait_for(timeout=120_000)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=120_000)


def mesurer(url: str) -> dict[str, list[float]]:
    """`ouverture` : a new tab on the app (loads Streamlit's front end, starts a session, runs the
    national page); then each page reached by a click in the sidebar, as a user navigates (the
    front end stays loaded; the page's script runs with the session's and the server's caches)."""
    from playwright.sync_api import sync_playwright

    temps: dict[str, list[float]] = {"Ouverture (nouvel onglet, Vue nationale)": []}
    temps.update({titre: [] for _, titre in PAGES})
    with sync_playwright() as p:
        navigateur = p.chromium.launch(executable_path="/usr/bin/chromium")
        for _ in range(PASSAGES):
            page = navigateur.new_page(viewport={"width": 1400, "height": 1000})
            debut = time.perf_counter()
            page.goto(url, wait_until="domcontentloaded")
            _attendre(page, "Vue nationale")
            temps["Ouverture (nouvel onglet, Vue nationale)"].append(round(time.perf_counter() - debut, 2))
            for _, titre in PAGES[1:] + PAGES[:1]:
                page.wait_for_timeout(LECTURE_MS)  # a user looks at the page before clicking on
                lien = page.locator('[data-testid="stSidebarNav"] a', has_text=titre.split(" des ")[0]).first
                debut = time.perf_counter()
                lien.click()
                _attendre(page, titre)
                temps[titre].append(round(time.perf_counter() - debut, 2))
            page.close()
        navigateur.close()
    return temps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publication", required=True, type=Path)
    parser.add_argument("--label", default="demo")
    parser.add_argument("--out", type=Path, default=RACINE / "benchmarks" / "rendu.json")
    args = parser.parse_args()
    charge_avant = Path("/proc/loadavg").read_text().split()[:3]
    serveur, url = demarrer(args.publication.resolve())
    try:
        temps = mesurer(url)
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)
    charge_apres = Path("/proc/loadavg").read_text().split()[:3]
    lignes = [f"| page | 1re visite | 2e | 3e |", "|---|---|---|---|"]
    for titre, valeurs in temps.items():
        lignes.append(f"| {titre} | " + " | ".join(f"{v:.2f} s" for v in valeurs) + " |")
    print(f"Publication : {args.publication} ({args.publication.stat().st_size / 1e6:.1f} Mo), "
          f"charge {' '.join(charge_avant)} → {' '.join(charge_apres)}")
    print("\n".join(lignes))
    resultats = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    resultats[args.label] = {
        "publication": str(args.publication),
        "octets": args.publication.stat().st_size,
        "charge_avant": charge_avant,
        "charge_apres": charge_apres,
        "mesure": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "secondes": temps,
    }
    args.out.write_text(json.dumps(resultats, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
