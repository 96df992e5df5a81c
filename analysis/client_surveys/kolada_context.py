"""IFO context for the region chapter (Kolada, real data): net cost of IFO per inhabitant against the
country, and how much it swings from year to year, beside population.

The report argues that small municipalities are vulnerable: a few costly placements move a small
municipality's IFO budget. The net cost per inhabitant (N30005) shows it: the ratio to Riket is
computed per year, and its year-to-year swing is the mean absolute change of that ratio.
"""

from __future__ import annotations

import pandas as pd

from analysis.public_data.kolada import COUNTRY

NET_COST_KPI = "N30005"      # Nettokostnad individ- och familjeomsorg, kr/inv
POPULATION_KPI = "N01951"    # Invånare totalt, antal


def cost_against_country(values: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    """Per member municipality: population (last year), mean net IFO cost per inhabitant and its ratio to
    Riket over the years, the lowest and highest yearly ratio, and the mean absolute year-to-year change
    of the ratio; Riket's own row has ratio 1 and its swing measured the same way against its mean."""
    t = values[values["gender"] == "T"]
    cost = t[t["kpi_id"] == NET_COST_KPI].pivot_table(index="kommun_kod", columns="year", values="value")
    population = t[t["kpi_id"] == POPULATION_KPI].pivot_table(index="kommun_kod", columns="year", values="value")
    names = t.drop_duplicates("kommun_kod").set_index("kommun_kod")["municipality"]
    country = cost.loc[COUNTRY]
    rows = []
    for code in [c for c in members if c in cost.index] + [COUNTRY]:
        series = cost.loc[code].dropna()
        ratio = series / country[series.index] if code != COUNTRY else series / series.mean()
        rows.append({
            "kommun_kod": code, "municipality": names.get(code, code),
            "population": float(population.loc[code].dropna().iloc[-1]) if code in population.index else float("nan"),
            "years": f"{series.index.min()}–{series.index.max()}", "mean_cost": series.mean(),
            "ratio_to_country": (series / country[series.index]).mean(),
            "lowest_ratio": ratio.min(), "highest_ratio": ratio.max(),
            "mean_yearly_change": ratio.diff().abs().mean(),
        })
    return pd.DataFrame(rows)


def swing_against_size(table: pd.DataFrame) -> float:
    """Spearman correlation between population and the yearly swing, over the municipalities (not Riket)."""
    part = table[table["kommun_kod"] != COUNTRY]
    return float(part["population"].rank().corr(part["mean_yearly_change"].rank()))


def swing_test(table: pd.DataFrame, resamples: int = 9999, seed: int = 20200401) -> dict:
    """Spearman's rank correlation between size and swing with a Monte Carlo permutation p (two-sided):
    ten municipalities are too few for the normal approximation."""
    import numpy as np

    part = table[table["kommun_kod"] != COUNTRY]
    x, y = part["population"].rank().to_numpy(), part["mean_yearly_change"].rank().to_numpy()
    observed = float(np.corrcoef(x, y)[0, 1])
    rng = np.random.default_rng(seed)
    permuted = np.array([np.corrcoef(x, rng.permutation(y))[0, 1] for _ in range(resamples)])
    p = (1 + int((np.abs(permuted) >= abs(observed) - 1e-12).sum())) / (resamples + 1)
    return {"rho": observed, "p": p, "municipalities": len(part), "resamples": resamples}
