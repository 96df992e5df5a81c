"""The synthetic survey twin: respondent-level files that reproduce every published survey figure.

Marginals come from the report (``data/raw/published/survey_figures.csv``), reconciled into
whole-respondent counts by ``analysis.survey_data.reconcile``. Everything else is invented and declared
in ``config/synthetic.yaml``:

* answers correlate through a latent respondent score (municipality effect + role effect
  + noise); within each question the respondents with the highest item score get the best
  answers, so the published counts hold exactly while answers hang together;
* municipality sizes follow population within the published range;
* the client surveys 2018 and 2019 are anchored to Kolada's real published results
  (``analysis.survey_data.synthetic_client``); the travel distance and meeting form of 2018 stay invented
  (``analysis.survey_data.synthetic_travel``).

``write_twin`` writes the files into ``data/raw/synthetic/`` with a fixed seed: the same
inputs and configuration give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import paths
from analysis.survey_data.codebooks import Codebook
from analysis.core.errors import GinoError
from analysis.core.settings import SYNTHETIC_DIR, synthetic_file
from analysis.survey_data.allocation import allocate, assign_answers, choose_missing, split
from analysis.survey_data.reconcile import Question, Solution, solve
from analysis.survey_data.published import Share, codes_of

NOTICE = ("SYNTETISKA DATA – genererade av analysis/synthetic.py; återger rapportens publicerade siffror "
          "men är inte GINO-studiens svar.")


def _figures_for(figures: pd.DataFrame, dataset: str, variable: str) -> pd.DataFrame:
    return figures[(figures["dataset"] == dataset) & (figures["variable"] == variable)]


def _positive(solution: Solution, figures: pd.DataFrame, codes: list[int]) -> int:
    """The solved count of a figure whose codes are exactly ``codes``."""
    by_id = figures.set_index("figure_id")
    for fid, k in solution.counts.items():
        if codes_of(by_id.loc[fid, "codes"]) == codes:
            return k
    raise KeyError(codes)


# ---------------------------------------------------------------- innovation-climate survey

def innovation_counts(variable, block: str, solution: Solution, figures: pd.DataFrame, cfg: dict) -> list[tuple[int, int]]:
    """Counts per answer code, best first, for one innovation-survey question."""
    n = solution.substantive
    if block == "capability":
        good = _positive(solution, figures, [4, 5])
        poor = _positive(solution, figures, [1, 2])
        very_good, fairly_good = split(good, cfg["top_share_of_positive"])
        very_poor, fairly_poor = split(poor, cfg["bottom_share_of_negative"])
        return [(5, very_good), (4, fairly_good), (3, n - good - poor), (2, fairly_poor), (1, very_poor)]
    if block == "state":
        good = _positive(solution, figures, [3])
        a, b = cfg["state_poor_share_of_rest"]
        poor, neither = split(n - good, a + b * (1 - good / n))
        return [(3, good), (2, neither), (1, poor)]
    if block == "importance":
        important = _positive(solution, figures, [3])
        not_important, neither = split(n - important, cfg["not_important_share"])
        return [(3, important), (2, neither), (1, not_important)]
    positive = _positive(solution, figures, [1, 2])
    very, fairly = split(positive, cfg["top_share_of_positive"])
    neither, negative = split(n - positive, cfg["neither_share_of_rest"])
    very_low, fairly_low = split(negative, cfg["bottom_share_of_negative"])
    return [(1, very), (2, fairly), (3, neither), (4, fairly_low), (5, very_low)]


def generate_innovation(codebook: Codebook, figures: pd.DataFrame, cfg: dict, population: pd.Series,
                        rng: np.random.Generator) -> tuple[pd.DataFrame, list[Solution]]:
    """The innovation-climate survey: respondents, municipalities, roles and every answer."""
    dataset = codebook.dataset
    figs = figures[figures["dataset"] == dataset].set_index("figure_id")
    n = int(figs.loc["inn_respondents", "published_value"])
    role_counts = {code: int(figs.loc[fid, "published_value"])
                   for code, fid in ((1, "inn_politicians"), (2, "inn_managers"), (3, "inn_staff"))}
    no_role = int(figs.loc["inn_no_role", "published_value"])
    if sum(role_counts.values()) + no_role != n:
        raise GinoError("the published role counts do not add up to the published number of respondents")

    per_kommun = allocate(n, population[list(codebook.municipalities)], cfg["fewest_per_municipality"],
                          cfg["most_per_municipality"])
    kommun = np.repeat(per_kommun.index.to_numpy(), per_kommun.to_numpy())
    roles = np.array([c for c, k in role_counts.items() for _ in range(k)] + [0] * no_role)
    roles = roles[rng.permutation(n)]
    effect = dict(zip(per_kommun.index, rng.normal(0, cfg["municipality_sd"], len(per_kommun))))
    role_effect = {int(k): v for k, v in cfg["role_effect"].items()}
    latent = (np.array([effect[k] for k in kommun]) + np.array([role_effect.get(r, 0.0) for r in roles])
              + rng.standard_normal(n))
    propensity = rng.beta(0.6, 4.0, n) + 1e-3  # a few respondents skip much, most skip little

    frame = pd.DataFrame({
        "respondent_id": [f"syn-2017-{i:03d}" for i in range(1, n + 1)],
        "kommun": kommun,
        "year": codebook.years[0],
        "role": pd.array([r if r else pd.NA for r in roles], dtype="Int16"),
    })
    solutions = []
    for v in codebook.variables:
        if v.scale is None or v.kind != "categorical" or v.name == "role":
            continue
        block = v.block or "capability"
        has_dont_know = bool(v.scale.dont_know)
        question = Question(dataset, v.name, tuple(v.scale.labels), tuple(cfg["answered_range"]),
                            cfg["answered_target"], tuple(cfg["dont_know_range"]) if has_dont_know else (0, 0))
        solution = solve(question, _figures_for(figures, dataset, v.name))
        solutions.append(solution)
        answering = ~choose_missing(n, n - solution.answered, propensity, rng)
        counts = innovation_counts(v.name, block, solution, figures, cfg)
        dont_know = (next(iter(v.scale.dont_know)), solution.dont_know) if has_dont_know else None
        frame[v.name] = assign_answers(latent, cfg["loading"][block], counts, answering, dont_know, rng)
    return frame, solutions


# ---------------------------------------------------------------- files

def synthetic_config_path() -> Path:
    return paths.config_dir() / "synthetic.yaml"


def generate_twin() -> tuple[dict[str, pd.DataFrame], list[Solution], pd.DataFrame]:
    """All three synthetic data sets, the reconciled counts, and their check against the published figures."""
    import geopandas as gpd

    from analysis.survey_data.codebooks import load_codebooks
    from analysis.core.files import read_yaml
    from analysis.core.settings import load_settings
    from analysis.core.settings import reference_year
    from analysis.survey_data.published import compare_published_surveys, read_published_survey_figures
    from analysis.survey_data.synthetic_client import generate_client_anchored, kolada_client_values
    from analysis.survey_data.synthetic_travel import add_travel

    cfg = read_yaml(synthetic_config_path(), "synthetic-twin configuration")
    codebooks = load_codebooks()
    figures = read_published_survey_figures(paths.published_dir() / "survey_figures.csv", set(codebooks))
    needed = [paths.processed("municipalities.csv"), paths.processed("population_grid.parquet")]
    if not all(p.exists() for p in needed):
        raise GinoError(f"{needed[0].parent}: the synthetic twin needs the public data built first; run 'gino build'")
    municipalities = pd.read_csv(needed[0], dtype={"kommun_kod": str}).set_index("kommun_kod")
    ref_year = reference_year(load_settings().grid_reference_layer)
    grid = gpd.read_parquet(needed[1])
    grid = grid[grid["ref_year"] == ref_year]
    population = municipalities["population"]
    streams = {name: np.random.default_rng([int(cfg["seed"]), i]) for i, name in enumerate(codebooks)}

    frames, solutions = {}, []
    name = "innovation_climate_2017"
    frames[name], s = generate_innovation(codebooks[name], figures, cfg[name], population, streams[name])
    solutions += s
    kolada = kolada_client_values()
    for name in ("client_survey_2018", "client_survey_2019"):
        rng = streams[name]
        frames[name], s, _ = generate_client_anchored(codebooks[name], figures, cfg[name],
                                                      kolada(int(cfg[name]["kolada_year"])), rng)
        solutions += s
        if cfg[name].get("travel_questions"):
            add_travel(frames[name], cfg[name], rng.beta(0.6, 4.0, len(frames[name])) + 1e-3, rng, grid,
                       municipalities)
        frames[name] = frames[name][[v.name for v in codebooks[name].variables]]
    comparison = compare_published_surveys(figures, frames, codebooks, data_source="synthetic")
    return frames, solutions, comparison


def write_twin() -> list[Path]:
    """Generate the twin and write it into ``data/raw/synthetic`` (and the reconciliations beside the
    published figures); nothing is written unless every published figure is reproduced."""
    import yaml

    from analysis.public_data.catalog import load_catalog
    from analysis.core.files import sha256_file, write_csv, write_text
    from analysis.survey_data.reconcile import reconciliation_records
    from analysis.survey_data.published import read_published_survey_figures

    frames, solutions, comparison = generate_twin()
    figures = read_published_survey_figures(paths.published_dir() / "survey_figures.csv")
    from analysis.survey_data.synthetic_client import kolada_poster_conflicts

    conflicts = kolada_poster_conflicts(figures)
    failed = comparison[~comparison["passed"] & ~comparison["figure_id"].isin(list(conflicts))]
    if len(failed):
        raise GinoError("the synthetic twin does not reproduce " + ", ".join(failed["figure_id"])
                        + "; change config/synthetic.yaml")
    written = []
    for name, frame in frames.items():
        dest = paths.raw(synthetic_file(name))
        write_csv(dest, frame)
        written.append(dest)
    reconciliations = paths.published_dir() / "survey_reconciliations.csv"
    write_csv(reconciliations, reconciliation_records(solutions, figures))
    written.append(reconciliations)

    catalog = load_catalog()
    inputs = [paths.published_dir() / "survey_figures.csv", synthetic_config_path(),
              *sorted((paths.raw_dir() / "codebooks").glob("*.yaml"))]
    manifest = {
        "notice": NOTICE,
        "generator": "analysis/synthetic.py (gino synthesize)",
        "seed": read_yaml_seed(),
        "description": ("Synthetic survey microdata. The client surveys 2018 and 2019 match Kolada's real published "
                        "results (respondents per municipality, and per municipality and item a count Kolada's "
                        "value allows); every figure the GINO report publishes about the surveys is reproduced "
                        "except those no Kolada-consistent data can give (listed under kolada_conflicts; see "
                        "data/processed/published_survey_figures_comparison.csv). The joint structure, the "
                        "innovation survey's municipality sizes, 'vet inte' against blanks, travel distance and "
                        "meeting form are assumptions declared in config/synthetic.yaml."),
        "kolada_conflicts": conflicts,
        "inputs": {_portable(p): sha256_file(p) for p in inputs},
        "public_snapshots": {i: catalog[i].sha256 for i in sorted(catalog)},
        "outputs": {str(p.relative_to(paths.raw_dir())): {"sha256": sha256_file(p), "rows": len(frames[n])}
                    for n, p in zip(frames, written)},
    }
    dest = paths.raw(f"{SYNTHETIC_DIR}/manifest.yaml")
    write_text(dest, "# Written by `gino synthesize`; do not edit.\n"
               + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=100))
    return [*written, dest]


def read_yaml_seed() -> int:
    from analysis.core.files import read_yaml

    return int(read_yaml(synthetic_config_path(), "synthetic-twin configuration")["seed"])


def _portable(path: Path) -> str:
    """``data/…`` or ``config/…``: the same text wherever the data and config directories live."""
    for base, name in ((paths.data_dir(), "data"), (paths.config_dir(), "config")):
        if path.is_relative_to(base):
            return f"{name}/{path.relative_to(base)}"
    return path.name
