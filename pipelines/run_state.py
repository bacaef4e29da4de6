"""Whether `observatoire run` has anything to do: the fingerprint of everything a run reads.

A run reads the landing folder, the project's code, configuration and reference data, the installed
engines (DuckDB, Dagster, polars…), its settings (paths, pseudonymisation key) and the date (files
dated after the month of the run are refused; a Baromètre target whose date has passed changes
status). After a successful run (no failed step, no failed blocking check), this fingerprint is kept
in the Dagster instance's folder with the state of what the run wrote (size and modification time of
the warehouse, the publication file and its Parquet copies, and the names of what lies beside them:
the leftovers of an interrupted build mean work to do). The next run computes the fingerprint
again, without importing the assets: when nothing differs and the outputs are those the last run left,
there is nothing new — no asset is rebuilt and the publication file is left as it is (same content,
same modification time); the run is still recorded in the instance (job `observatoire_rien_de_nouveau`).

The landing folder is compared by name, type, size and modification time of each entry (what the
loader itself does before hashing a file, `meta.fichiers_vus`); the code and reference data by
content. The key is never stored: only an HMAC of a constant made with it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import platform
import sysconfig
from datetime import UTC, date, datetime
from pathlib import Path

from pipelines.config import CONFIG_DIR, PROJECT_ROOT, REFERENCE_DIR, Settings

#: Written in the Dagster instance's folder (`Settings.instance_home`).
STATE_FILE = "derniere_execution.json"
#: The project's code and SQL read by a run (file contents).
CODE_DIRS = ("assets", "sql", "pipelines", "observatoire_commun")
CODE_FILES = ("pyproject.toml", "workspace.yaml")
#: Bumped when the fingerprint's recipe changes (an older state then never matches).
RECIPE = "1"


def _walk(folder: Path) -> list[tuple[str, str, int, int, str]]:
    """(relative path, type, size, mtime_ns, link target) of every entry under `folder`, symlinks not
    followed (the loader refuses them; their target is part of what it records)."""
    entries: list[tuple[str, str, int, int, str]] = []
    if not folder.exists():
        return entries
    stack = [folder]
    while stack:
        current = stack.pop()
        with os.scandir(current) as it:
            for entry in it:
                relative = os.path.relpath(entry.path, folder)
                if entry.is_symlink():
                    entries.append((relative, "lien", 0, 0, os.readlink(entry.path)))
                elif entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        stack.append(Path(entry.path))
                else:
                    stat = entry.stat(follow_symlinks=False)
                    kind = "fichier" if entry.is_file(follow_symlinks=False) else "autre"
                    entries.append((relative, kind, stat.st_size, stat.st_mtime_ns, ""))
    return sorted(entries)


def _contents(folder: Path, digest) -> None:  # noqa: ANN001 (a hashlib object)
    for relative, kind, _, _, target in _walk(folder):
        digest.update(f"{relative}\0{kind}\0{target}\0".encode())
        if kind == "fichier" and not relative.endswith((".pyc", ".pyo")):
            digest.update((folder / relative).read_bytes())


def _installed() -> list[str]:
    """The installed distributions with their versions (the names of the `*.dist-info` folders of the
    environment: one directory listing, where `importlib.metadata` reads every package's metadata)."""
    names: set[str] = set()
    for key in ("purelib", "platlib"):
        folder = Path(sysconfig.get_paths()[key])
        if folder.is_dir():
            names.update(e.name for e in os.scandir(folder) if e.name.endswith((".dist-info", ".egg-info")))
    return sorted(names)


def input_fingerprint(settings: Settings, today: date | None = None) -> str:
    """SHA-256 of everything a run reads (see the module docstring)."""
    digest = hashlib.sha256(f"recette {RECIPE}\0".encode())
    for relative, kind, size, mtime, target in _walk(Path(settings.landing)):
        digest.update(f"depot\0{relative}\0{kind}\0{size}\0{mtime}\0{target}\n".encode())
    for name in CODE_DIRS:
        digest.update(f"code\0{name}\n".encode())
        _contents(PROJECT_ROOT / name, digest)
    for name in CODE_FILES:
        path = PROJECT_ROOT / name
        digest.update(f"code\0{name}\n".encode() + (path.read_bytes() if path.is_file() else b"-"))
    for folder in (CONFIG_DIR, REFERENCE_DIR):
        digest.update(f"donnees\0{folder}\n".encode())
        _contents(folder, digest)
    digest.update(f"python\0{platform.python_version()}\n".encode())
    for distribution in _installed():
        digest.update(f"paquet\0{distribution}\n".encode())
    fields = {k: str(v) for k, v in dataclasses.asdict(settings).items() if k != "pseudo_key"}
    digest.update(json.dumps(fields, sort_keys=True).encode())
    key = hmac.new((settings.pseudo_key or "").encode(), b"observatoire-empreinte-execution", "sha256").hexdigest()
    digest.update(f"cle\0{key}\n".encode())
    digest.update(f"jour\0{(today or datetime.now(UTC).date()).isoformat()}\n".encode())
    return digest.hexdigest()


def outputs_state(settings: Settings) -> dict[str, list[int] | str | None]:
    """Size and modification time of what a run writes (None: absent): the warehouse, the publication
    file, its Parquet copies, and whatever lies beside them under their names (a `.wal`, the leftovers of
    an interrupted build such as `.observatoire.duckdb.tmp-*` or `.parquet.old-*`, which a run removes:
    their presence means work to do)."""
    warehouse, publication = Path(settings.warehouse), Path(settings.publication)
    parquet = publication.parent / "parquet"
    paths = {warehouse, publication}
    for target in (warehouse, publication, parquet):
        if target.parent.is_dir():
            paths.update(target.parent / e.name for e in os.scandir(target.parent) if target.name in e.name)
    if parquet.is_dir():
        paths.update(parquet.iterdir())
    state: dict[str, list[int] | str | None] = {}
    for path in sorted(paths):
        if path.is_dir() and not path.is_symlink():
            state[str(path)] = "dossier"
            continue
        try:
            stat = path.stat(follow_symlinks=False)
            state[str(path)] = [stat.st_size, stat.st_mtime_ns]
        except FileNotFoundError:
            state[str(path)] = None
    return state


def _state_path(settings: Settings) -> Path:
    return Path(settings.instance_home) / STATE_FILE


def last_run(settings: Settings, fingerprint: str) -> dict | None:
    """The state the last successful run recorded, if it had this fingerprint and its outputs are
    unchanged since (else None: the run has something to do)."""
    try:
        state = json.loads(_state_path(settings).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if state.get("empreinte") != fingerprint or state.get("sorties") != outputs_state(settings):
        return None
    if not Path(settings.publication).is_file():
        return None
    return state


def record(settings: Settings, fingerprint: str, run_id: str) -> None:
    """Keep the fingerprint of a successful run (computed before it) and the state of its outputs."""
    path = _state_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {"empreinte": fingerprint, "run_id": run_id, "sorties": outputs_state(settings),
             "enregistre_le": datetime.now(UTC).replace(microsecond=0).isoformat()}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def forget(settings: Settings) -> None:
    """A run that failed (or was forced) leaves no state: the next run does everything."""
    _state_path(settings).unlink(missing_ok=True)
