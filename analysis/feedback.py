"""Feedback to the municipalities: the waiting-room poster's "N av 10" statements, for the region
or one municipality, with the same disclosure rule as every other sub-group table.

The statements follow the report's poster ("Sammanslagna resultat för de kommuner som deltog");
the number is computed (10 × the share of positive answers, rounded half up), never typed.
"""

from __future__ import annotations

import pandas as pd

from analysis import client_survey, disclosure
from analysis.codebooks import Codebook

POSTER_STATEMENTS = {
    "contact_ease": "{n} av 10 tyckte att det är lätt eller ganska lätt att få kontakt med socialsekreteraren",
    "information_ease": "{n} av 10 tyckte att det är lätt eller ganska lätt att förstå informationen från "
                        "socialsekreteraren",
    "shows_understanding": "{n} av 10 tycker att socialsekreteraren visar förståelse",
    "asks_views": "{n} av 10 säger att socialsekreteraren frågar efter synpunkter",
    "situation_improved": "{n} av 10 säger att deras situation förbättras efter kontakt med socialtjänsten",
    "overall_satisfaction": "{n} av 10 är nöjda eller ganska nöjda med socialtjänsten som helhet",
}


def poster_statements(frame: pd.DataFrame, codebook: Codebook, kommun: str | None = None) -> pd.DataFrame:
    """One statement per poster indicator, for the whole survey or for municipality ``kommun``.

    A municipality's own figure is used only where each of its answer cells (positive, other,
    "vet inte") is 0 or at least the disclosure threshold, and where the rest of the region
    passes too (the regional figure is published beside it, so the rest could be subtracted);
    otherwise the statement gives the regional figure and says so (``source`` = "regionen").
    """
    headline = client_survey.headline_indicators(frame, codebook).set_index("variable")
    own = None
    if kommun is not None:
        key = codebook.identifiers["municipality"]
        part, rest = frame[frame[key] == kommun], frame[frame[key] != kommun]
        own = client_survey.headline_indicators(part, codebook).set_index("variable")
    rows = []
    for variable, template in POSTER_STATEMENTS.items():
        safe = own is not None and all(
            not disclosure.small(client_survey.answer_cells(p, codebook, variable)).any() for p in (part, rest))
        source = own if safe else headline
        rows.append({"variable": variable, "of_ten": int(source.loc[variable, "of_ten"]),
                     "text": template.format(n=int(source.loc[variable, "of_ten"])),
                     "source": "kommunen" if safe else "regionen"})
    return pd.DataFrame(rows)
