"""One mixed-integer program solved by HiGHS through the solver's own Python bindings (``highspy``).

``scipy.optimize.milp`` wraps the same solver, but importing ``scipy.optimize`` (and ``scipy.sparse``) took
0.3–0.6 s of every build that audits; ``highspy`` loads in about 10 ms. The program: minimise ``cost · x``
subject to ``row_low <= A x <= row_high`` and ``col_low <= x <= col_high``, every ``x`` whole. Pure
computation.
"""

from __future__ import annotations

import numpy as np


def compressed_rows(rows: list[int], cols: list[int], vals: list[float], n_rows: int) -> tuple:
    """``A`` in compressed rows (start, index, value), repeated entries of a row summed, columns in order."""
    rows_, cols_, vals_ = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), np.asarray(vals, float)
    order = np.lexsort((cols_, rows_))
    rows_, cols_, vals_ = rows_[order], cols_[order], vals_[order]
    first = np.ones(len(rows_), dtype=bool)
    first[1:] = (rows_[1:] != rows_[:-1]) | (cols_[1:] != cols_[:-1])
    group = np.cumsum(first) - 1
    value = np.zeros(int(first.sum()))
    np.add.at(value, group, vals_)
    index, row_of = cols_[first], rows_[first]
    start = np.searchsorted(row_of, np.arange(n_rows + 1))
    return start.astype(np.int32), index.astype(np.int32), value


def _solver():
    """One HiGHS instance for the process, made without its banner: HiGHS prints "Running HiGHS …" on the C
    level when an instance is made, before any option can silence it, and ``gino build`` prints only its
    own lines (the standard output is pointed at the null device meanwhile)."""
    global _HIGHS
    if _HIGHS is None:
        import os
        import sys

        import highspy

        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
            _HIGHS = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved), os.close(null)
        _HIGHS.setOptionValue("output_flag", False)
    return _HIGHS


_HIGHS = None


def solve(matrix: tuple, row_low: np.ndarray, row_high: np.ndarray, col_low: np.ndarray, col_high: np.ndarray,
          cost: np.ndarray) -> tuple[np.ndarray | None, float]:
    """An optimal whole-number ``x`` and its cost, or (None, nan) when there is none (no solution)."""
    import highspy

    start, index, value = matrix
    highs = _solver()
    highs.clearModel()  # nothing of an earlier program (solution, basis) is carried over
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(row_low)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, col_low, col_high
    lp.row_lower_, lp.row_upper_ = row_low, row_high
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = len(cost), len(row_low)
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = start, index, value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(cost)
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None, float("nan")
    return np.array(highs.getSolution().col_value), highs.getInfo().objective_function_value
