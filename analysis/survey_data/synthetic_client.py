"""The synthetic client surveys (2018, 2019) anchored to Kolada's real published results.

Per municipality the twin has exactly Kolada's number of respondents (U30901); per municipality
and item exactly one (positive, answered) pair that Kolada's value allows (``kolada_twin``), chosen
so that the report's published figures hold wherever the reconciliation found that possible.
Municipalities Kolada does not publish get the 1–4 respondents set in ``config/synthetic.yaml``.
What Kolada does not say is invented and declared there: how the respondents without a
substantive answer split into "vet inte" and blanks, the split inside the positive and negative
answers, sex, and (2018) travel distance and preferred meeting form (``synthetic.add_travel``).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from analysis.survey_data.codebooks import Codebook
from analysis.core.errors import GinoError
from analysis.public_data.kolada import ITEM_KPIS
from analysis.survey_data.kolada_twin import choose_pairs, item_pairs, respondents_per_municipality
from analysis.survey_data.reconcile import Question, Solution
from analysis.survey_data.published import Share, passes, round_half_up


def blank_rows(order: np.ndarray, blanks: list[int]) -> list[np.ndarray]:
    """Rows (of ``order``) left blank per item, as consecutive blocks around a circle.

    Each block starts where the previous one ended, so a respondent is blank on every item only
    if the blanks add up to more than (items - 1) × respondents: every respondent keeps at least
    one answer (Kolada counts a respondent as someone who answered at least one question).
    """
    size, start, out = len(order), 0, []
    if sum(blanks) > (len(blanks) - 1) * size:
        raise GinoError(f"{sum(blanks)} blank answers over {len(blanks)} items leave a respondent without any answer")
    for b in blanks:
        out.append(order[(start + np.arange(b)) % size] if size else order[:0])
        start = (start + b) % size if size else 0
    return out


def answer_codes(latent: np.ndarray, loading: float, positive: int, answered: int, dont_know: int,
                 blank: np.ndarray, cfg: dict, rng: np.random.Generator) -> np.ndarray:
    """Codes 1–4 and 9 ("vet inte") for one municipality and item: exactly ``positive`` in 1–2 of ``answered``."""
    from analysis.survey_data.allocation import assign_answers, split

    rows = np.setdiff1d(np.arange(len(latent)), blank)
    best, second = split(positive, cfg["top_share_of_positive"])
    worst, third = split(answered - positive, cfg["bottom_share_of_negative"])
    mask = np.zeros(len(latent), dtype=bool)
    mask[rows] = True
    codes = assign_answers(latent, loading, [(1, best), (2, second), (3, third), (4, worst)], mask, (9, dont_know), rng)
    return codes.to_numpy(dtype="float")


def generate_client_anchored(codebook: Codebook, figures: pd.DataFrame, cfg: dict, kolada: pd.DataFrame,
                             rng: np.random.Generator) -> tuple[pd.DataFrame, list[Solution], pd.Series]:
    """A client survey matching Kolada: the frame, reconciliation records for the published figures,
    and the respondents per municipality. ``kolada``: ``kolada.client_survey_values`` of the year."""
    dataset, year = codebook.dataset, codebook.years[0]
    study = sorted(codebook.municipalities)
    unpublished = {str(k): int(v) for k, v in (cfg.get("kolada_unpublished_respondents") or {}).items()}
    respondents = respondents_per_municipality(kolada, study, unpublished)
    n = int(respondents.sum())
    kommun = np.repeat(respondents.index.to_numpy(), respondents.to_numpy())
    effect = dict(zip(respondents.index, rng.normal(0, cfg["municipality_sd"], len(respondents))))
    latent = np.array([effect[k] for k in kommun]) + rng.standard_normal(n)
    sexes = [int(k) for k in cfg["sex"]]
    from analysis.survey_data.allocation import largest_remainder

    sex = np.repeat(sexes, largest_remainder(n, [cfg["sex"][k] for k in cfg["sex"]]))[rng.permutation(n)]
    frame = pd.DataFrame({"respondent_id": [f"syn-{year}-{i:04d}" for i in range(1, n + 1)], "kommun": kommun,
                          "year": year, "sex": pd.array(sex, dtype="Int16")})
    items = [v.name for v in codebook.variables if v.name in ITEM_KPIS]
    chosen = {}
    for variable in items:
        published = figures[(figures["dataset"] == dataset) & (figures["variable"] == variable)
                            & (figures["measure"] == "share")]
        weights = [(kolada.loc[c, variable], respondents[c]) for c in study
                   if c in kolada.index and pd.notna(kolada.loc[c, variable])]
        target = Fraction(sum(v * r for v, r in weights) / sum(r for _, r in weights) / 100).limit_denominator(1000) \
            if weights else None
        chosen[variable] = choose_pairs(item_pairs(kolada, respondents, variable), list(published.itertuples()),
                                        target)
    answers = {v: np.full(n, np.nan) for v in items}
    share_dk = float(cfg["dont_know_share_of_unanswered"])
    for code in study:
        rows = np.flatnonzero(kommun == code)
        order = rng.permutation(len(rows))
        pairs = [chosen[v][code] for v in items]
        dont_know = [round_half_up(Fraction(share_dk).limit_denominator(100) * (len(rows) - p.answered)) for p in pairs]
        blanks = [len(rows) - p.answered - d for p, d in zip(pairs, dont_know)]
        for v, p, d, blank in zip(items, pairs, dont_know, blank_rows(order, blanks)):
            answers[v][rows] = answer_codes(latent[rows], cfg["loading"], p.positive, p.answered, d, blank, cfg, rng)
    for v in items:
        frame[v] = pd.array([pd.NA if np.isnan(x) else int(x) for x in answers[v]], dtype="Int16")
    return frame, _solutions(dataset, figures, chosen, respondents, frame), respondents


def _solutions(dataset: str, figures: pd.DataFrame, chosen: dict, respondents: pd.Series,
               frame: pd.DataFrame) -> list[Solution]:
    """Reconciliation records (as ``reconcile.Solution``) for every item with a published figure."""
    out = []
    for variable, pairs in chosen.items():
        published = figures[(figures["dataset"] == dataset) & (figures["variable"] == variable)
                            & (figures["measure"] == "share")]
        if published.empty:
            continue
        k = sum(p.positive for p in pairs.values())
        n = sum(p.answered for p in pairs.values())
        answered = int(frame[variable].notna().sum())
        held = [f.figure_id for f in published.itertuples() if passes(f.rule, f.published_value, Share(k, n))]
        missed = [f.figure_id for f in published.itertuples() if f.figure_id not in held]
        per = ", ".join(f"{c} {p}" for c, p in sorted(pairs.items()))
        note = (f"Anchored to Kolada {ITEM_KPIS[variable]}: one pair per municipality that Kolada's value and "
                f"respondent count allow ({per}); {k} of {n} substantive answers = {float(Fraction(k, n)):.4f}. "
                + (f"The published figure holds ({', '.join(held)})." if not missed else
                   f"No Kolada-consistent counts give {', '.join(missed)} under its rule (see "
                   "data/processed/kolada_poster_rules.csv); the twin follows Kolada, and the check shows the conflict."))
        # The Swedish note is shown in the report: the region's total only, no municipality's pair.
        note_sv = (f"Förankrad i Kolada ({ITEM_KPIS[variable]}): för varje kommun ett par (positiva, svarande) som "
                   f"Koladas värde och antal svarande tillåter; {k} av {n} sakliga svar i regionen. "
                   + ("Den publicerade siffran gäller." if not missed else
                      "Inga antal som stämmer med Kolada ger affischens siffra; tvillingen följer Kolada och "
                      "kontrollen visar konflikten."))
        question = Question(dataset, variable, (1, 2, 3, 4), (answered, answered), answered)
        out.append(Solution(question, answered, answered - n, {f.figure_id: k for f in published.itertuples()},
                            1, note, note_sv))
    return out


def kolada_client_values():
    """A function year -> Kolada's client-survey values for that year (respondents and the seven items)."""
    from analysis.public_data.catalog import snapshot
    from analysis.public_data.kolada import client_survey_values, read_kpi_values

    entry = snapshot("kolada_client_survey")
    entry.verify()
    values = read_kpi_values(entry.path)
    return lambda year: client_survey_values(values, year)


def kolada_poster_conflicts(figures: pd.DataFrame) -> dict[str, str]:
    """Published poster figures that no Kolada-consistent counts reproduce under their stated rule."""
    from analysis.public_data.catalog import snapshot
    from analysis.survey_data.codebooks import load_codebooks
    from analysis.public_data.kolada import client_survey_values, read_kpi_values
    from analysis.public_data.kolada_pairs import candidate_pairs
    from analysis.survey_data.kolada_reconcile import poster_consistency, poster_figures, stored_rule_conflicts

    values = read_kpi_values(snapshot("kolada_client_survey").path)
    names = dict(zip(values["kommun_kod"], values["municipality"]))
    study = sorted(load_codebooks()["client_survey_2018"].municipalities)
    pairs = candidate_pairs(client_survey_values(values, 2018), study, names, 2018)
    return stored_rule_conflicts(poster_consistency(pairs, poster_figures(figures)))
