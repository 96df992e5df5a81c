"""The publication plan: which sub-group figures every document shows, and how precisely the totals are given.

One plan serves every document (the article's notebooks, each municipality's report, the posters and
decks), so that what the disclosure audit checked is what the documents print. The build's disclosure
step chooses it (``analysis.report.protection``) and writes it as ``disclosure_plan.json``; the
documents read it through ``analysis.report.processed.disclosure_plan`` and hand it to the table
functions. Here at the bottom of the package (a plain record) so that every layer can take it.

* ``respondents[survey]``: municipalities whose number of respondents is printed;
* ``indicators[survey][variable]``: municipalities whose share of a client-survey indicator is printed
  (notebook 03's table by municipality for 2018, and the feedback documents both years);
* ``merged_rows[survey]``: the indicators whose merged row ("Övriga kommuner (sammanslagna)", the sum
  of the participants not shown) notebook 03 prints;
* ``categories[variable]``: municipalities shown for travel distance and meeting form (2018);
* ``climate[variable]``: municipalities whose innovation-climate share of an aspect is printed;
* ``roles[variable]``: role groups shown in notebook 02's table by role;
* ``common``: indicators whose comparison of the years over the common municipalities is printed;
* ``totals[survey]``: ``exact`` (totals printed as counts) or ``rounded`` (regional counts and ``n``
  rounded, to ``rounding[survey][variable]`` or ``ROUNDING``; shares and intervals still computed on
  the exact counts);
* ``region[survey][variable]``: the municipalities a regional figure is over (for the client surveys,
  those Kolada publishes a value for; ``respondents`` for the total);
* ``reasons``: why each hidden figure is hidden (survey, variable, municipality -> reason code).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

ROUNDING = 10
REASONS = {  # reason code -> Swedish wording in the tables
    "absent": "deltog inte",
    "kolada": "för få svar (Kolada redovisar inte)",
    "small": "för få svar",
    "hidden": "dold (röjandeskydd)",
}


@dataclass
class Plan:
    respondents: dict[str, list] = field(default_factory=dict)
    respondents_merged: dict[str, bool] = field(default_factory=dict)
    indicators: dict[str, dict[str, list]] = field(default_factory=dict)
    merged_rows: dict[str, list] = field(default_factory=dict)
    categories: dict[str, list] = field(default_factory=dict)
    category_merged: dict[str, bool] = field(default_factory=dict)
    climate: dict[str, list] = field(default_factory=dict)
    roles: dict[str, list] = field(default_factory=dict)
    common: list = field(default_factory=list)
    totals: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    region: dict[str, dict[str, list]] = field(default_factory=dict)
    rounding: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Plan:
        return cls(**json.loads(text))

    def shown(self, survey: str, variable: str, code: str) -> bool:
        """Whether municipality ``code``'s figure of ``variable`` is printed."""
        if survey.startswith("innovation"):
            return code in self.climate.get(variable, [])
        if variable in self.categories:
            return code in self.categories[variable]
        return code in self.indicators.get(survey, {}).get(variable, [])

    def reason(self, survey: str, variable: str, code: str) -> str:
        """The reason code of a hidden figure ("" where shown)."""
        if self.shown(survey, variable, code):
            return ""
        # every participant the plan hides has its reason; a municipality it does not know did not take part
        return self.reasons.get(reason_key(survey, variable, code), "absent")

    def rounded(self, survey: str) -> bool:
        return self.totals.get(survey, "exact") == "rounded"

    def base(self, survey: str, variable: str) -> int:
        """The rounding base of a regional count and n (1: printed exactly)."""
        return int(self.rounding.get(survey, {}).get(variable, ROUNDING if self.rounded(survey) else 1))

    def region_of(self, survey: str, variable: str, present: list) -> list:
        """The municipalities a regional figure of ``variable`` is over (all participants unless the plan
        leaves some out: those whose values Kolada withholds)."""
        return list(self.region.get(survey, {}).get(variable, present))


def reason_key(survey: str, variable: str, code: str) -> str:
    return f"{survey}|{variable}|{code}"
