"""``python -m benchmarks.spreadsheets``: CPU time and peak Python memory of reading workbooks, ours against
openpyxl's read-only mode in the same run, on a 20,000-row residents workbook and on crafted one-row workbooks.

Each figure is measured in a child process of its own (so one reading's memory does not carry into the next): CPU
seconds (``time.process_time``, untraced), then the peak of ``tracemalloc`` on a second reading, and the child's peak
RSS. The baseline is the reader as it was before (openpyxl's read-only mode keeping the same rows). Prints a markdown
table and writes ``benchmarks/results/spreadsheets.json``. Not a test: nothing here asserts.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

ROWS = 20_000
RESULTS = Path(__file__).resolve().parents[1] / "results"
WORK = Path(os.environ.get("TMPDIR", "/tmp")) / "haofuwu-bench-spreadsheets"


def _residents_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("住户")
    sheet.append(["楼栋", "单元", "房号", "姓名", "手机", "身份证号", "关系", "标签", "入住日期"])
    for n in range(ROWS):
        sheet.append(
            [f"{n % 40 + 1}号楼", str(n % 3 + 1), f"{n % 30 + 1:02d}{n % 4 + 1:02d}", f"住户{n}", f"139{n:08d}",
             "", "业主", "", f"2015-{n % 12 + 1:02d}-01"]
        )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _crafted(cells: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "x"
    plain = io.BytesIO()
    workbook.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    buffer = io.BytesIO()
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        + b"<c/>" * cells
        + b"</row></sheetData></worksheet>"
    )
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in source.infolist():
            data = sheet if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            archive.writestr(item.filename, data)
    return buffer.getvalue()


def _read(reader: str, content: bytes) -> tuple[int, str]:
    if reader == "ours":
        from haofuwu.estates.spreadsheets import UnreadableSpreadsheet, read_table

        try:
            return len(read_table(content, max_rows=ROWS + 10).rows), "read"
        except UnreadableSpreadsheet as error:
            return 0, f"refused: {error.message}"
    # The baseline is what read_table did before: openpyxl's read-only mode, the same rows kept the same way.
    from openpyxl import load_workbook

    from haofuwu.estates.spreadsheets import _trim, is_blank

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = []
    for number, values in enumerate(workbook.worksheets[0].iter_rows(max_col=64, values_only=True), start=1):
        cells = list(values)
        if not all(is_blank(value) for value in cells):
            rows.append((number, _trim(cells)))
    workbook.close()
    return len(rows), "read"


def _child(reader: str, path: str) -> None:
    """Read one file with one reader, twice (CPU time without tracing, then peak memory with it); print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haofuwu.settings")
    import django

    django.setup()
    content = Path(path).read_bytes()
    started = time.process_time()
    rows, outcome = _read(reader, content)
    cpu = time.process_time() - started
    tracemalloc.start()
    _read(reader, content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"cpu_s": round(cpu, 3), "peak_mib": round(peak / 2**20, 1), "rss_mib": round(rss / 2**20),
                      "rows": rows, "outcome": outcome}))  # fmt: skip


def _measure(reader: str, path: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.spreadsheets", "--child", reader, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    files = {
        f"residents, {ROWS:,} rows": _residents_workbook(),
        "one row of 250,000 cells": _crafted(250_000),
        "one row of 2,500,000 cells": _crafted(2_500_000),
    }
    rows = []
    for label, content in files.items():
        path = WORK / f"{len(rows)}.xlsx"
        path.write_bytes(content)
        ours = _measure("ours", path)
        # openpyxl on the 2.5-million-cell row needs about 2 GiB; its figure is the 250,000-cell one times ten.
        baseline = _measure("openpyxl", path) if "2,500,000" not in label else None
        rows.append({"file": label, "kib": len(content) // 1024, "ours": ours, "openpyxl": baseline})
    print("| file | KiB | ours: CPU s / peak MiB / outcome | openpyxl read-only: CPU s / peak MiB | CPU ratio |")
    print("|---|---|---|---|---|")
    for row in rows:
        ours, base = row["ours"], row["openpyxl"]
        ratio = f"{ours['cpu_s'] / base['cpu_s']:.2f}" if base and base["cpu_s"] else "—"
        base_text = f"{base['cpu_s']} / {base['peak_mib']}" if base else "not run (≈ 10 × the row above)"
        print(f"| {row['file']} | {row['kib']} | {ours['cpu_s']} / {ours['peak_mib']} / {ours['outcome'][:40]} "
              f"| {base_text} | {ratio} |")  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "spreadsheets.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
        sys.exit(0)
    sys.exit(main())
