"""Claims about the outputs themselves, for the documentation (``docs/generated/outputs.md``): what the feedback documents
show for each municipality, and how many notebooks tell the story."""

from __future__ import annotations

from analysis.report.claims.base import Rule, Stated, claim

SURVEYS = {2018: "Brukarenkäten 2018", 2019: "Brukarenkäten 2019"}


def shown_cells(facts) -> dict[str, dict[str, int]]:
    """Per part of a municipality report, the municipality's own shares shown, by municipality name."""
    from analysis.feedback import comparison as feedback
    from analysis.feedback.comparison import DISTANCE_GROUPS, FORM_GROUPS

    def load():
        parts: dict[str, dict[str, int]] = {}
        plan = facts.plan()
        client = {y: (facts.survey(f"client_survey_{y}"), facts.codebook(f"client_survey_{y}")) for y in SURVEYS}
        names = facts.codebook("client_survey_2018").municipalities
        climate = (facts.survey("innovation_climate_2017"), facts.codebook("innovation_climate_2017"))
        for code, name in names.items():
            for year, (frame, codebook) in client.items():
                parts.setdefault(f"client_{year}", {})[name] = int(
                    feedback.indicator_comparison(frame, codebook, code, plan)["shown"].sum())
            frame, codebook = client[2018]
            parts.setdefault("travel_2018", {})[name] = sum(
                int(feedback.category_comparison(frame, codebook, code, v, g, plan)["shown"].any())
                for v, g in (("travel_distance", DISTANCE_GROUPS), ("preferred_meeting", FORM_GROUPS)))
            profile = feedback.climate_profile(*climate, code, plan)
            parts.setdefault("climate", {})[name] = int(profile["own_state_shown"].sum()
                                                        + profile["own_importance_shown"].sum())
        return parts
    return facts.memo("shown_cells", load)


@claim("outputs-feedback-shown", "how many of its own survey shares each municipality's report shows, per part "
       "(the documentation's table; the cells follow the disclosure rule)",
       rules=(Rule(r"\bnone\b", lambda v: min(v["shown"].values()) == 0, "some part shows no share"),))
def feedback_shown(facts) -> Stated:
    parts = shown_cells(facts)
    municipalities = len(next(iter(parts.values())))
    sizes = {"client_2018": 7, "client_2019": 7, "travel_2018": 2, "climate": 22}
    titles = {"client_2018": "client survey 2018", "client_2019": "client survey 2019",
              "travel_2018": "travel distance and meeting form 2018", "climate": "innovation climate 2017"}
    rows = ["| part of the report | shown for the municipality |", "|---|---|"]
    value = {"shown": {}, "sizes": sizes, "municipalities": municipalities, "by_municipality": parts,
             "cells": {part: sizes[part] * municipalities for part in parts}}
    for part, by_name in parts.items():
        total, cells = sum(by_name.values()), sizes[part] * municipalities
        value["shown"][part] = total
        who = ", ".join(f"{name} {n}" for name, n in by_name.items() if n)
        rows.append(f"| {titles[part]} ({sizes[part]} × {municipalities}) | "
                    + (f"{total} of {cells}: {who}" if total else f"none of {cells}") + " |")
    return Stated("\n".join(rows), value | {"names": list(next(iter(parts.values())))})


@claim("outputs-notebooks", "the notebooks that tell the story, counted from notebooks/", rules=())
def notebooks(facts) -> Stated:
    from analysis.core import paths

    names = sorted(p.stem for p in (paths.ROOT / "notebooks").glob("*.ipynb"))
    return Stated(f"{len(names)} notebooks: " + ", ".join(f"`{n}`" for n in names),
                  {"notebooks": len(names), "names": names})
