"""A big file without quotes is planned in parts read from disk one at a time (`reading.plan_parts`):
its parts give exactly the rows of the whole file — physical line numbers, blank lines, CRLF, BOM,
the final `Total` line, a `Total` line in the middle, a short row — and the whole bytes are not kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from assets.ingest.reading import plan_parts
from assets.ingest.validate import _prepare, iter_validate_files
from tests.ingest.test_malformed_lines import HEADER, _line


def _write(path: Path, bom: bool, crlf: bool, final_newline: bool) -> None:
    lines = [HEADER] + [_line(i) for i in range(40)]
    lines[5] = ""  # blank line 6
    lines[9] = ";;;;"  # separators only, line 10
    lines[17] = "Total;12"  # a Total line in the middle: malformed
    lines[23] = _line(23).rsplit(";", 3)[0]  # too few fields
    lines += ["", "Total;40;;", ""]  # the footer, between blank lines
    eol = "\r\n" if crlf else "\n"
    text = eol.join(lines) + (eol if final_newline else "")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


@pytest.mark.parametrize(("bom", "crlf", "final_newline"),
                         [(False, False, True), (True, True, False), (False, True, True)])
def test_planned_parts_give_the_rows_of_the_whole_file(tmp_path, bom, crlf, final_newline):
    path = tmp_path / "siao_13_2025-01.csv"
    _write(path, bom, crlf, final_newline)
    whole = list(iter_validate_files([path], "siao", pseudo_key="k", communes=frozenset({"13055"})))[0]
    plan = plan_parts(path, path.read_bytes(), "utf-8-sig" if bom else "utf-8", 6)
    assert plan is not None and len(plan.parts) == 7  # 43 lines: the last part holds the footer
    prepared = _prepare(path, "siao", max_lines=6)
    assert prepared.plan is not None and prepared.table.lines == []  # nothing decoded yet
    parts = list(iter_validate_files([path], "siao", pseudo_key="k", communes=frozenset({"13055"}), max_file_lines=6,
                                     batch_rows=7))[0]
    assert (parts.rows_read, parts.rows_accepted, parts.rows_quarantined, parts.rows_skipped) == (
        whole.rows_read, whole.rows_accepted, whole.rows_quarantined, whole.rows_skipped)
    assert whole.rows_skipped == (5 if final_newline else 4) and whole.rows_quarantined == 2
    assert sorted(whole.quarantine.get_column("line_number").to_list()) == [18, 24]
    assert parts.accepted.equals(whole.accepted)
    assert parts.quarantine.equals(whole.quarantine)


def test_a_file_with_quotes_is_not_planned(tmp_path):
    path = tmp_path / "siao_13_2025-01.csv"
    path.write_text(HEADER + "\n" + "\n".join(_line(i) for i in range(20)) + '\n"13-x";\n', encoding="utf-8")
    assert plan_parts(path, path.read_bytes(), "utf-8", 6) is None
