"""SPSS .sav exports (pyreadstat): numeric codes as text, with the file's value labels and user-missing
codes, which ``analysis.survey_data.value_checks`` maps through the codebook. CSV is read by
``analysis.survey_data.csv_reader``, Excel by ``analysis.survey_data.xlsx_reader``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.errors import InputError
from analysis.survey_data.export_files import Export, check_mojibake
from analysis.survey_data.xlsx_reader import cell_text


def read_sav(path: Path) -> Export:
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(path, apply_value_formats=False, user_missing=True)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise InputError(path, f"a readable SPSS .sav file ({exc.__class__.__name__})") from None
    columns = [str(c) for c in df.columns]
    cells = pd.DataFrame({i: pd.array([cell_text(v) for v in df[c]], dtype="str") for i, c in enumerate(df.columns)},
                         index=pd.RangeIndex(1, len(df) + 1, name="row"))
    check_mojibake(path, cells.set_axis(columns, axis=1))
    labels = {col: {cell_text(code): str(label) for code, label in mapping.items()}
              for col, mapping in meta.variable_value_labels.items()}
    declared: dict[str, list[str]] = {}
    for col, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        for r in ranges:
            lo, hi = r.get("lo"), r.get("hi")
            if lo == hi:
                declared.setdefault(col, []).append(cell_text(lo))
            else:
                present = pd.to_numeric(df[col], errors="coerce")
                inside = sorted(set(present[(present >= lo) & (present <= hi)].dropna()))
                declared.setdefault(col, []).extend(cell_text(v) for v in inside)
    return Export(path, columns, lambda size: (cells.iloc[i: i + size] for i in range(0, len(cells), size)),
                  value_labels=labels, user_missing=declared)
