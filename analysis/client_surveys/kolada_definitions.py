"""Each client-survey item's positive answers as Kolada defines them, against what the codebook counts.

Kolada's KPI description says which answers count: "Antal personer … som har svarat <answers> på frågan
<question> dividerat med …" (``kpi_definitioner_ifo.csv``). The codebook's indicators count the two most
positive codes of a four-step scale (``indicators.POSITIVE``). The comparison is data: a Kolada answer
matches the codebook when its text is one of the positive codes' labels or aliases.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.public_data.kolada import ITEM_KPIS
from analysis.survey_data.codebooks import Codebook, normalise

DEFINITION = re.compile(r"har svarat (?P<answers>.+?) på frågan (?P<question>.+?\?)", re.DOTALL)


def kolada_positive(description: str) -> tuple[list[str], str]:
    """The answers Kolada counts as positive and the question it quotes (empty when not stated)."""
    match = DEFINITION.search(" ".join(str(description).split()))
    if not match:
        return [], ""
    answers = [a.strip() for a in re.split(r"\s+eller\s+", match["answers"]) if a.strip()]
    return answers, match["question"].strip()


def definition_check(definitions: pd.DataFrame, codebook: Codebook, positive: tuple[int, ...]) -> pd.DataFrame:
    """Per item: Kolada's question and positive answers beside the codebook's question, scale and positive
    codes, whether every Kolada answer is one of the codebook's positive labels or aliases, and a verdict:
    ``same`` (the same answers), ``same_steps`` (as many of the top steps, other words) or ``different``."""
    by_id = definitions.set_index("kpi_id")
    rows = []
    for variable, kpi in ITEM_KPIS.items():
        answers, question = kolada_positive(by_id.loc[kpi, "description"]) if kpi in by_id.index else ([], "")
        var = codebook.variable(variable)
        labels = var.scale.labels
        known = {normalise(t): code for code in positive
                 for t in (labels[code], *var.scale.aliases.get(code, ()))}
        matched = [a for a in answers if normalise(a) in known]
        verdict = ("same" if answers and len(matched) == len(answers) and len(answers) == len(positive)
                   else "same_steps" if len(answers) == len(positive) else "different")
        rows.append({"variable": variable, "kpi_id": kpi, "kolada_question": question,
                     "kolada_positive": "; ".join(answers), "kolada_positive_count": len(answers),
                     "codebook_question": var.question, "codebook_scale": "; ".join(labels.values()),
                     "codebook_positive": "; ".join(labels[c] for c in positive),
                     "codebook_positive_count": len(positive), "codebook_steps": len(labels),
                     "matched_answers": len(matched), "verdict": verdict,
                     "kolada_divided_by_gender": str(by_id.loc[kpi].get("is_divided_by_gender", ""))
                     if kpi in by_id.index else ""})
    return pd.DataFrame(rows)
