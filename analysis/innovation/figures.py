"""Figures of the innovation-climate survey; each takes a table from ``analysis.innovation.climate`` and returns a Figure."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from analysis.presentation.plots import OKABE_ITO, swedish_axis

STATE_COLOUR, IMPORTANCE_COLOUR = OKABE_ITO[5], OKABE_ITO[4]


def short(label: str, width: int = 28) -> str:
    return textwrap.shorten(label.split(" (")[0], width=width, placeholder="…")


def importance_performance_figure(ipa: pd.DataFrame):
    """Importance (share "Viktigt") against performance (share "Bra"), crosshairs at the means,
    the diagonal where the two are equal, and the quadrant "Koncentrera insatserna här" shaded."""
    fig, ax = plt.subplots(figsize=(7.5, 6.2))
    mean_i, mean_s = ipa.attrs["mean_importance"], ipa.attrs["mean_state"]
    ax.add_patch(Rectangle((0, mean_i), mean_s, 1.05 - mean_i, color=OKABE_ITO[0], alpha=0.18, lw=0))
    ax.text(0.01, 1.035, "Koncentrera insatserna här", fontsize=9, va="top", color="#8a5a00")
    ax.plot([0, 1.05], [0, 1.05], color="grey", lw=0.8, ls=":")
    ax.text(0.62, 0.58, "viktighet = bedömning", color="grey", fontsize=8, rotation=38)
    ax.axvline(mean_s, color="grey", lw=0.8)
    ax.axhline(mean_i, color="grey", lw=0.8)
    ax.scatter(ipa["state_share"], ipa["importance_share"], color=OKABE_ITO[4], zorder=3)
    for row in ipa.itertuples(index=False):
        ax.annotate(f"{row.number}", (row.state_share, row.importance_share), xytext=(4, 3),
                    textcoords="offset points", fontsize=8)
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("Andel som bedömer att aspekten fungerar bra på arbetsplatsen")
    ax.set_ylabel("Andel som anser aspekten viktig för en innovativ organisation")
    swedish_axis(ax.xaxis, percent=True)
    swedish_axis(ax.yaxis, percent=True)
    key = "\n".join(f"{r.number}. {short(r.label, 52)}" for r in ipa.itertuples(index=False))
    ax.text(0.45, 0.03, key, fontsize=7.5, va="bottom", ha="left", transform=ax.transAxes, linespacing=1.3)
    ax.set_aspect("equal")
    fig.tight_layout()
    return fig


def gap_figure(shares: pd.DataFrame):
    """Dumbbell chart: share "Bra" and share "Viktigt" per aspect with Wilson intervals, ordered by the gap."""
    data = shares.sort_values("gap", ascending=True).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 5.2))
    y = np.arange(len(data))
    ax.hlines(y, data["state_share"], data["importance_share"], color="lightgrey", lw=4, zorder=1)
    for prefix, colour, name in (("state", STATE_COLOUR, "Fungerar bra"), ("importance", IMPORTANCE_COLOUR, "Viktigt")):
        err = [data[f"{prefix}_share"] - data[f"{prefix}_ci_low"], data[f"{prefix}_ci_high"] - data[f"{prefix}_share"]]
        ax.errorbar(data[f"{prefix}_share"], y, xerr=err, fmt="o", color=colour, ecolor=colour, elinewidth=1,
                    capsize=2, label=name, zorder=3)
    ax.set_yticks(y, [f"{r.number}. {short(r.label, 45)}" for r in data.itertuples(index=False)], fontsize=8.5)
    ax.set_xlim(0, 1.02)
    swedish_axis(ax.xaxis, percent=True)
    ax.set_xlabel("Andel av dem som besvarat frågan (95 % konfidensintervall)")
    ax.legend(loc="lower left", frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


def paired_gap_figure(shares: pd.DataFrame):
    """The gap per aspect (share "Viktigt" − share "Bra" on those who answered both, percentage points)
    with Newcombe's paired 95 % interval, largest gap at the top."""
    data = shares.sort_values("gap", ascending=True).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 5.2))
    y = np.arange(len(data))
    err = [(data["gap"] - data["gap_low"]) * 100, (data["gap_high"] - data["gap"]) * 100]
    ax.errorbar(data["gap"] * 100, y, xerr=err, fmt="o", color=OKABE_ITO[5], ecolor=OKABE_ITO[5], elinewidth=1.2,
                capsize=2, zorder=3)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(y, [f"{r.number}. {short(r.label, 45)}" for r in data.itertuples(index=False)], fontsize=8.5)
    ax.set_xlim(-5, 100)
    swedish_axis(ax.xaxis)
    ax.set_xlabel("Gap: andel viktigt minus andel bra, procentenheter\n(de som besvarat båda frågorna; 95 % KI, Newcombe)")
    fig.tight_layout()
    return fig


def statements_figure(culture: pd.DataFrame, organisation: pd.DataFrame):
    """Tables 2 and 3 as dot plots with Wilson intervals, each in descending order."""
    fig, axes = plt.subplots(2, 1, figsize=(7.5, 8.5), sharex=True,
                             gridspec_kw={"height_ratios": [len(culture), len(organisation)]})
    for ax, table, title in ((axes[0], culture, "Kulturella förutsättningar"),
                             (axes[1], organisation, "Organisatoriska förutsättningar")):
        data = table.iloc[::-1].reset_index(drop=True)
        y = np.arange(len(data))
        err = [data["share"] - data["ci_low"], data["ci_high"] - data["share"]]
        ax.errorbar(data["share"], y, xerr=err, fmt="o", color=OKABE_ITO[2], capsize=2, elinewidth=1)
        ax.set_yticks(y, [textwrap.fill(label, 48) for label in data["label"]], fontsize=7.5)
        ax.set_title(title, fontsize=10, loc="left")
    axes[1].set_xlim(0, 1)
    swedish_axis(axes[1].xaxis, percent=True)
    axes[1].set_xlabel("Andel som svarat i mycket eller ganska hög utsträckning\n(95 % konfidensintervall)")
    fig.tight_layout()
    return fig
