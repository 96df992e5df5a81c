"""Figures drawn for the slide decks: 16:9 and readable when projected (no text under ``MIN_POINTS``).

A slide's picture area is about 11.5 × 5.2 inches (a 13.33 × 7.5 inch 16:9 slide under its title); each
figure here is drawn at that size, so PowerPoint shows it at its own scale and its labels keep their
points. The A4 report's figures, drawn at 7.5 inches with 8–10 pt labels, would be shrunk to unreadable.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.feedback.tables import REASONS
from analysis.presentation.plots import OKABE_ITO, swedish_axis

SLIDE = (11.5, 5.2)   # inches: the picture area of a 16:9 slide under its title
MIN_POINTS = 14       # the smallest text on a slide
TEXT, SMALL = 18, 15  # labels and ticks; notes and legends
OWN, REGION, MEDIAN = OKABE_ITO[5], "#555555", "#555555"


def slide_figure(height: float = SLIDE[1]):
    fig, ax = plt.subplots(figsize=(SLIDE[0], height))
    ax.tick_params(labelsize=TEXT)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _finish(fig, ax, xlabel: str, ncol: int = 2) -> plt.Figure:
    swedish_axis(ax.xaxis, percent=True)
    ax.set_xlim(0, 1.03)
    ax.set_xlabel(xlabel, fontsize=SMALL)
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.35, -0.16), ncol=ncol, frameon=False, fontsize=SMALL)
    fig.tight_layout()
    return fig


def indicators_slide(table: pd.DataFrame, name: str, region_label: str) -> plt.Figure:
    """The seven indicators (``feedback.indicator_comparison``): all municipalities with their intervals, and
    the municipality where its share is shown; otherwise the row says why not."""
    t = table.iloc[::-1].reset_index(drop=True)
    y = np.arange(len(t))
    fig, ax = slide_figure()
    err = np.vstack([t["share"] - t["ci_low"], t["ci_high"] - t["share"]]).astype(float)
    ax.errorbar(t["share"].astype(float), y - 0.15, xerr=err, fmt="s", color=REGION, capsize=4, ms=9, lw=2,
                label=region_label)
    shown = t["shown"].to_numpy(bool)
    if shown.any():
        own = t.loc[shown, ["own_share", "own_ci_low", "own_ci_high"]].astype(float)
        ax.errorbar(own["own_share"], y[shown] + 0.15, fmt="o", color=OWN, capsize=4, ms=10, lw=2, label=name,
                    xerr=np.vstack([own["own_share"] - own["own_ci_low"], own["own_ci_high"] - own["own_share"]]))
    for i in y[~shown]:
        ax.text(0.01, i + 0.2, f"{name}: {REASONS[t.loc[i, 'reason']].rstrip('*')}", va="center", fontsize=SMALL,
                color="#666666")
    ax.set_yticks(y, t["label"])
    return _finish(fig, ax, "Andel positiva svar, 95 % konfidensintervall")


def years_slide(years: pd.DataFrame) -> plt.Figure:
    """All municipalities' share per indicator, 2018 beside 2019 (``indicators.compare_years``, one sample)."""
    t = years.iloc[::-1].reset_index(drop=True)
    y = np.arange(len(t))
    fig, ax = slide_figure()
    for year, offset, colour in ((2018, -0.15, OKABE_ITO[1]), (2019, 0.15, OKABE_ITO[5])):
        share = t[f"share_{year}"].astype(float)
        err = np.vstack([share - t[f"ci_low_{year}"], t[f"ci_high_{year}"] - share]).astype(float)
        ax.errorbar(share, y + offset, xerr=err, fmt="o", color=colour, capsize=4, ms=10, lw=2, label=str(year))
    ax.set_yticks(y, t["label"])
    return _finish(fig, ax, "Andel positiva svar, 95 % konfidensintervall")


def gap_slide(shares: pd.DataFrame, short: int = 42) -> plt.Figure:
    """Per aspect of the innovation climate, the share 'Viktigt' and the share 'Bra' (``climate.aspect_shares``),
    widest gap at the top."""
    data = shares.sort_values("gap").reset_index(drop=True)
    y = np.arange(len(data))
    fig, ax = slide_figure(SLIDE[1] + 0.6)
    ax.hlines(y, data["state_share"], data["importance_share"], color="0.75", lw=3, zorder=1)
    ax.scatter(data["importance_share"], y, s=110, color=OKABE_ITO[4], zorder=2, label="Viktigt")
    ax.scatter(data["state_share"], y, s=110, color=OKABE_ITO[5], zorder=2, label="Fungerar bra i dag")
    labels = [label if len(label) <= short else label[: short - 1].rstrip() + "…" for label in data["label"]]
    ax.set_yticks(y, labels, fontsize=SMALL)
    return _finish(fig, ax, "Andel av dem som svarat")


def kolada_slide(values: pd.DataFrame, own_label: str, group_label: str) -> plt.Figure:
    """Kolada's values per question and survey year (``values``: one row per item and year with ``label``,
    ``year``, ``value`` (%), ``group_mean`` and ``national_median``): ``value`` as dots (``own_label``, a
    municipality or the group's unweighted mean), ``group_mean`` as open diamonds (``group_label``) and the
    country's median as a tick; a question without a value says so."""
    years = sorted(values["year"].unique())
    labels = list(dict.fromkeys(values["label"]))[::-1]
    y = {label: i for i, label in enumerate(labels)}
    fig, ax = slide_figure()
    colours = dict(zip(years, (OKABE_ITO[1], OKABE_ITO[5], OKABE_ITO[2])))
    for k, year in enumerate(years):
        part = values[values["year"] == year]
        offset = 0.22 * (k - (len(years) - 1) / 2)
        pos = np.array([y[label] for label in part["label"]]) + offset
        ax.scatter(part["national_median"] / 100, pos, marker="|", s=320, color=MEDIAN, lw=3,
                   label="Riket (median)" if k == 0 else None, zorder=2)
        ax.scatter(part["group_mean"] / 100, pos, marker="D", s=70, facecolors="none", edgecolors=colours[year],
                   lw=2, label=f"{group_label} {year}", zorder=3)
        own = part.dropna(subset=["value"])
        ax.scatter(own["value"] / 100, np.array([y[label] for label in own["label"]]) + offset, s=130,
                   color=colours[year], label=f"{own_label} {year}", zorder=4)
        for label in part.loc[part["value"].isna(), "label"]:
            ax.text(0.02, y[label] + offset, f"{year}: publiceras inte (färre än fem svar)", va="center",
                    fontsize=SMALL, color="#666666")
    ax.set_yticks(range(len(labels)), labels)
    return _finish(fig, ax, "Andel positiva svar (Kolada, verkliga data)", ncol=3)


def small_text(fig: plt.Figure) -> list[tuple[str, float]]:
    """Every visible text of ``fig`` smaller than ``MIN_POINTS`` (for the tests and the decks' check)."""
    from matplotlib.text import Text

    fig.canvas.draw()
    return [(t.get_text(), t.get_fontsize()) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and t.get_fontsize() < MIN_POINTS]
