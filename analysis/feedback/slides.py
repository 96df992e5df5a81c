"""Figures drawn for the slide decks: 16:9 slides, readable when projected (no text under ``MIN_POINTS``).

Quarto's PowerPoint slides are 10 × 5.63 inches (16:9), and a captioned figure's picture is fitted into about
9 × 3.15 inches under the title (measured in the rendered decks). Each figure here is drawn at that size, so it is
shown at its own scale and its text keeps its points; the A4 report's figures, drawn at 7.5–10 inches with
8–10 pt labels, were shrunk to 60–70 % and unreadable. Labels are the short names of the questions.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.feedback.tables import REASONS
from analysis.presentation.plots import OKABE_ITO, swedish_axis

SLIDE = (9.0, 3.15)   # inches: a captioned picture's room on a 16:9 slide
MIN_POINTS = 14       # the smallest text on a slide
TEXT = 14
OWN, REGION, MEDIAN = OKABE_ITO[5], "#555555", "#555555"
FILLED, EMPTY = OKABE_ITO[4], "#d9d9d9"
SHORT = {"contact_ease": "Kontakt", "information_ease": "Information", "shows_understanding": "Förståelse",
         "asks_views": "Synpunkter", "can_influence": "Påverka", "overall_satisfaction": "Nöjd",
         "situation_improved": "Förbättrad"}


def slide_figure():
    fig, ax = plt.subplots(figsize=SLIDE, layout="constrained")  # room for the legend beside the axes
    ax.tick_params(labelsize=TEXT)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _finish(fig, ax, xlabel: str, low: float = 0.0) -> plt.Figure:
    swedish_axis(ax.xaxis, percent=True)
    ax.set_xlim(low, 1.03)
    ax.set_xlabel(xlabel, fontsize=TEXT)
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=TEXT, borderaxespad=0)
    return fig


def _short(frame: pd.DataFrame) -> list[str]:
    return [SHORT.get(v, label) for v, label in zip(frame["variable"], frame["label"])]


def indicators_slide(table: pd.DataFrame, name: str, region_label: str) -> plt.Figure:
    """The seven indicators (``feedback.indicator_comparison``): all municipalities with their intervals, and
    the municipality where its share is shown; otherwise the row says why not."""
    t = table.iloc[::-1].reset_index(drop=True)
    y = np.arange(len(t))
    fig, ax = slide_figure()
    err = np.vstack([t["share"] - t["ci_low"], t["ci_high"] - t["share"]]).astype(float)
    ax.errorbar(t["share"].astype(float), y - 0.15, xerr=err, fmt="s", color=REGION, capsize=3, ms=7, lw=1.5,
                label=region_label)
    shown = t["shown"].to_numpy(bool)
    if shown.any():
        own = t.loc[shown, ["own_share", "own_ci_low", "own_ci_high"]].astype(float)
        ax.errorbar(own["own_share"], y[shown] + 0.15, fmt="o", color=OWN, capsize=3, ms=8, lw=1.5, label=name,
                    xerr=np.vstack([own["own_share"] - own["own_ci_low"], own["own_ci_high"] - own["own_share"]]))
    for i in y[~shown]:
        ax.text(0.01, i + 0.22, REASONS[t.loc[i, "reason"]].rstrip("*"), va="center", fontsize=TEXT, color="#666666",
                transform=ax.get_yaxis_transform())
    ax.set_yticks(y, _short(t))
    return _finish(fig, ax, "Andel positiva svar (95 % KI)")


def years_slide(years: pd.DataFrame) -> plt.Figure:
    """All municipalities' share per indicator, 2018 beside 2019 (``indicators.compare_years``, one sample)."""
    t = years.iloc[::-1].reset_index(drop=True)
    y = np.arange(len(t))
    fig, ax = slide_figure()
    for year, offset, colour in ((2018, -0.15, OKABE_ITO[1]), (2019, 0.15, OKABE_ITO[5])):
        share = t[f"share_{year}"].astype(float)
        err = np.vstack([share - t[f"ci_low_{year}"], t[f"ci_high_{year}"] - share]).astype(float)
        ax.errorbar(share, y + offset, xerr=err, fmt="o", color=colour, capsize=3, ms=8, lw=1.5, label=str(year))
    ax.set_yticks(y, _short(t))
    return _finish(fig, ax, "Andel positiva svar (95 % KI)")


def gap_slide(shares: pd.DataFrame, rows: int = 6, short: int = 34) -> plt.Figure:
    """The ``rows`` aspects of the innovation climate with the widest gap between the share 'Viktigt' and the
    share 'Bra' (``climate.aspect_shares``), widest at the top; all of them are in the written report."""
    data = shares.sort_values("gap").tail(rows).reset_index(drop=True)
    y = np.arange(len(data))
    fig, ax = slide_figure()
    ax.hlines(y, data["state_share"], data["importance_share"], color="0.75", lw=3, zorder=1)
    ax.scatter(data["importance_share"], y, s=80, color=OKABE_ITO[4], zorder=2, label="Viktigt")
    ax.scatter(data["state_share"], y, s=80, color=OKABE_ITO[5], zorder=2, label="Fungerar bra")
    labels = [label if len(label) <= short else label[: short - 1].rstrip() + "…" for label in data["label"]]
    ax.set_yticks(y, labels)
    return _finish(fig, ax, "Andel av dem som svarat")


def kolada_slide(values: pd.DataFrame, own_label: str, group_label: str) -> plt.Figure:
    """Kolada's values per question and year (``values``: one row per item and year with ``variable``, ``label``,
    ``year``, ``value`` (%), ``group_mean`` and ``national_median``): ``value`` as dots (``own_label``, a
    municipality or the group's unweighted mean), ``group_mean`` as open diamonds (``group_label``) and the
    country's median as a tick; the legend says where Kolada publishes no value (fewer than five answers)."""
    years = sorted(values["year"].unique())
    order = list(dict.fromkeys(values["variable"]))[::-1]
    y = {v: i for i, v in enumerate(order)}
    fig, ax = slide_figure()
    colours = dict(zip(years, (OKABE_ITO[1], OKABE_ITO[5], OKABE_ITO[2])))
    for k, year in enumerate(years):
        part = values[values["year"] == year]
        offset = 0.25 * (k - (len(years) - 1) / 2)
        pos = np.array([y[v] for v in part["variable"]]) + offset
        ax.scatter(part["national_median"] / 100, pos, marker="|", s=160, color=MEDIAN, lw=2,
                   label="Riket (median)" if k == 0 else None, zorder=2)
        ax.scatter(part["group_mean"] / 100, pos, marker="D", s=36, facecolors="none", edgecolors=colours[year],
                   lw=1.5, label=f"{group_label} {year}", zorder=3)
        own = part.dropna(subset=["value"])
        missing = "" if len(own) == len(part) else " (publiceras inte)" if own.empty else \
            f" ({len(own)} av {len(part)} frågor)"  # Kolada publishes a question only where five answered it
        ax.scatter(own["value"] / 100, np.array([y[v] for v in own["variable"]]) + offset, s=60,
                   color=colours[year], label=f"{own_label} {year}{missing}", zorder=4)
    ax.set_yticks(range(len(order)), [SHORT.get(v, v) for v in order])
    shown = values[["value", "group_mean", "national_median"]].stack()
    low = min(0.5, np.floor(shown.min() / 10) / 10) if len(shown) else 0.0   # a dot plot: no bar needs zero
    return _finish(fig, ax, "Andel positiva svar (Kolada)", low)


def poster_slide(statements: pd.DataFrame) -> plt.Figure:
    """'N av 10' as ten circles per statement (``feedback.poster_statements``), for a slide."""
    rows = statements.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=SLIDE, layout="constrained")
    for i, row in rows.iterrows():
        yy = len(rows) - 1 - i
        ax.scatter(np.arange(10), np.full(10, yy), s=170, c=[FILLED if j < row["of_ten"] else EMPTY for j in range(10)],
                   edgecolors="none")
        ax.text(-0.8, yy, row["label"], ha="right", va="center", fontsize=TEXT)
        ax.text(9.8, yy, f"{row['of_ten']} av 10", ha="left", va="center", fontsize=TEXT, fontweight="bold")
    ax.set_xlim(-8.5, 12.2)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.axis("off")
    return fig


def small_text(fig: plt.Figure) -> list[tuple[str, float]]:
    """Every visible text of ``fig`` smaller than ``MIN_POINTS`` (for the tests and the decks' check)."""
    from matplotlib.text import Text

    fig.canvas.draw()
    return [(t.get_text(), t.get_fontsize()) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and t.get_fontsize() < MIN_POINTS]
