"""Figures of the feedback documents; each takes a table from ``analysis.feedback.comparison`` and returns a Figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.feedback.tables import REASONS
from analysis.presentation.plots import OKABE_ITO, finish_share_dot_plot

FILLED, EMPTY = OKABE_ITO[4], "#d9d9d9"
OWN_COLOUR, REGION_COLOUR = OKABE_ITO[5], "#555555"


def poster_chart(statements: pd.DataFrame) -> plt.Figure:
    """"N av 10" as ten circles per statement, N of them filled: large, plain, readable at a distance
    (``statements``: ``feedback.poster_statements``)."""
    rows = statements.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(10, 0.72 * len(rows) + 0.3))  # six rows fit an A3 page with the text
    for i, row in rows.iterrows():
        y = len(rows) - 1 - i
        ax.scatter(np.arange(10), np.full(10, y), s=560, c=[FILLED if j < row["of_ten"] else EMPTY for j in range(10)],
                   edgecolors="none")
        ax.text(-0.8, y, row["label"], ha="right", va="center", fontsize=17)
        ax.text(10.0, y, f"{row['of_ten']} av 10", ha="left", va="center", fontsize=19, fontweight="bold")
    ax.set_xlim(-7.6, 12.2)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.axis("off")
    fig.tight_layout()
    return fig


def comparison_chart(table: pd.DataFrame, name: str, region_label: str) -> plt.Figure:
    """Share positive per indicator with 95 % intervals: all municipalities, and the municipality where
    its figure is shown (``table``: ``feedback.indicator_comparison``); otherwise the row says why not."""
    t = table.iloc[::-1].reset_index(drop=True)
    y = np.arange(len(t))
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(t) + 1.5))
    region_err = np.vstack([t["share"] - t["ci_low"], t["ci_high"] - t["share"]]).astype(float)
    ax.errorbar(t["share"].astype(float), y - 0.14, xerr=region_err, fmt="s", color=REGION_COLOUR, capsize=3, ms=6,
                label=region_label)
    shown = t["shown"].to_numpy(bool)
    if shown.any():
        s = t[shown]
        own = s[["own_share", "own_ci_low", "own_ci_high"]].astype(float)
        ax.errorbar(own["own_share"], y[shown] + 0.14, fmt="o", color=OWN_COLOUR, capsize=3, ms=7, label=name,
                    xerr=np.vstack([own["own_share"] - own["own_ci_low"], own["own_ci_high"] - own["own_share"]]))
    for i in y[~shown]:
        ax.text(0.01, i + 0.14, f"{name}: {REASONS[t.loc[i, 'reason']].rstrip('*')}", va="center", fontsize=8,
                color="#777777")
    ax.set_yticks(y, t["label"])
    ax.set_xlim(0, 1.03)  # room for a marker at 100 %
    finish_share_dot_plot(fig, ax, "Andel positiva svar, 95 % konfidensintervall", (0.4, -0.16))
    return fig
