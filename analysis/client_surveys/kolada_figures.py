"""Swedish tables and figures of the region against the country (Kolada's real client-survey results).

Each function takes the processed Kolada tables (``steps/kolada_region``) and returns a table for
``display.markdown_table`` or a Matplotlib figure; nothing here reads or writes files.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.core.disclosure import THRESHOLD
from analysis.presentation.formatting import sv_number
from analysis.client_surveys.kolada_region import LABELS
from analysis.presentation.plots import OKABE_ITO, swedish_axis

BAND, MEDIAN, OWN, GROUP = "#d9d9d9", "#555555", OKABE_ITO[4], OKABE_ITO[5]


MASKED = "†"
MASKED_NOTE = ("† Antal och intervall visas inte där de positiva eller de övriga svaren är färre än fem eller "
               "där alla svarat lika; Koladas publicerade värde visas. Antal och intervall räknas bara ur Koladas "
               "egna värden och antal svarande och säger inget utöver dem; projektets granskning räknar Koladas "
               "värden som offentliga, inte som projektets uppgifter.")


def value_text(value, k, n, exact, low, high, threshold: int = THRESHOLD) -> str:
    """'80,6 % (25/31; 63,7–90,8)': value, counts where Kolada pins them down, Wilson interval. Counts
    and interval are numbers we derive, so they follow the disclosure rule: where the positive or the
    other answers are 1 to ``threshold`` − 1, or all answered alike, only Kolada's value is shown."""
    if pd.isna(value):
        return "–"
    text = f"{sv_number(float(value), 1)}\u00a0%"
    if pd.isna(n):
        return text + " (n okänt)"
    if min(int(k), int(n) - int(k)) < threshold:
        return text + MASKED
    counts = f"{int(k)}/{int(n)}" if exact else f"n\u00a0≥\u00a0{int(n)}"
    return f"{text} ({counts}; {sv_number(float(low), 1)}–{sv_number(float(high), 1)})"


def shown_intervals(indicators: pd.DataFrame, members: list[str], years, threshold: int = THRESHOLD) -> pd.DataFrame:
    """The rows of the members' indicators whose interval ``value_text`` shows (counts known, no answer
    category of 1 to ``threshold`` − 1, not all alike)."""
    part = indicators[indicators["kommun_kod"].isin(members) & indicators["year"].isin(years)].dropna(subset=["n"])
    k, n = part["k"].astype(int), part["n"].astype(int)
    return part[(k >= threshold) & (n - k >= threshold)]


def municipality_table(indicators: pd.DataFrame, members: list[str], year: int,
                       threshold: int = THRESHOLD) -> pd.DataFrame:
    """The members' seven values in ``year`` with counts and Wilson intervals (``value_text``); rows
    municipalities."""
    part = indicators[indicators["kommun_kod"].isin(members) & (indicators["year"] == year)]
    names = part.drop_duplicates("kommun_kod").set_index("kommun_kod")["municipality"]
    table = pd.DataFrame(index=sorted(names.index, key=lambda c: names[c]))
    table.insert(0, "Kommun", [names[c] for c in table.index])
    respondents = part.drop_duplicates("kommun_kod").set_index("kommun_kod")["respondents"]
    table["Svarande"] = [sv_number(int(respondents[c])) if pd.notna(respondents[c]) else "–" for c in table.index]
    for variable, label in LABELS.items():
        cells = part[part["variable"] == variable].set_index("kommun_kod")
        table[label] = [value_text(*cells.loc[c, ["value", "k", "n", "n_exact", "ci_low", "ci_high"]], threshold)
                        if c in cells.index else "–" for c in table.index]
    return table.reset_index(drop=True)


def p_text(p: float) -> str:
    """A permutation p from a few thousand random groups: two decimals, '< 0,01' below one in a hundred."""
    return "–" if pd.isna(p) else "< 0,01" if p < 0.01 else sv_number(p, 2)


def _mean_ci(mean, low, high) -> str:
    return f"{sv_number(mean, 1)} ({sv_number(low, 1)}–{sv_number(high, 1)})"


def comparison_table(tests: pd.DataFrame, year: int, reference: str = "Riket") -> pd.DataFrame:
    """Per indicator and group in ``year`` against ``reference``: municipalities with a value and their
    respondents, the unweighted (Kolada's definition) and respondent-weighted means with their 95 %
    bootstrap intervals, the reference's median, and each mean's permutation p against random groups of
    as many of the reference's municipalities."""
    part = tests[(tests["year"] == year) & (tests["reference"] == reference)]
    rows = []
    for variable, label in LABELS.items():
        for r in part[part["variable"] == variable].itertuples(index=False):
            rows.append({
                "Indikator": label, "Grupp": r.group, "Kommuner med värde": f"{r.municipalities} av {r.members}",
                "Svarande": sv_number(r.respondents),
                "Ovägt medel (95 % KI)": _mean_ci(r.unweighted_mean, r.u_low, r.u_high),
                "Viktat medel (95 % KI)": _mean_ci(r.weighted_mean, r.w_low, r.w_high),
                f"{reference}: median (kommuner)": f"{sv_number(r.reference_median, 1)} ({r.reference_municipalities})",
                "p ovägt": p_text(r.p_unweighted), "p viktat": p_text(r.p_weighted),
            })
    return pd.DataFrame(rows)


def joint_table(joint: pd.DataFrame) -> pd.DataFrame:
    """Per group and reference over the survey years' indicator-years: how many lie above the median,
    unweighted and weighted, beside random groups of the same size (median and 95 % range) and the
    permutation p; and the mean difference from the median with its permutation p, Holm-adjusted within
    each reference (``kolada_groups.with_holm``)."""
    from analysis.client_surveys.kolada_groups import with_holm

    rows = []
    for r in with_holm(joint).itertuples(index=False):
        for kind, name in (("unweighted", "ovägt"), ("weighted", "viktat")):
            rows.append({
                "Grupp": r.group, "Mot": r.reference, "Medel": name,
                "Över medianen": f"{getattr(r, f'above_{kind}')} av {r.cells}",
                "Slumpvisa grupper: median (95 %)": f"{sv_number(getattr(r, f'null_above_median_{kind}'), 0)} "
                                                    f"({sv_number(getattr(r, f'null_above_low_{kind}'), 0)}–"
                                                    f"{sv_number(getattr(r, f'null_above_high_{kind}'), 0)})",
                "p (antal över)": p_text(getattr(r, f"p_above_{kind}")),
                "Medelskillnad, procentenheter": sv_number(getattr(r, f"mean_difference_{kind}"), 1),
                "p (medelskillnad)": p_text(getattr(r, f"p_mean_{kind}")),
                "p (Holm)": p_text(getattr(r, f"p_mean_{kind}_holm")),
            })
    return pd.DataFrame(rows)


def distribution_figure(indicators: pd.DataFrame, distribution: pd.DataFrame, tests: pd.DataFrame,
                        members: list[str], group: str, years: tuple[int, ...] = (2018, 2019)) -> plt.Figure:
    """Per indicator and year: the country's 10th–90th percentile band and median, each member's value,
    and the group's unweighted (diamond) and respondent-weighted (square) means with their 95 % intervals."""
    fig, axes = plt.subplots(1, len(years), figsize=(9, 5.6), sharey=True)
    axes = np.atleast_1d(axes)
    variables = list(LABELS)
    tests = tests[(tests["group"] == group) & (tests["reference"] == "Riket")]
    shown = [distribution.loc[distribution["year"].isin(years), "p10"],
             indicators.loc[indicators["year"].isin(years) & indicators["kommun_kod"].isin(members), "value"],
             tests.loc[tests["year"].isin(years), ["u_low", "w_low"]].stack()]
    lowest = min(float(x.min()) for x in shown if len(x))
    for ax, year in zip(axes, years):
        for i, variable in enumerate(variables):
            y = len(variables) - 1 - i
            d = distribution[(distribution["variable"] == variable) & (distribution["year"] == year)]
            if len(d):
                d = d.iloc[0]
                ax.plot([d["p10"], d["p90"]], [y, y], color=BAND, lw=9, solid_capstyle="butt",
                        label="Riket: 10:e–90:e percentilen" if i == 0 else None)
                ax.plot([d["median"]] * 2, [y - 0.3, y + 0.3], color=MEDIAN, lw=2, label="Riket: median" if i == 0 else None)
            own = indicators[(indicators["variable"] == variable) & (indicators["year"] == year)
                             & indicators["kommun_kod"].isin(members)]
            jitter = np.linspace(-0.12, 0.12, len(own)) if len(own) > 1 else np.zeros(len(own))
            ax.scatter(own["value"], y + jitter, s=14, color=OWN, alpha=0.7, zorder=3,
                       label="En kommun i gruppen" if i == 0 else None)
            g = tests[(tests["variable"] == variable) & (tests["year"] == year)]
            if len(g):
                g = g.iloc[0]
                for offset, mean, low, high, marker, name in (
                        (0.28, g["unweighted_mean"], g["u_low"], g["u_high"], "D", "ovägt medel"),
                        (-0.28, g["weighted_mean"], g["w_low"], g["w_high"], "s", "viktat medel")):
                    ax.errorbar([mean], [y + offset], xerr=[[mean - low], [high - mean]], fmt=marker, ms=5,
                                color=GROUP if marker == "D" else MEDIAN, capsize=2, lw=1, zorder=4,
                                label=f"{group}: {name} (95 % KI)" if i == 0 else None)
        ax.set_title(str(year))
        ax.set_yticks(range(len(variables)), [LABELS[v] for v in reversed(variables)])
        ax.set_xlim(10 * ((lowest - 2) // 10), 103)  # every value, interval and band shown
        swedish_axis(ax.xaxis)
        ax.set_xlabel("Andel positiva svar (%)")
        ax.grid(axis="x", color="0.92")
        ax.set_axisbelow(True)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False, bbox_to_anchor=(0.5, -0.01), fontsize=8)
    fig.tight_layout(rect=(0, 0.13, 1, 1))
    return fig


def trend_figure(indicators: pd.DataFrame, distribution: pd.DataFrame, members: list[str]) -> plt.Figure:
    """Small multiples 2016–2022: the country's median and 10th–90th percentile band, and each member
    municipality's values (connected where it has several years)."""
    variables = list(LABELS)
    fig, axes = plt.subplots(2, 4, figsize=(10, 5.6), sharex=True, sharey=True)
    for ax, variable in zip(axes.flat, variables):
        d = distribution[distribution["variable"] == variable].sort_values("year")
        ax.fill_between(d["year"], d["p10"], d["p90"], color=BAND, label="Riket: 10:e–90:e percentilen")
        ax.plot(d["year"], d["median"], color=MEDIAN, lw=2, label="Riket: median")
        own = indicators[(indicators["variable"] == variable) & indicators["kommun_kod"].isin(members)]
        for j, (_, g) in enumerate(own.groupby("kommun_kod")):
            g = g.sort_values("year")
            ax.plot(g["year"], g["value"], marker="o", ms=3, lw=0.8, color=OWN, alpha=0.7,
                    label="En kommun i regionen" if j == 0 else None)
        ax.set_title(LABELS[variable], fontsize=8)
        ax.set_ylim(0, 103)
        swedish_axis(ax.yaxis)
    axes.flat[-1].axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    axes.flat[-1].legend(handles, labels, loc="center", frameon=False, fontsize=8)
    first, last = int(indicators["year"].min()), int(indicators["year"].max())
    for ax in axes.flat:
        ax.set_xticks(range(first, last + 1, 2))
    axes[0][-1].xaxis.set_tick_params(labelbottom=True)
    fig.supylabel("Andel positiva svar (%)", fontsize=9)
    fig.tight_layout()
    return fig
