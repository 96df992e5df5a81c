"""Benchmark: reading and validating a large real-style survey export, as ``gino build`` does.

    .venv/bin/python benchmarks/large_export.py                        # 4 400 000 rows, CSV, answers as codes
    .venv/bin/python benchmarks/large_export.py --rows 1000000 --labels  # Excel's Swedish CSV
    .venv/bin/python benchmarks/large_export.py --rows 200000 --labels --format xlsx

Writes a client-survey export of N respondents (the synthetic twin's rows repeated with new ids;
``--labels``: Swedish labels instead of codes, semicolons and Windows-1252, as Excel in Sweden saves)
into a temporary directory, then reads and validates it with ``load_survey`` in a fresh process and
prints that process's wall time, CPU time and peak resident memory (its maximum RSS, from
``getrusage``). The reader's progress lines are shown as they come. Nothing in the repository is
written. A script, not a test: run it by hand.

Targets (issue 23): CSV, 4.4 million rows (about 180 MB), at most 120 s and 2 GiB on 2 cores; XLSX,
200 000 rows, at most 30 s.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATASET = "client_survey_2018"
TARGETS = {"csv": (120.0, 2048.0), "xlsx": (30.0, 2048.0)}  # seconds wall, MiB peak
READ = """
import resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from analysis.survey_data.codebooks import load_codebook
from analysis.survey_data.loading import load_survey
frame = load_survey(Path(sys.argv[1]), load_codebook(sys.argv[2]))
seconds = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"{len(frame)} {seconds:.1f} {usage.ru_maxrss / 1024:.0f} {usage.ru_utime + usage.ru_stime:.1f}")
"""


def write_export(path: Path, rows: int, labels: bool, fmt: str) -> None:
    from analysis.survey_data.codebooks import load_codebook

    with open(ROOT / "data/raw/synthetic" / f"{DATASET}_synthetic.csv", encoding="utf-8", newline="") as f:
        header, *body = list(csv.reader(f))
    if labels:
        codebook = load_codebook(ROOT / "data/raw/codebooks" / f"{DATASET}.yaml")
        scales = [codebook.variable(c).scale if c not in ("respondent_id", "year") else None for c in header]
        body = [[s.all_labels.get(int(x) if x.lstrip("-").isdigit() and not s.labels.get(x) else x, x)
                 if s and x else x for s, x in zip(scales, row)] for row in body]
    records = ([f"big-{i:07d}", *body[i % len(body)][1:]] for i in range(rows))
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(header)
        for record in records:
            sheet.append(record)
        book.save(path)
        return
    delimiter, encoding = (";", "cp1252") if labels else (",", "utf-8")
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=4_400_000)
    parser.add_argument("--labels", action="store_true", help="Swedish labels, semicolons, Windows-1252")
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gino-large-export-") as tmp:
        path = Path(tmp) / f"export.{args.format}"
        t0 = time.perf_counter()
        write_export(path, args.rows, args.labels, args.format)
        print(f"wrote {args.rows:,} rows ({path.stat().st_size / 2**20:.0f} MiB {args.format}"
              f"{', labels' if args.labels else ', codes'}) in {time.perf_counter() - t0:.0f} s", flush=True)
        # stderr (the reader's progress lines) goes straight to the terminal
        result = subprocess.run([sys.executable, "-c", READ, str(path), DATASET], cwd=ROOT, stdout=subprocess.PIPE,
                                text=True)
        if result.returncode:
            return 1
        rows, seconds, peak, cpu = result.stdout.split()[-4:]
        wall, memory = TARGETS[args.format]
        met = float(seconds) <= wall and float(peak) <= memory
        print(f"| read and validated | {int(rows):,} rows | {seconds} s wall ({cpu} s CPU) | peak {peak} MiB | "
              f"target <= {wall:.0f} s, <= {memory:.0f} MiB: {'met' if met else 'MISSED'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
