"""Swedish presentation tables of the client surveys."""

from __future__ import annotations

import pandas as pd

from analysis.client_surveys import indicators as client_survey
from analysis.presentation.display import p_value
from analysis.presentation.formatting import sv_number


def _estimate(value, low, high, decimals: int) -> tuple[str, str]:
    return sv_number(value, decimals), f"{sv_number(low, decimals)}–{sv_number(high, decimals)}"


def _percent(p: float) -> str:
    return "> 99\u00a0%" if p >= 0.995 else f"{sv_number(p * 100)}\u00a0%"


def remote_model_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The logit of preferring a remote meeting on distance: slope, odds ratio per 10 km (also with
    the open top band at 150 km instead of 125 km) and predicted shares at the band midpoints."""
    model = client_survey.remote_preference_model(frame)
    if model is None:
        rows = [("Modellen kan inte skattas: avståndet skiljer svaren helt åt", "–", "–", "–")]
    else:
        slope = client_survey.remote_slope(model)
        alternative = client_survey.remote_slope(
            client_survey.remote_preference_model(frame, {**client_survey.DISTANCE_KM, 5: 150.0}))
        rows = [("Lutning, logodds per km", *_estimate(slope["slope"], slope["ci_low"], slope["ci_high"], 3),
                 p_value(slope["p"])),
                ("Oddskvot per 10 km", *_estimate(slope["odds_ratio"], slope["or_low"], slope["or_high"], 2), "")]
        if alternative is not None:
            rows.append(("Oddskvot per 10 km, översta klassen vid 150 km",
                         *_estimate(alternative["odds_ratio"], alternative["or_low"], alternative["or_high"], 2),
                         p_value(alternative["p"])))
        at_bands = client_survey.predicted_remote(model, list(client_survey.DISTANCE_KM.values()))
        rows += [(f"Skattad andel vid {sv_number(km, 1 if km % 1 else 0)} km", _percent(p),
                  f"{sv_number(low * 100)}–{_percent(high)}", "") for km, p, low, high in at_bands.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["Storhet", "Skattning", "95 % KI", "p"])
