"""A summary for output checkers: every published sub-group figure with its status and reason.

Researchers who run the real exports inside a secure environment hand their outputs to an output
checker. This summary lists, per survey, table and group, what the documents print and why the rest is
hidden, with the range of values the audit proves an outsider can derive for each hidden cell from
everything published and public (so a checker sees the protection, not only the rule).

Two forms: a flat table (``output_checks.csv``) and the results file of SACRO's ACRO
(``output_checks.json``: ``version``, ``tool``, and per output ``uid``, ``status`` pass/fail/review,
``type``, ``properties``, ``files``, ``outcome`` with one status per cell, ``command``, ``summary``,
``timestamp``, ``comments``, ``exception``), which SACRO's viewer reads. ``docs/disclosure/output-checking.md``
says why ACRO itself is not used. Pure functions; the build step writes the files.
"""

from __future__ import annotations

import json

import pandas as pd

from analysis.report import unknowns as u
from analysis.core.publication_plan import REASONS, Plan

ACRO_VERSION = "1.0.2"  # the ACRO results layout this file follows (acro.record.load_records of that version)
STATUS = {"shown": "pass", "hidden": "pass", "public": "pass", "breach": "fail"}


def rows(frames: dict, codebooks: dict, plan: Plan, ranges: dict, breaches: pd.DataFrame) -> pd.DataFrame:
    """One row per survey, table, group and item: ``status`` (shown, hidden), ``reason`` and, for hidden
    answer cells, the derivable range (``ranges``: (survey, item, municipality, cell) -> (low, high))."""
    out = []
    for dataset, frame in frames.items():
        codebook = codebooks[dataset]
        present = set(frame[codebook.identifiers["municipality"]].astype(str))
        for m, name in codebook.municipalities.items():
            shown = m in plan.respondents.get(dataset, [])
            reason = "" if shown else plan.reasons.get(f"{dataset}|respondents|{m}", "absent" if m not in present else "hidden")
            out.append({"survey": dataset, "table": "respondents by municipality", "group": name, "item": "respondents",
                        "status": "shown" if shown else "hidden", "reason": REASONS.get(reason, reason), "cell": "n",
                        "derivable": ""})
        table = "innovation climate by municipality" if dataset == u.INNOVATION else "indicators by municipality"
        for variable, cells in u.items(dataset, codebook).items():
            kind = "categories by municipality" if variable in u.CATEGORY_ITEMS else table
            for m, name in codebook.municipalities.items():
                reason = plan.reason(dataset, variable, m)
                for cell in (c for c in cells if c != "blank"):
                    span = ranges.get((dataset, variable, m, cell))
                    out.append({"survey": dataset, "table": kind, "group": name, "item": variable,
                                "status": "shown" if not reason else "hidden", "reason": REASONS.get(reason, reason),
                                "cell": cell, "derivable": f"{span[0]}–{span[1]}" if span else ""})
        for variable, groups in plan.roles.items():
            if dataset == u.INNOVATION:
                from analysis.innovation import climate as innovation

                for r in innovation.ROLE_GROUPS:
                    out.append({"survey": dataset, "table": "innovation climate by role", "group": r, "item": variable,
                                "status": "shown" if r in groups else "hidden",
                                "reason": "" if r in groups else REASONS["hidden"], "cell": "share", "derivable": ""})
    result = pd.DataFrame(out)
    if len(breaches):
        keys = set(zip(breaches["survey"], breaches["item"]))
        result.loc[[(s, i) in keys for s, i in zip(result["survey"], result["item"])], "status"] = "breach"
    return result


def acro_results(summary: pd.DataFrame) -> str:
    """``summary`` as an ACRO results file: one output per survey and table, one outcome per cell."""
    results = {}
    for i, ((survey, table), part) in enumerate(summary.groupby(["survey", "table"], sort=True)):
        status = "fail" if (part["status"] == "breach").any() else "pass"
        outcome = {f"{r.group} | {r.item} | {r.cell}": (r.reason or "ok") if r.status != "breach" else "breach"
                   for r in part.itertuples(index=False)}
        hidden = int((part["status"] == "hidden").sum())
        results[f"output_{i}"] = {
            "uid": f"output_{i}", "status": status, "type": "table",
            "properties": {"method": "disclosure audit (integer programming over everything published and public)",
                           "survey": survey, "table": table},
            "files": [{"name": "output_checks.csv", "sdc": {"summary": {"suppressed": hidden > 0,
                                                                         "hidden cells": hidden}}}],
            "outcome": {"status": outcome},
            "command": f"gino build (disclosure step): {survey}, {table}",
            "summary": f"{status}; {hidden} hidden of {len(part)} cells",
            "timestamp": "", "comments": [], "exception": "", "fair": {},
        }
    return json.dumps({"version": ACRO_VERSION,
                       "tool": {"@type": "SoftwareApplication", "name": "GINO disclosure audit",
                                "url": "docs/disclosure/threat-model.md"},
                       "results": results}, ensure_ascii=False, indent=1, sort_keys=True)
