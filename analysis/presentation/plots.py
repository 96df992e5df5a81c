"""Shared figure style: colour-blind-safe colours, Swedish number formatting on axes, no file I/O.

Figure functions elsewhere in ``analysis`` take tables and return a ``matplotlib.figure.Figure``;
notebooks display them and Quarto embeds them. Nothing here writes files.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from analysis.presentation.formatting import sv_number

# Okabe & Ito (2008): distinguishable with the common forms of colour-vision deficiency.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
SEQUENTIAL = "viridis"  # perceptually uniform and colour-blind safe, for maps and grids
FIGSIZE = (7.5, 4.5)


def apply_style() -> None:
    """Matplotlib defaults for every figure of the project (call once per notebook)."""
    plt.rcParams.update({
        "figure.figsize": FIGSIZE,
        "figure.dpi": 110,
        "savefig.dpi": 200,
        "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "font.size": 10,
        "svg.hashsalt": "gino",  # identical SVG output from identical figures
    })


def swedish_axis(axis, decimals: int = 0, percent: bool = False) -> None:
    """Tick labels with decimal comma and space thousands separator (``percent``: 0.25 -> '25 %')."""
    if percent:
        axis.set_major_formatter(FuncFormatter(lambda x, _: f"{sv_number(x * 100, decimals)}\u00a0%"))
    else:
        axis.set_major_formatter(FuncFormatter(lambda x, _: sv_number(x, decimals)))


def finish_share_dot_plot(fig, ax, xlabel: str, legend_anchor: tuple[float, float]) -> None:
    """The common finish of the dot plots of shares: percent axis, light grid, legend below the axes."""
    swedish_axis(ax.xaxis, percent=True)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    ax.legend(loc="upper center", bbox_to_anchor=legend_anchor, ncol=2, frameon=False)
    fig.tight_layout()
