"""Cross-check with the project's generator: every injected quirk has the outcome its manifest names.

The generator (`pipelines.simulate`) writes files with quirks and a manifest (file, physical
line, expected outcome, rule, column). Validating all its files must give exactly those
outcomes: each quarantined line with its rule and column, nothing else quarantined, the blank
lines and footers skipped, the value quirks accepted, the broken files rejected.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from assets.ingest.validate import iter_validate_files

simulate = pytest.importorskip("pipelines.simulate").simulate


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, pl.DataFrame, dict]:
    out = tmp_path_factory.mktemp("simulated")
    simulate(out, scale=0.005, years=(2023, 2023), quirks=True, truth=False)
    manifest = pl.read_csv(out / "quirks_manifest.csv", infer_schema=False).with_columns(
        pl.col("line_number").cast(pl.Int64), pl.col("column_name").replace("", None), pl.col("rule").replace("", None)
    )
    paths = sorted(p for p in out.glob("*/*.csv"))
    results = {r.file_name: r for r in iter_validate_files(paths, pseudo_key="cle-de-test")}
    return out, manifest, results


def _final_total_lines(results: dict, manifest: pl.DataFrame) -> set[tuple[str, int]]:
    """'Total' lines the manifest calls inside a file but that end up as its last row.

    sources.md: a final line whose first cell starts with `Total` is a footer (skipped), wherever
    the generator meant to put it; the generator sometimes inserts its 'inside' Total line last.
    """
    inside = manifest.filter(pl.col("kind") == "total_line_inside")
    final = set()
    for file_name, line in inside.select("file_name", "line_number").iter_rows():
        result = results[file_name]
        later = [n for n in result.accepted.get_column("line_number").to_list() if n > line]
        later += [n for n in result.quarantine.get_column("line_number").to_list() if n > line]
        if not later:
            final.add((file_name, line))
    return final


def test_every_file_is_read(generated):
    out, manifest, results = generated
    rejected = {n for n, r in results.items() if r.status == "rejected"}
    expected = set(manifest.filter(pl.col("expected") == "rejected").get_column("file_name").to_list())
    assert rejected == expected
    for name in rejected:
        assert results[name].error_rule == "required_column_missing"
    assert all(r.rows_read == r.rows_accepted + r.rows_quarantined for r in results.values())


def test_quarantine_matches_the_manifest(generated):
    _, manifest, results = generated
    final = _final_total_lines(results, manifest)
    expected = {
        (f, n, rule, col)
        for f, n, rule, col in manifest.filter(pl.col("expected") == "quarantined")
        .select("file_name", "line_number", "rule", "column_name")
        .iter_rows()
        if (f, n) not in final
    }
    got = {
        (r["file_name"], r["line_number"], r["rule"], r["column_name"])
        for result in results.values()
        for r in result.quarantine.iter_rows(named=True)
    }
    assert got == expected


def test_skipped_and_accepted_quirks(generated):
    _, manifest, results = generated
    final = _final_total_lines(results, manifest)
    skipped = manifest.filter(pl.col("expected") == "skipped").group_by("file_name").len()
    expected = {f: n for f, n in skipped.iter_rows()}
    for file_name, _ in final:
        expected[file_name] = expected.get(file_name, 0) + 1
    got = {n: r.rows_skipped for n, r in results.items() if r.rows_skipped}
    assert got == expected
    accepted = manifest.filter((pl.col("expected") == "accepted") & pl.col("line_number").is_not_null())
    for file_name, line, kind in accepted.select("file_name", "line_number", "kind").iter_rows():
        assert line in results[file_name].accepted.get_column("line_number").to_list(), (file_name, line, kind)


def test_files_read_in_parts_give_the_same_results(generated):
    """A big file is typed and checked in parts (bounded memory): same rows, same quarantine, same counts."""
    out, _, results = generated
    paths = sorted(p for p in out.glob("*/*.csv"))
    in_parts = {r.file_name: r for r in iter_validate_files(paths, pseudo_key="cle-de-test", max_file_lines=7,
                                                            batch_rows=20)}
    assert in_parts.keys() == results.keys()
    cut = 0
    for name, whole in results.items():
        part = in_parts[name]
        for attr in ("status", "rows_read", "rows_accepted", "rows_quarantined", "rows_skipped", "encoding", "separator"):
            assert getattr(part, attr) == getattr(whole, attr), (name, attr)
        assert part.accepted.equals(whole.accepted), name
        assert part.quarantine.equals(whole.quarantine), name
        cut += whole.rows_read > 7
    assert cut > 10
