"""Swedish presentation tables of the innovation-climate survey, with the report's published values beside."""

from __future__ import annotations

import pandas as pd

from analysis.presentation.display import count, p_value, share_ci
from analysis.presentation.formatting import sv_number

PUBLISHED = "Rapporten (%)"


def published_value(published: pd.DataFrame, figure_id: str) -> str:
    """The report's value for ``figure_id`` from survey_figures.csv, as printed there."""
    hit = published.loc[published["figure_id"] == figure_id, "published_value"]
    return hit.iloc[0] if len(hit) else "–"


def capability_table(capability: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    ids = {"God eller mycket god": "inn_capability_good", "Varken eller": "inn_capability_neither",
           "Bristfällig eller mycket bristfällig": "inn_capability_poor"}
    return pd.DataFrame({
        "Bedömning av innovationsförmågan": capability["group"],
        "Antal": capability["k"].map(count),
        "Andel (95 % KI)": [share_ci(r.share, r.ci_low, r.ci_high) for r in capability.itertuples()],
        PUBLISHED: [published_value(published, ids[g]) for g in capability["group"]],
    })


def aspects_table(shares: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Table 1 reproduced: share "Bra" and "Viktigt" with intervals and n, the report's values, and the gap."""
    return pd.DataFrame({
        "Aspekt": [f"{r.number}. {r.label}" for r in shares.itertuples()],
        "Bra (95 % KI)": [share_ci(r.state_share, r.state_ci_low, r.state_ci_high) for r in shares.itertuples()],
        "n (bra)": shares["state_n"].map(count),
        f"Bra, {PUBLISHED.lower()}": [published_value(published, f"inn_state_{a}") for a in shares["aspect"]],
        "Viktigt (95 % KI)": [share_ci(r.importance_share, r.importance_ci_low, r.importance_ci_high)
                              for r in shares.itertuples()],
        "n (viktigt)": shares["importance_n"].map(count),
        f"Viktigt, {PUBLISHED.lower()}": [published_value(published, f"inn_importance_{a}") for a in shares["aspect"]],
        "Gap, parvis (procentenheter, 95 % KI)": [points_ci(r.gap, r.gap_low, r.gap_high) for r in shares.itertuples()],
        "Par": shares["n_pairs"].map(count),
    })


def points_ci(difference, low, high) -> str:
    """A difference of shares in percentage points with its interval: '85 (70 till 92)'."""
    if pd.isna(difference):
        return "–"
    return f"{sv_number(difference * 100)} ({sv_number(low * 100)} till {sv_number(high * 100)})"


def paired_table(paired: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Aspekt": [f"{r.number}. {r.label}" for r in paired.itertuples()],
        "Par": paired["n_pairs"].map(count),
        "Medelgap (skalsteg, ordinalt)": paired["mean_gap"].map(lambda x: sv_number(x, 2)),
        "Viktigt men ej bra": paired["important_not_good"].map(count),
        "Bra men ej viktigt": paired["good_not_important"].map(count),
        "McNemar p (Holm)": paired["p_mcnemar_holm"].map(p_value),
        "Wilcoxon p (Holm)": paired["p_wilcoxon_holm"].map(p_value),
    })


def quadrant_table(probabilities: pd.DataFrame) -> pd.DataFrame:
    """Each aspect's bootstrap probability of each quadrant, in percent, instead of one quadrant label."""
    quadrants = [c for c in probabilities.columns if c not in ("number", "label", "quadrant")]
    out = pd.DataFrame({"Aspekt": [f"{r.number}. {r.label}" for r in probabilities.itertuples()]})
    for q in quadrants:
        out[f"{q} (%)"] = (probabilities[q] * 100).map(lambda x: sv_number(x, 0))
    return out


def design_effect_table(effects: pd.DataFrame) -> pd.DataFrame:
    """Per item: the share with its plain interval, the intraclass correlation within municipalities,
    the design effect and the interval widened to the effective sample size."""
    return pd.DataFrame({
        "Aspekt": [f"{r.number}. {r.label}" for r in effects.itertuples()],
        "Mått": effects["measure"],
        "Andel (95 % KI)": [share_ci(r.share, r.ci_low, r.ci_high) for r in effects.itertuples()],
        "ICC": effects["icc"].map(lambda x: sv_number(x, 2)),
        "Designeffekt": effects["deff"].map(lambda x: sv_number(x, 1)),
        "95 % KI med designeffekten": [share_ci(r.share, r.ci_low_adjusted, r.ci_high_adjusted)
                                       for r in effects.itertuples()],
    })


def statements_table(statements: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Påstående": statements["label"],
        "Andel (95 % KI)": [share_ci(r.share, r.ci_low, r.ci_high) for r in statements.itertuples()],
        "n": statements["n"].map(count),
        PUBLISHED: [published_value(published, f"inn_{v}") for v in statements["variable"]],
    })


def roles_table(roles: pd.DataFrame) -> pd.DataFrame:
    """One row per item, the role groups side by side; suppressed cells as '–'."""
    wide = []
    for variable, rows in roles.groupby("variable", sort=False):
        row = {"Fråga": rows["label"].iloc[0]}
        for r in rows.itertuples():
            row[f"{r.group} (95 % KI)"] = share_ci(r.share, r.ci_low, r.ci_high)
            row[f"n {r.group.lower()}"] = count(r.n)
        row["Fisher p (Holm)"] = p_value(rows["p_holm"].iloc[0])
        wide.append(row)
    return pd.DataFrame(wide)
