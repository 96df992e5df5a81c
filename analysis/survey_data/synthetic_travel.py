"""Client-survey answers the twin invents: GINO's two added questions (travel distance, preferred meeting
form) and the population-proportional client generator the national benchmark uses.

Each client lives in a 1 km grid cell of their municipality drawn by population, travels to the
social office in the municipal centre (road = detour × straight line), and prefers a meeting form
by a declared multinomial logit on road distance (``config/synthetic.yaml``). None of it is real.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.survey_data.codebooks import Codebook
from analysis.survey_data.reconcile import Question, Solution, solve
from analysis.public_data.residence import distance_band, road_km, sample_residences
from analysis.survey_data.published import round_half_up
from analysis.survey_data.allocation import allocate, assign_answers, choose_missing, largest_remainder, split
from analysis.survey_data.synthetic import _figures_for, _positive


def preference_probabilities(km: np.ndarray, model: dict) -> tuple[list[int], np.ndarray]:
    """Multinomial-logit probabilities of each meeting form given road distance (rows: clients)."""
    forms = sorted(int(k) for k in model)
    utility = np.column_stack([model[f][0] + model[f][1] * km for f in forms])
    utility -= utility.max(axis=1, keepdims=True)
    p = np.exp(utility)
    return forms, p / p.sum(axis=1, keepdims=True)


def generate_client(codebook: Codebook, figures: pd.DataFrame, cfg: dict, population: pd.Series,
                    rng: np.random.Generator, grid: pd.DataFrame | None = None,
                    centres: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[Solution]]:
    """A client survey; with ``grid`` and ``centres`` also the travel distance and preferred meeting form."""
    dataset, year = codebook.dataset, codebook.years[0]
    n = int(cfg["respondents"])
    per_kommun = allocate(n, population[list(codebook.municipalities)], cfg["fewest_per_municipality"])
    kommun = np.repeat(per_kommun.index.to_numpy(), per_kommun.to_numpy())
    effect = dict(zip(per_kommun.index, rng.normal(0, cfg["municipality_sd"], len(per_kommun))))
    latent = np.array([effect[k] for k in kommun]) + rng.standard_normal(n)
    propensity = rng.beta(0.6, 4.0, n) + 1e-3
    sexes = [int(k) for k in cfg["sex"]]
    sex = np.repeat(sexes, largest_remainder(n, [cfg["sex"][k] for k in cfg["sex"]]))[rng.permutation(n)]
    frame = pd.DataFrame({
        "respondent_id": [f"syn-{year}-{i:04d}" for i in range(1, n + 1)],
        "kommun": kommun,
        "year": year,
        "sex": pd.array(sex, dtype="Int16"),
    })
    solutions = []
    for v in codebook.variables:
        if v.name not in cfg["dont_know_rate"]:
            continue
        missing = round_half_up(cfg["missing_rate"] * n)
        answered = n - missing
        dont_know = round_half_up(cfg["dont_know_rate"][v.name] * answered)
        published = _figures_for(figures, dataset, v.name)
        if len(published):
            question = Question(dataset, v.name, tuple(v.scale.labels), (answered, answered), answered,
                                (dont_know, dont_know), dont_know)
            solution = solve(question, published)
            solutions.append(solution)
            positive = _positive(solution, figures, [1, 2])
        else:
            positive = round_half_up(cfg["positive_share"][v.name] * (answered - dont_know))
        best, second = split(positive, cfg["top_share_of_positive"])
        worst, third = split(answered - dont_know - positive, cfg["bottom_share_of_negative"])
        answering = ~choose_missing(n, missing, propensity, rng)
        frame[v.name] = assign_answers(latent, cfg["loading"], [(1, best), (2, second), (3, third), (4, worst)],
                                       answering, (9, dont_know), rng)
    if grid is not None:
        add_travel(frame, cfg, propensity, rng, grid, centres)
    return frame[[v.name for v in codebook.variables]], solutions


def add_travel(frame: pd.DataFrame, cfg: dict, propensity: np.ndarray, rng: np.random.Generator,
               grid: pd.DataFrame, centres: pd.DataFrame) -> None:
    """GINO's two added questions (synthetic in every version of the twin): each client lives in a grid cell
    of their municipality drawn by population, travels to the municipal centre, and prefers a meeting
    form by the declared logit on road distance; ``missing_rate`` of each question left blank."""
    n = len(frame)
    kommun = frame["kommun"].to_numpy()
    km = np.empty(n)
    for code in sorted(set(kommun)):
        rows = np.flatnonzero(kommun == code)
        centre = centres.loc[code, ["centre_x", "centre_y"]].to_numpy(dtype=float)
        points = sample_residences(grid[grid["kommun_kod"] == code], len(rows), rng)
        km[rows] = road_km(points, tuple(centre), cfg["detour_factor"])
    forms, p = preference_probabilities(km, cfg["meeting_preference"])
    choice = np.array([forms[rng.choice(len(forms), p=row)] for row in p])
    skip = round_half_up(cfg["missing_rate"] * n)
    frame["travel_distance"] = pd.array(distance_band(km), dtype="Int16")
    frame.loc[choose_missing(n, skip, propensity, rng), "travel_distance"] = pd.NA
    frame["preferred_meeting"] = pd.array(choice, dtype="Int16")
    frame.loc[choose_missing(n, skip, propensity, rng), "preferred_meeting"] = pd.NA
