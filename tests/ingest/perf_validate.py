"""Performance sanity run of `validate_file` (not a test): `python -m tests.ingest.perf_validate [N]`.

Builds an N-row SIAO file (default 200 000) with varied values and a few bad rows, then times
the validation. Target: well under 2 s per 100 000 rows.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from assets.ingest.contracts import DESTINATIONS, SITUATIONS_SIAO, TYPES_ORIENTATION
from assets.ingest.normalise import load_communes
from assets.ingest.validate import validate_file

from .samples import SIAO_HEADER


def build(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    communes = sorted(c for c in load_communes() if c.startswith("75") or c.startswith("93"))
    lines = [";".join(SIAO_HEADER)]
    for i in range(n):
        day = rng.randint(1, 28)
        status = rng.choice(["Pourvue", "Non pourvue", "En attente", "Annulée"])
        pourvue = status == "Pourvue"
        exit_ = pourvue and rng.random() < 0.3
        cells = [
            f"D{i:07d}",
            f"MEN{rng.randint(0, 10**9):010d}",
            "30/04/2023 08:15",
            f"{day:02d}/03/2023",
            rng.choice(["Urgence", "Insertion"]),
            "75",
            rng.choice(communes + ["", "75112"]),
            rng.choice(["Personne seule", "Couple sans enfant", "Famille monoparentale"]),
            "2",
            "1",
            rng.choice(["F", "M", ""]),
            str(rng.randint(1940, 2005)),
            rng.choice(SITUATIONS_SIAO),
            status,
            "Absence de place" if status == "Non pourvue" else "",
            f"{day:02d}/04/2023" if pourvue else "",
            rng.choice(TYPES_ORIENTATION) if pourvue else "",
            f"{min(day + 1, 28):02d}/04/2023" if pourvue else "",
            f"{min(day + 2, 29):02d}/04/2023" if exit_ else "",
            rng.choice(DESTINATIONS) if exit_ else "",
            f"0751123{rng.randint(0, 10**6):06d}" if rng.random() < 0.4 else "",
        ]
        if i % 1000 == 7:
            cells[3] = "31/02/2023"
        lines.append(";".join(cells))
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def main(n: int = 200_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "siao_75_2023-04.csv"
        build(path, n)
        communes = load_communes()
        validate_file(path, pseudo_key="warm-up", communes=communes)  # imports, caches
        for check_contract in (True, False):
            start, cpu = time.perf_counter(), time.process_time()
            result = validate_file(path, pseudo_key="perf", communes=communes, check_contract=check_contract)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(
                f"{n} rows, {path.stat().st_size / 1e6:.1f} MB, pandera={check_contract}: {elapsed:.2f} s wall "
                f"({elapsed / n * 1e5:.2f} s per 100 000 rows), {cpu:.2f} s CPU (all threads); "
                f"accepted {result.rows_accepted}, quarantined {result.rows_quarantined}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
