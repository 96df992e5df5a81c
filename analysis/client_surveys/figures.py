"""Figures of the client surveys (``analysis.client_surveys.indicators`` tables in, matplotlib Figures out).

Swedish labels, decimal commas (``plots.swedish_axis``), Okabe–Ito colours: warm colours for
meeting on site, blue-green for meeting at a distance, grey for "annat". Nothing is written.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.presentation import plots
from analysis.survey_data.codebooks import Codebook
from analysis.presentation.formatting import sv_percent

FORM_COLOURS = {1: "#E69F00", 2: "#D55E00", 3: "#0072B2", 4: "#56B4E9", 5: "#009E73", 6: "#999999"}
YEAR_COLOURS = {2018: plots.OKABE_ITO[0], 2019: plots.OKABE_ITO[4]}


def _errors(table: pd.DataFrame) -> np.ndarray:
    """Asymmetric error bar lengths (2 × n) from ``share``, ``ci_low`` and ``ci_high``."""
    share = table["share"].to_numpy(float)
    return np.vstack([share - table["ci_low"].to_numpy(float), table["ci_high"].to_numpy(float) - share])


def form_by_distance(crosstab: pd.DataFrame, codebook: Codebook) -> Figure:
    """Preferred meeting form within each distance band (``client_survey.distance_by_form``):
    100 % stacked bars, one per band, with the band's n in the tick label. Forms nobody chose
    are left out of the legend."""
    counts = crosstab.loc[:, crosstab.sum(axis=0) > 0]
    totals = counts.sum(axis=1)
    shares = counts.div(totals.where(totals > 0), axis=0).fillna(0)
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    rows = list(range(len(shares)))[::-1]  # nearest band on top
    left = np.zeros(len(shares))
    for form in shares.columns:
        width = shares[form].to_numpy()
        ax.barh(rows, width, left=left, height=0.65, color=FORM_COLOURS[form], label=codebook.label("preferred_meeting", form))
        for y, x0, w in zip(rows, left, width):
            if w >= 0.08:
                ax.text(x0 + w / 2, y, sv_percent(w), ha="center", va="center", fontsize=8,
                        color="white" if form in (2, 3) else "black")
        left += width
    labels = [f"{codebook.label('travel_distance', band)} (n = {int(totals[band])})" for band in shares.index]
    ax.set_yticks(rows, labels)
    ax.set_xlim(0, 1)
    plots.swedish_axis(ax.xaxis, percent=True)
    ax.set_xlabel("Andel inom avståndsklassen")
    ax.set_ylabel("Reseavstånd till mötet")
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.18), ncol=3, frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


def remote_by_distance(predicted: pd.DataFrame | None, observed: pd.DataFrame) -> Figure:
    """The logit's predicted probability of preferring a remote form against distance, with
    its 95 % interval as a band (``client_survey.predicted_remote``), and the observed share
    per distance band at the band's assumed km as points with Wilson intervals
    (``client_survey.remote_share_by_band``)."""
    fig, ax = plt.subplots()
    if predicted is not None:
        ax.fill_between(predicted["km"], predicted["ci_low"], predicted["ci_high"], color=plots.OKABE_ITO[1],
                        alpha=0.3, lw=0, label="95 % konfidensintervall (modell)")
        ax.plot(predicted["km"], predicted["p"], color=plots.OKABE_ITO[4], lw=2, label="Logistisk regression")
    else:
        ax.text(0.5, 0.5, "Modellen kan inte skattas: avståndet skiljer svaren helt åt", transform=ax.transAxes,
                ha="center", fontsize=9)
    shown = observed[observed["n"] > 0]
    counts = ", ".join(str(n) for n in shown["n"])
    ax.errorbar(shown["km"], shown["share"], yerr=_errors(shown), fmt="o", color="black", capsize=3, ms=5,
                label=f"Observerad andel per avståndsklass, 95 % KI\n(n = {counts})")
    ax.set_xlim(0, 150 if predicted is None else predicted["km"].max())
    ax.set_ylim(0, 1.04)
    plots.swedish_axis(ax.xaxis)
    plots.swedish_axis(ax.yaxis, percent=True)
    ax.set_xlabel("Reseavstånd till mötet, km (klassens mittpunkt; klassen 100 km eller mer ritad vid 125 km)")
    ax.set_ylabel("Andel som föredrar möte på distans")
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


def indicators_by_year(comparison: pd.DataFrame) -> Figure:
    """Dot plot of the seven indicators, 2018 and 2019 side by side with Wilson intervals (the
    rows of one ``sample`` of ``client_survey.compare_years``)."""
    table = comparison.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    y = np.arange(len(table))
    for offset, year in ((0.16, 2018), (-0.16, 2019)):
        part = table[[f"share_{year}", f"ci_low_{year}", f"ci_high_{year}"]].set_axis(["share", "ci_low", "ci_high"], axis=1)
        n = f"{table[f'n_{year}'].min():.0f}–{table[f'n_{year}'].max():.0f}"
        ax.errorbar(part["share"], y + offset, xerr=_errors(part), fmt="o", color=YEAR_COLOURS[year], capsize=3, ms=6,
                    label=f"{year} (n = {n} per fråga)")
    ax.set_yticks(y, table["label"])
    low = np.floor(min(table["ci_low_2018"].min(), table["ci_low_2019"].min()) * 10) / 10
    ax.set_xlim(low, 1)
    plots.finish_share_dot_plot(fig, ax, "Andel positiva svar (de två positiva stegen), 95 % konfidensintervall",
                                (0.3, -0.14))
    return fig


