"""The publication plan the rules before the disclosure audit chose: the audit's "before"."""

from __future__ import annotations

from analysis.core.publication_plan import ROUNDING, REASONS, Plan, reason_key  # noqa: F401


def current_plan(frames: dict, codebooks: dict) -> Plan:
    """The plan the rules before the audit chose (``disclosure.protect`` table by table): the "before"."""
    from analysis.client_surveys import indicators as client_survey
    from analysis.innovation import climate as innovation
    from analysis.report import unknowns as u

    plan = Plan()
    for dataset, frame in frames.items():
        codebook = codebooks[dataset]
        names = {v: k for k, v in codebook.municipalities.items()}
        shown = client_survey.respondents_by_municipality(frame, codebook)
        plan.respondents[dataset] = sorted(names[m] for m in shown["municipality"] if m in names)
        plan.respondents_merged[dataset] = bool(shown.attrs["merged_codes"])
        plan.totals[dataset] = "exact"
        if dataset == u.INNOVATION:
            hidden = _climate_hidden(frame, codebook)
            plan.climate = {v: sorted(h.index[~h.to_numpy()]) for v, h in hidden.items()}
            for a in innovation.aspects(codebook).itertuples():
                h = innovation.hidden_role_groups(innovation.role_cells(frame, codebook, a.state_variable, [innovation.GOOD]))
                plan.roles[a.state_variable] = sorted(h.index[~h.to_numpy()])
            continue
        table = client_survey.indicators_by_municipality(frame, codebook)
        plan.indicators[dataset] = {v: sorted(names[m] for m in g.loc[~g["suppressed"], "municipality"] if m in names)
                                    for v, g in table.groupby("variable")}
        plan.merged_rows[dataset] = sorted(table.loc[table["suppressed"], "variable"].unique()) \
            if dataset == "client_survey_2018" else []
        if "travel_distance" in frame:
            for variable, categories in u.CATEGORY_ITEMS.items():
                part = client_survey.collapsed_by_municipality(frame, codebook, variable, categories)
                plan.categories[variable] = sorted(names[m] for m in part["municipality"].unique() if m in names)
                plan.category_merged[variable] = bool(part.attrs["merged_codes"])
    if {"client_survey_2018", "client_survey_2019"} <= set(frames):
        hidden = client_survey.common_sample_hidden(frames["client_survey_2018"], frames["client_survey_2019"],
                                                    codebooks["client_survey_2018"])
        plan.common = sorted(set(client_survey.INDICATORS) - hidden)
    return plan


def _climate_hidden(frame, codebook) -> dict:
    """The rule before the audit: per aspect, ``disclosure.protect`` on the municipalities' cells, with the
    municipalities merged in the table of respondents hidden everywhere."""
    from analysis.client_surveys import indicators as client_survey
    from analysis.core import disclosure
    from analysis.innovation import climate as innovation

    out = {}
    forced = client_survey.respondents_hidden(frame, codebook)
    for measure, code in (("state", innovation.GOOD), ("importance", innovation.IMPORTANT)):
        for variable in innovation.aspects(codebook)[f"{measure}_variable"]:
            cells = innovation.municipality_cells(frame, codebook, variable, [code])
            out[variable] = disclosure.protect(cells, forced=forced)
    return out
