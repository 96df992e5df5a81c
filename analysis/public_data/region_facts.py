"""Region facts aggregated from the municipality table, and their comparison with the published figures."""

from __future__ import annotations

import pandas as pd

from analysis.core.errors import InputError

AGE_COUNTS = {"share_age_0_19": "population_0_19", "share_age_65_plus": "population_65_plus",
              "share_age_80_plus": "population_80_plus"}


def region_facts(municipalities: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """One row per region: size, population, density, age structure, extremes and tätort share.

    Mean age and age shares are computed from the pooled counts (sum of ages, people per
    age group), not from the municipalities' rounded values.
    """
    rows = []
    for (region_id, region_name), m in members.groupby(["region_id", "region_name"], sort=False):
        k = municipalities[municipalities["kommun_kod"].isin(m["kommun_kod"])]
        pop = k["population"].sum()
        smallest = k.sort_values(["population", "kommun_kod"]).iloc[0]
        largest = k.sort_values(["population", "kommun_kod"], ascending=[False, True]).iloc[0]
        row = {
            "region_id": region_id,
            "region_name": region_name,
            "n_kommuner": len(k),
            "population": pop,
            "men": k["men"].sum(),
            "women": k["women"].sum(),
            "total_area_km2": round(k["total_area_km2"].sum(), 2),
            "land_area_km2": round(k["land_area_km2"].sum(), 2),
            "density_total_per_km2": pop / k["total_area_km2"].sum(),
            "density_land_per_km2": pop / k["land_area_km2"].sum(),
            "smallest_kommun": smallest["kommun_namn"],
            "smallest_population": smallest["population"],
            "largest_kommun": largest["kommun_namn"],
            "largest_population": largest["population"],
            "population_in_tatorter": k["population_in_tatorter"].sum(),
        }
        row["mean_age"] = k["age_sum_years"].sum() / pop
        for share, count in AGE_COUNTS.items():
            row[share] = k[count].sum() / pop
        row["share_in_tatorter"] = row["population_in_tatorter"] / pop
        rows.append(row)
    return pd.DataFrame(rows)


def lookup(entity: str, measure: str, facts: pd.DataFrame, municipalities: pd.DataFrame):
    """The computed value for ``region:<id>`` or ``kommun:<code>`` and a column name."""
    kind, _, key = entity.partition(":")
    table, id_col = (facts, "region_id") if kind == "region" else (municipalities, "kommun_kod")
    if measure not in table.columns:
        raise KeyError(f"no measure {measure}")
    hit = table.loc[table[id_col] == key, measure]
    if hit.empty:
        raise KeyError(f"no {measure} for {entity}")
    return hit.iloc[0]


def compare_published(published: pd.DataFrame, facts: pd.DataFrame, municipalities: pd.DataFrame,
                      source: str = "published figures") -> pd.DataFrame:
    """Published figures beside the computed ones, with the comparison rule and a pass flag.

    Rules: ``approx`` |computed − published| ≤ tolerance; ``equal`` identical text;
    ``greater_than`` computed > published; ``just_below`` published − tolerance ≤ computed < published.
    """
    out = []
    for position, p in enumerate(published.itertuples(index=False)):
        try:
            computed = lookup(p.entity, p.measure, facts, municipalities)
        except KeyError as exc:
            raise InputError(source, "an entity and measure the pipeline computes", row=position + 2,
                             column="entity, measure", value=f"{p.entity}, {p.measure}") from exc
        if p.comparison == "equal":
            ok = str(computed) == str(p.published_value)
            diff = None
        else:
            c, v, tol = float(computed), float(p.published_value), float(p.tolerance or 0)
            diff = c - v
            ok = {
                "approx": abs(diff) <= tol,
                "greater_than": c > v,
                "just_below": v - tol <= c < v,
            }[p.comparison]
        out.append({
            "figure_id": p.figure_id,
            "description": p.description,
            "published_value": p.published_value,
            "computed_value": computed,
            "difference": diff,
            "comparison": p.comparison,
            "tolerance": p.tolerance,
            "passed": bool(ok),
            "tolerance_reason": p.tolerance_reason,
            "source": p.source,
        })
    return pd.DataFrame(out)
