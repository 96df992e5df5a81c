"""json-stat2 datasets (the format PxWebApi 2.0 answers in) read into a tidy DataFrame, with one-line
errors for malformed documents.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from analysis.core.errors import GinoError

def _categories(doc: dict, dim: str, source: str) -> list[tuple[str, str]]:
    """``(code, label)`` pairs of one json-stat2 dimension, in category index order."""
    dimension = doc.get("dimension")
    if not isinstance(dimension, dict) or not isinstance(dimension.get(dim), dict):
        raise GinoError(f"{source}: malformed json-stat2; expected dimension[{dim!r}] as an object")
    category = dimension[dim].get("category")
    if not isinstance(category, dict):
        raise GinoError(f"{source}: malformed json-stat2; expected dimension[{dim!r}].category as an object")
    labels = category.get("label") or {}
    index = category.get("index")
    if index is None and isinstance(labels, dict) and len(labels) == 1:
        index = list(labels)  # json-stat allows omitting index for a single category
    if isinstance(index, dict):
        positions = sorted(index.values())
        if positions != list(range(len(index))):
            raise GinoError(
                f"{source}: malformed json-stat2; expected dimension[{dim!r}].category.index "
                f"positions 0..{len(index) - 1}"
            )
        codes = sorted(index, key=index.__getitem__)
    elif isinstance(index, list):
        codes = index
    else:
        raise GinoError(
            f"{source}: malformed json-stat2; expected dimension[{dim!r}].category.index as a list or object"
        )
    if not isinstance(labels, dict):
        raise GinoError(f"{source}: malformed json-stat2; expected dimension[{dim!r}].category.label as an object")
    return [(str(code), str(labels.get(code, code))) for code in codes]


def _dimension_ids(doc: dict, source: str) -> list[str]:
    ids = doc.get("id")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise GinoError(f"{source}: malformed json-stat2; expected 'id' as a list of dimension names")
    return ids


def parse_jsonstat2(doc: dict, *, source: str = "json-stat2 document") -> pd.DataFrame:
    """A json-stat2 dataset as a long frame: one code column per dimension, then one
    ``<dim>_label`` column per dimension, then ``value`` (float only when a value is missing).

    ``source`` (for example the request URL) names the document in error messages.
    """
    if not isinstance(doc, dict):
        raise GinoError(f"{source}: malformed json-stat2; expected a JSON object")
    ids = _dimension_ids(doc, source)
    size = doc.get("size")
    if not isinstance(size, list) or len(size) != len(ids) or not all(isinstance(s, int) for s in size):
        raise GinoError(f"{source}: malformed json-stat2; expected 'size' as {len(ids)} integers, one per id")
    categories = [_categories(doc, dim, source) for dim in ids]
    for dim, n, cats in zip(ids, size, categories):
        if len(cats) != n:
            raise GinoError(
                f"{source}: malformed json-stat2; expected {n} categories in dimension {dim!r} (its size), "
                f"got {len(cats)}"
            )
    cells = math.prod(size)
    values = doc.get("value")
    if isinstance(values, dict):  # sparse form: {"flat index": value}
        dense: list[Any] = [None] * cells
        for key, v in values.items():
            if not str(key).isdigit() or int(key) >= cells:
                raise GinoError(f"{source}: malformed json-stat2; expected 'value' keys 0..{cells - 1}, got {key!r}")
            dense[int(key)] = v
        values = dense
    if not isinstance(values, list) or len(values) != cells:
        if isinstance(values, list):
            got = f"{len(values)} values"
        else:
            got = "no 'value'" if values is None else f"a JSON {type(values).__name__}"
        raise GinoError(
            f"{source}: malformed json-stat2; expected 'value' as a list of {cells} numbers (the product of size), "
            f"got {got}"
        )
    if any(not (v is None or (isinstance(v, int | float) and not isinstance(v, bool))) for v in values):
        raise GinoError(f"{source}: malformed json-stat2; expected 'value' to hold only numbers or null")

    # MultiIndex.from_product varies the last level fastest: json-stat2's row-major order.
    frame = pd.MultiIndex.from_product([[c for c, _ in cats] for cats in categories], names=ids).to_frame(index=False)
    for dim, cats in zip(ids, categories):
        frame[f"{dim}_label"] = frame[dim].map(dict(cats))
    integral = None not in values and all(float(v).is_integer() for v in values)
    frame["value"] = pd.Series(
        [math.nan if v is None else v for v in values], dtype="int64" if integral else "float64"
    )
    return frame
