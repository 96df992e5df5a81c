"""The disclosure audit as the build runs it: public facts, the audited plan, the hidden cells' ranges.

``run_audit`` takes the survey frames, codebooks, the GINO report's figures and Kolada's pairs and returns
the plan the documents follow, the breaches left (none, or the build fails), the derivable range of every
hidden client-survey answer cell, and the output checkers' summary. Pure computation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import feasible
from analysis.report import checker_summary, protection, public_facts, unknowns as u
from analysis.core.publication_plan import Plan


@dataclass
class Result:
    plan: Plan
    breaches: pd.DataFrame
    ranges: dict
    summary: pd.DataFrame
    log: list[str]
    solves: int
    audits: list


def public(frames: dict, codebooks: dict, figures: pd.DataFrame, pairs: pd.DataFrame | None) -> dict:
    return {d: public_facts.public_facts(d, codebooks[d], figures, pairs) for d in frames}


def hidden_ranges(audits: list, plan: Plan, codebooks: dict) -> dict:
    """What everything published and public allows for each answer cell of a hidden client-survey figure."""
    out = {}
    for audit in audits:
        for dataset, codebook in audit.surveys.items():
            if dataset == u.INNOVATION:
                continue  # one program over all municipality × role groups: too slow to range every cell
            for variable, cells in u.items(dataset, codebook).items():
                for m in codebook.municipalities:
                    if plan.reason(dataset, variable, m) in ("", "absent"):
                        continue
                    for cell in (c for c in cells if c != "blank"):
                        out[(dataset, variable, m, cell)] = audit.published.range(
                            u.cell_terms(dataset, codebook, variable, [cell], [m]))
    return out


def run_audit(frames: dict, codebooks: dict, figures: pd.DataFrame, pairs: pd.DataFrame | None,
              threshold: int, comparison: pd.DataFrame | None = None) -> Result:
    facts = public(frames, codebooks, figures, pairs)
    plan, audits, log = protection.audited_plan(frames, codebooks, facts, threshold, comparison)
    breaches = pd.concat([a.breaches for a in audits], ignore_index=True)
    ranges = hidden_ranges(audits, plan, codebooks)
    summary = checker_summary.rows(frames, codebooks, plan, ranges, breaches)
    return Result(plan, breaches, ranges, summary, log, sum(a.solves for a in audits), audits)


def breach_lines(audits: list, threshold: int) -> list[str]:
    """One line per breach: what is derived, from which documents (the sources of the plan entries its
    derivation needs, found by deletion) together with Kolada and the report."""
    from analysis.report import ledger

    lines = []
    for audit in audits:
        for r in audit.breaches.itertuples(index=False):
            needed = set(protection._needed(audit, r._asdict(), threshold))
            def involved(f) -> bool:  # what every plan prints about the breach's item or the survey's sizes
                return ledger.key_of(f.source) is None and any(
                    k[1] == r.survey and (k[0] == "n" or k[2] == r.item) for k in feasible.keys_of(f))

            documents = sorted({part.strip() for f in audit.project_facts
                                if ledger.key_of(getattr(f, "source", "")) in needed or involved(f)
                                for part in ledger.strip_tag(f.source).split(";")})
            span = "" if r.published_low is None or pd.isna(r.published_low) else \
                f"derivable {int(r.published_low)}–{int(r.published_high)}, public sources alone " \
                f"{int(r.public_low)}–{int(r.public_high)}; "
            lines.append(f"disclosure: {r.survey}, {r.level} {r.group}, {r.item} {r.cell}: {r.kind} (true {r.true}; "
                         f"{span}derived from {'; '.join(documents)} "
                         "with Kolada and the GINO report)")
    return lines
