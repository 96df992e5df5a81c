"""The publication plan chosen by the disclosure audit: show what is safe, hide the fewest figures that make it so.

1. **Coarsening fixed in advance.** The client surveys' regional counts are printed rounded to tens
   (``plan.ROUNDING``): with Kolada's exact respondents per municipality beside them, an exact total
   gives the one municipality Kolada withholds (177 − 174 = Sorsele's 3) and, summed over an item, pins
   every municipality at its largest possible answer count (Storuman's 100 % becomes 13 of 13: nobody
   answered "vet inte"). No merged rows ("Övriga kommuner"): a merged row minus the public parts is the
   withheld municipality.
2. **Primary** (``candidates``): each municipality figure is a candidate if it breaks nothing on its own,
   beside what is public about that municipality: a client-survey share whose k and n Kolada's value
   already allows without pinning more (Vilhelmina 2019), not one that turns Kolada's 100 % of 5–13
   into 13 of 13; an innovation or travel figure whose own cells pass the threshold and unanimity rule.
3. **Secondary** (``audited_plan``): the whole plan is audited (``attacker.Audit``); for each breach the
   shown figures its derivation needs are found by deletion (drop one; if the breach stays, it was not
   needed), and the last of them in a fixed order is hidden. Repeat until no breach is left. The order
   (survey, item, municipality code) makes the result deterministic.

Pure computation over frames and facts; no file I/O.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.feasible import Choice, Linear, holds, keys_of
from analysis.core import disclosure, feasible_blocks
from analysis.report import attacker, ledger, unknowns as u
from analysis.core.publication_plan import Plan, reason_key

MAX_ROUNDS = 60


def _local(dataset, codebook, truth, public, display, municipality, variable, threshold, found=None) -> bool:
    """Whether showing ``display`` (facts about one municipality's item) breaks nothing beside what is
    public about that municipality alone."""
    found = [t for t in (found if found is not None else attacker.targets(dataset, codebook, truth, threshold))
             if t[0].level == "municipality" and t[0].group == municipality and t[0].item == variable]
    if not found:  # nothing small or unanimous there: nothing to breach
        return True
    cells = u.items(dataset, codebook)[variable]
    groups = [g for g in u.groups(dataset, codebook) if (g[0] if isinstance(g, tuple) else g) == municipality]
    keys = [("n", dataset, g) for g in groups] + [("x", dataset, variable, g, c) for g in groups for c in cells]
    upper = {k: 10 ** 4 for k in keys}
    inside = [f for f in public if keys_of(f) <= set(upper)]
    structure = [f for f in u.structure(dataset, codebook) if keys_of(f) <= set(upper)]
    local_truth = {k: truth[k] for k in keys}
    published = feasible_blocks.space(upper, structure + inside + display, local_truth)
    return not any(attacker.breach(published, lambda: feasible_blocks.space(upper, structure + inside, local_truth),
                                   t, o, threshold) for t, o in found)


def consistent(public: list, truth: dict) -> list:
    """The public facts the true data do not break: a public figure they contradict (three of the 2018 poster's
    statements, which Kolada rules out; Kolada itself beside exports of another round) is not a fact an attacker
    can rely on, and leaving it out only makes more count as the project's disclosure (the safe side)."""
    return [f for f in public if holds(f, {k: truth.get(k, 0) for k in keys_of(f)})]


def _kolada_withholds(public, dataset, variable, municipality) -> bool:
    """Kolada says it publishes no value for the municipality's item: fewer than five answered it, or the
    municipality had fewer than five respondents."""
    answered = ("x", dataset, variable, municipality, "positive")
    size = ("n", dataset, municipality)
    return any(isinstance(f, Linear) and f.source.startswith("Kolada") and "not published" in f.source
               and (answered in keys_of(f) or keys_of(f) == {size}) for f in public)


def _kolada_value(public, dataset, variable, municipality) -> bool:
    return any(isinstance(f, Choice) and ("x", dataset, variable, municipality, "positive") in keys_of(f) for f in public)


def candidates(frames: dict, codebooks: dict, public: dict, threshold: int, truths: dict | None = None) -> Plan:
    """The primary plan: every figure that is safe on its own (see the module docstring; ``truths``: each
    survey's ``unknowns.truth``, when known)."""
    plan = Plan()
    for dataset, frame in frames.items():
        codebook = codebooks[dataset]
        truth = truths[dataset] if truths else u.truth(frame, codebook, dataset)
        present = sorted(set(frame[codebook.identifiers["municipality"]].astype(str)))
        sizes = {m: truth_size(truth, dataset, codebook, m) for m in codebook.municipalities}
        found = attacker.targets(dataset, codebook, truth, threshold)  # once per survey, filtered per candidate
        plan.totals[dataset] = "exact"
        if dataset != u.INNOVATION:  # the total over what Kolada publishes: no withheld number is in a sum
            published = [m for m in present if not _kolada_withholds(public[dataset], dataset, "", m)]
            plan.region[dataset] = {"respondents": published}
            plan.region[dataset].update({v: published for v in u.CATEGORY_ITEMS if v in frame})
        plan.respondents_merged[dataset] = False
        plan.respondents[dataset] = [m for m in present if sizes[m] >= threshold]
        if dataset == u.INNOVATION:  # seeded with the merging rule: the smallest also hide the next smallest
            from analysis.client_surveys import indicators as client_survey

            hidden = set(client_survey.respondents_hidden(frame, codebook))
            plan.respondents[dataset] = [m for m in present if m not in hidden]
        for m in codebook.municipalities:
            if m not in present:
                plan.reasons[reason_key(dataset, "respondents", m)] = "absent"
            elif sizes[m] < threshold:
                withheld = dataset != u.INNOVATION and _kolada_withholds(public[dataset], dataset, "", m)
                plan.reasons[reason_key(dataset, "respondents", m)] = "kolada" if withheld else "hidden"
        for variable in u.items(dataset, codebook):
            shown = []
            for m in codebook.municipalities:
                key = reason_key(dataset, variable, m)
                if m not in present:
                    plan.reasons[key] = "absent"
                    continue
                own = {c: sum(truth[k] for k, _ in u.cell_terms(dataset, codebook, variable, [c], [m]))
                       for c in u.items(dataset, codebook)[variable] if c != "blank"}
                if dataset != u.INNOVATION and _kolada_withholds(public[dataset], dataset, variable, m):
                    plan.reasons[key] = "kolada"
                    continue
                if _kolada_value(public[dataset], dataset, variable, m):
                    display = [ledger.exact(u.cell_terms(dataset, codebook, variable, [c], [m]), own[c], "display")
                               for c in ("positive", "other")]
                    if _local(dataset, codebook, truth, public[dataset], display, m, variable, threshold, found):
                        shown.append(m)
                    else:
                        plan.reasons[key] = "hidden"
                    continue
                fails = disclosure.fails(pd.Series(own).to_numpy()[None, :], threshold)[0]
                outside = dataset != u.INNOVATION and m not in plan.region[dataset].get(variable, present)
                if outside:
                    plan.reasons[key] = "kolada"
                elif fails or sizes[m] < threshold or not sum(own.values()):
                    # a reason naming the cause would itself tell that a cell is small: a neutral one
                    plan.reasons[key] = "hidden"
                else:
                    shown.append(m)
            if dataset == u.INNOVATION:
                plan.climate[variable] = shown
            elif variable in u.CATEGORY_ITEMS:
                plan.categories[variable], plan.category_merged[variable] = shown, False
            else:  # the regional figure is over the shown municipalities: every sum is of shown figures
                plan.indicators.setdefault(dataset, {})[variable] = shown
                plan.region[dataset][variable] = list(shown)
        plan.merged_rows[dataset] = []
        if dataset == u.INNOVATION:
            from analysis.innovation import climate as innovation

            for a in innovation.aspects(codebook).itertuples():
                h = innovation.hidden_role_groups(innovation.role_cells(frame, codebook, a.state_variable, [innovation.GOOD]))
                plan.roles[a.state_variable] = sorted(h.index[~h.to_numpy()])
    plan.common = list(client_indicators())
    return plan


def client_indicators() -> tuple:
    from analysis.client_surveys import indicators as client_survey

    return client_survey.INDICATORS


def truth_size(truth: dict, dataset: str, codebook, m: str) -> int:
    return sum(truth[k] for k, _ in u.size_terms(dataset, codebook, [m]))


def audit_groups(frames: dict) -> list[list[str]]:
    """The surveys audited together: the client surveys (tied by the comparison of the years), the rest alone."""
    client = [d for d in frames if d.startswith("client_survey_")]
    return [client] * bool(client) + [[d] for d in frames if d not in client]


def audit_plan(frames: dict, codebooks: dict, public: dict, plan: Plan, threshold: int, comparison=None,
               earlier: dict | None = None, truths: dict | None = None) -> list:
    """``attacker.Audit`` of every group of surveys under ``plan``, each with its ``breaches`` run
    (``comparison``: notebook 01's reproduction of the report's figures; ``earlier``: the audits of an
    earlier plan by group, whose solutions that still hold are kept as witnesses)."""
    facts = ledger.project_facts(frames, codebooks, plan, comparison)
    out = []
    for group in audit_groups(frames):
        truth = {k: v for d in group for k, v in
                 (truths[d] if truths else u.truth(frames[d], codebooks[d], d)).items()}
        mine = [f for f in facts if {k[1] for k in keys_of(f)} <= set(group)]
        audit = attacker.Audit({d: codebooks[d] for d in group}, truth, [f for d in group for f in public[d]], mine,
                               threshold, {d: 2 * len(frames[d]) + 10 for d in group}, (earlier or {}).get(tuple(group)))
        audit.breaches = audit.run()
        out.append(audit)
    return out


def _needed(audit: attacker.Audit, breach: dict, threshold: int) -> list[tuple]:
    """The plan entries a breach's derivation needs, found by deletion (an entry whose facts can go while
    the breach stays is not needed). Only entries about the breach's item, and shown respondents, are
    tried; the regional figure over the shown municipalities is implied by them and goes with them."""
    by_key: dict[tuple, list] = {}
    fixed = []
    for f in audit.project_facts:
        key = ledger.key_of(getattr(f, "source", ""))
        if key is None:
            fixed.append(f)
        elif key[0] != "region":
            by_key.setdefault(key, []).append(f)
    found = [x for d, c in audit.surveys.items() for x in attacker.targets(d, c, audit.truth, threshold)]
    target = next(((t, o) for t, o in found
                   if (t.survey, t.item, t.level, t.group, t.cell) == (breach["survey"], breach["item"], breach["level"],
                                                                       breach["group"], breach["cell"])), None)
    if target is None:  # a pair of sizes: the shown respondents, and what shows the two groups' items
        groups = breach["group"].split("+")
        return sorted(k for k in by_key if k[0] == "respondents" and k[1] == breach["survey"]) or \
            sorted(k for k in by_key if k[1] == breach["survey"] and k[3] in groups)
    relevant = sorted(k for k in by_key if k[0] == "respondents" or k[0] == "common" or
                      (k[1] == breach["survey"] and (k[2] == breach["item"] or breach["item"] == "respondents")))
    # The trial spaces hold only what touches the breach's item and the sizes: the block the breach lies in.
    def near(c) -> bool:
        return all(k[0] == "n" or (k[1], k[2]) == (breach["survey"], breach["item"]) for k in keys_of(c))

    base = [c for c in audit._structure + audit.public_facts + fixed if near(c)]
    base += [f for k, fs in by_key.items() if k not in relevant for f in fs if near(f)]
    upper = {k: v for k, v in audit.upper.items() if k[0] == "n" or (k[1], k[2]) == (breach["survey"], breach["item"])}
    truth = {k: audit.truth[k] for k in upper}
    everything = [f for k, fs in by_key.items() if k not in relevant for f in fs] + fixed
    needed = list(relevant)
    for key in relevant:
        trial = [k for k in needed if k != key]
        if breach["item"] == "respondents":  # a size: its derivation may run through any item
            space = audit._space(audit.public_facts + everything + [f for k in trial for f in by_key[k]])
        else:
            space = feasible_blocks.space(upper, base + [f for k in trial for f in by_key[k] if near(f)], truth)
        if attacker.breach(space, lambda: audit.public, target[0], target[1], threshold):
            needed = trial
    return needed


def _hide(plan: Plan, key: tuple) -> None:
    kind, dataset, variable, group = key
    if kind == "respondents":
        plan.respondents[dataset] = [m for m in plan.respondents[dataset] if m != group]
    elif kind == "indicators":
        plan.indicators[dataset][variable] = [m for m in plan.indicators[dataset][variable] if m != group]
        plan.region[dataset][variable] = [m for m in plan.region[dataset][variable] if m != group]
    elif kind == "categories":
        plan.categories[variable] = [m for m in plan.categories[variable] if m != group]
    elif kind == "climate":
        plan.climate[variable] = [m for m in plan.climate[variable] if m != group]
    elif kind == "roles":
        plan.roles[variable] = [r for r in plan.roles[variable] if r != group]
    elif kind == "common":
        plan.common = [v for v in plan.common if v != variable]
    if kind != "common":
        plan.reasons[reason_key(dataset, variable or "respondents", group)] = "hidden"


def _weight(frames: dict, codebooks: dict, key: tuple) -> int:
    """How much a plan entry shows (its respondents or answers): the smallest is hidden first."""
    kind, dataset, variable, group = key
    if kind == "common" or dataset not in frames:
        return 10 ** 6
    frame, codebook = frames[dataset], codebooks[dataset]
    part = frame[frame[codebook.identifiers["municipality"]].astype(str) == group] if kind != "roles" else \
        frame[u.role_group(frame["role"]) == group]
    if kind == "respondents" or not variable:
        return len(part)
    return int(u.cell_of(part, codebook, dataset, variable).isin(["positive", "other"]).sum())


def audited_plan(frames: dict, codebooks: dict, public: dict, threshold: int,
                 comparison=None) -> tuple[Plan, list, list[str]]:
    """The plan with no breach: primary candidates, then secondary hiding until the audit passes (one
    figure per breach and round, only the surveys whose plan changed audited again). Returns the plan,
    the final audits and a log line per hidden figure."""
    truths = {d: u.truth(frames[d], codebooks[d], d) for d in frames}
    public = {d: consistent(facts, truths[d]) for d, facts in public.items()}
    plan = candidates(frames, codebooks, public, threshold, truths)
    log: list[str] = []
    audits: dict[tuple, attacker.Audit] = {}
    dirty = [tuple(g) for g in audit_groups(frames)]
    for _ in range(MAX_ROUNDS):
        for group in dirty:
            audits[group] = audit_plan({d: frames[d] for d in group}, codebooks, public, plan, threshold, comparison,
                                       audits, truths)[0]
        breaches = [(g, b) for g, a in audits.items() for b in a.breaches.to_dict("records")]
        if not breaches:
            return plan, list(audits.values()), log
        changed, dirty = set(), set()
        for group, breach in breaches:
            needed = _needed(audits[group], breach, threshold)
            if not needed:
                raise RuntimeError(f"disclosure: {breach} follows from what every plan publishes")
            if changed & set(needed):
                continue  # this round already hides part of its derivation
            chosen = min(needed, key=lambda k: (_weight(frames, codebooks, k), k))
            _hide(plan, chosen)
            changed.add(chosen)
            dirty.add(group)
            log.append(f"hidden {chosen} to stop {breach['kind']} of {breach['group']} {breach['item']} "
                       f"{breach['cell']} (its derivation needs {needed})")
        dirty = sorted(dirty)
    raise RuntimeError(f"disclosure: no safe plan within {MAX_ROUNDS} rounds")
