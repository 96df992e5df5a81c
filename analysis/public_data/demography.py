"""Demographic indicators per municipality from population by single year of age and sex."""

from __future__ import annotations

import pandas as pd

# SCB's top age class is "100 år och äldre"; counting it as 100.5 like every other
# one-year class (age + 0.5) reproduces SCB's published medelålder to about ±0.1 year.
AGE_MIDPOINT_OFFSET = 0.5


def municipal_demography(population: pd.DataFrame) -> pd.DataFrame:
    """Population, sex split, mean age and age-group shares per kommun.

    ``population`` has columns kommun_kod, age (0..100), sex ("men"/"women"), population.
    Returns one row per kommun: population, men, women, the counts behind the age measures
    (population_0_19, population_65_plus, population_80_plus, age_sum_years), mean_age,
    share_age_0_19, share_age_65_plus, share_age_80_plus (fractions of the kommun's total).
    """
    df = population.assign(
        age_years=lambda d: d["population"] * (d["age"] + AGE_MIDPOINT_OFFSET),
        age_0_19=lambda d: d["population"].where(d["age"] <= 19, 0),
        age_65_plus=lambda d: d["population"].where(d["age"] >= 65, 0),
        age_80_plus=lambda d: d["population"].where(d["age"] >= 80, 0),
        men=lambda d: d["population"].where(d["sex"] == "men", 0),
        women=lambda d: d["population"].where(d["sex"] == "women", 0),
    )
    g = df.groupby("kommun_kod", sort=True)[
        ["population", "men", "women", "age_years", "age_0_19", "age_65_plus", "age_80_plus"]
    ].sum()
    out = pd.DataFrame({
        "population": g["population"],
        "men": g["men"],
        "women": g["women"],
        "population_0_19": g["age_0_19"],
        "population_65_plus": g["age_65_plus"],
        "population_80_plus": g["age_80_plus"],
        "age_sum_years": g["age_years"],
        "mean_age": g["age_years"] / g["population"],
        "share_age_0_19": g["age_0_19"] / g["population"],
        "share_age_65_plus": g["age_65_plus"] / g["population"],
        "share_age_80_plus": g["age_80_plus"] / g["population"],
    })
    return out.reset_index()
