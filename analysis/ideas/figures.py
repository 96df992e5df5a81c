"""Figures of the idea inventory; they take tables from ``analysis.ideas.inventory`` and return a Figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from analysis.presentation import plots
from analysis.presentation.formatting import sv_number


def idea_count_figure(counts) -> Figure:
    """Horizontal bars: ideas per sub-heading, top to bottom in published order, one colour per top heading."""
    level1 = list(dict.fromkeys(counts["level1"]))
    colour = {name: plots.OKABE_ITO[i % len(plots.OKABE_ITO)] for i, name in enumerate(level1)}
    # one empty slot between top headings so the groups stand apart
    y = [i + level1.index(name) for i, name in enumerate(counts["level1"])]
    fig, ax = plt.subplots(figsize=(plots.FIGSIZE[0], 0.35 * (max(y) + 1) + 1.2))
    bars = ax.barh(y, counts["n"], color=[colour[name] for name in counts["level1"]])
    ax.bar_label(bars, labels=[sv_number(int(n)) for n in counts["n"]], padding=3)
    ax.set_yticks(y, counts["level2"])
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    plots.swedish_axis(ax.xaxis)
    ax.set_xlabel("Antal idéer")
    ax.legend(handles=[Patch(color=colour[name], label=name) for name in level1],
              title="Område", frameon=False, loc="lower right")
    fig.tight_layout()
    return fig
