"""The bad-input report: every malformed input the test suite tries, with the message a user sees.

    .venv/bin/python tools/bad_inputs.py          # rewrites docs/bad-inputs.md

Each case builds one bad file (or starts a local HTTP server, or points at a closed port) in a
fresh temporary directory and calls the same reader a ``gino`` command calls. The message lines
are those of the ``GinoError`` it raises, i.e. what the command line prints after ``error: ``;
nothing here is copied from the tests' expected strings. Where the tests keep their bad inputs
in tables (the malformed survey corpus, ``@pytest.mark.parametrize`` lists) or in helpers, they
are imported from the test modules, so a case added there appears here too.

Paths are shown as the messages show them, with the temporary directory replaced by ``<tmp>``
and local ports by ``<port>``, so the report is the same on every run.
``tests/pipeline/test_bad_input_report.py`` checks that the committed report is current.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib.util
import logging
import os
import re
import shutil
import socket
import sys
import tempfile
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The test modules import each other's helpers as top-level modules (``from conftest import ...``),
# as pytest's default import mode makes them; the same names are used here, so in a pytest run
# the modules already imported are reused.
for _path in (ROOT, ROOT / "tests", *sorted(p for p in (ROOT / "tests").iterdir()
                                           if p.is_dir() and p.name not in ("fixtures", "__pycache__"))):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

REPORT = ROOT / "docs" / "bad-inputs.md"
ENVIRONMENT = ("GINO_DATA_DIR", "GINO_CONFIG_DIR", "GINO_MIRROR")


# --- cases ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BadInput:
    category: str
    case: str  # a short name
    input: str  # what is wrong with the input, as a user would describe the file
    run: Callable[[Context], object]  # builds the input in ``ctx.dir`` and calls the reader
    tested: bool = True  # False: the reader has the check but no test tries the input yet


@dataclass(frozen=True)
class Outcome:
    case: BadInput
    error: str  # the exception's class name; "" when nothing was raised
    gino: bool  # a GinoError (shown as message lines, not a traceback)
    problems: tuple[str, ...]  # one entry per problem, as the command line prints them (normalised)
    one_line: bool  # every problem is a single line, and str(error) is the problems joined by newlines

    @property
    def ok(self) -> bool:
        return self.gino and self.one_line and bool(self.problems)


class Context:
    """What a case may use: its own empty directory and a shared local HTTP server."""

    def __init__(self, directory: Path, servers: dict) -> None:
        self.dir = directory
        self._servers = servers
        self._cleared = False

    @property
    def server(self):
        """A pytest-httpserver ``HTTPServer``, started on first use, without the previous case's expectations."""
        if "http" not in self._servers:
            from pytest_httpserver import HTTPServer

            server = HTTPServer()
            server.start()
            self._servers["http"] = server
        server = self._servers["http"]
        if not self._cleared:
            server.clear()
            self._cleared = True
        return server


def params_of(test: Callable) -> list[tuple[str, dict]]:
    """``(id, arguments)`` for each entry of a test's ``@pytest.mark.parametrize`` table."""
    (mark,) = [m for m in getattr(test, "pytestmark", []) if m.name == "parametrize"]
    names, values = mark.args[0], mark.args[1]
    names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
    ids = mark.kwargs.get("ids")
    out = []
    for i, value in enumerate(values):
        pid = None
        if hasattr(value, "marks") and hasattr(value, "values"):  # pytest.param(...)
            pid, value = value.id, value.values
        elif len(names) == 1:
            value = (value,)
        out.append((ids[i] if ids else pid or str(i + 1), dict(zip(names, value))))
    return out


def edit_of(before: str, after: str) -> str:
    """The changed lines of a text edit, as ``old → new``."""
    old, new = before.splitlines(), after.splitlines()
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    show = lambda lines: f"`{' / '.join(line.strip() for line in lines)}`" if lines else "nothing"  # noqa: E731
    return f"{show(removed)} → {show(added)}"


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def raw_snapshot_cases() -> list[BadInput]:
    """tests/public_data/test_bad_inputs.py: the raw public snapshots (CSV tables and GeoPackages)."""
    import test_bad_inputs as t

    from analysis.public_data.sources import (
        read_areas, read_grid_layer, read_kommuner, read_land_use, read_population, read_published_facts,
        read_tatorter,
    )

    cases: list[BadInput] = []

    def add(category, case, what, run, tested=True):
        cases.append(BadInput(category, case, what, run, tested))

    pop = "population CSV"
    known = t.KNOWN

    def population(rows, header=t.POPULATION_HEADER, known=known, **kw):
        return lambda ctx: read_population(t.write_csv(ctx.dir, rows, header=header, **kw), known)

    for pid, a in params_of(t.test_population_bad_cell):
        add(pop, f"bad cell: {pid}", f"row 5 is `{a['bad_row']}`", population([*t.POPULATION_ROWS, a["bad_row"]]))
    first = ["2425,Dorotea,0,män,abc", *t.POPULATION_ROWS[1:]]
    add(pop, "bad cell on the first data row", f"row 2 is `{first[0]}`", population(first))
    add(pop, "duplicated kommun, age and sex", "row 5 repeats kommun 2425, age 0, män of row 2",
        population([*t.POPULATION_ROWS, "2425,Dorotea,0,män,7"]))
    add(pop, "missing column", "no `kon` column",
        population(["2425,Dorotea,0,5"], header="kommun_kod,kommun_namn,alder,folkmangd_2019_12_31"))
    for pid, a in params_of(t.test_population_needs_exactly_one_value_column):
        add(pop, f"population column: {pid}", f"header `{a['header']}`", population([], header=a["header"]))

    def empty_file(ctx):
        (ctx.dir / "population.csv").write_bytes(b"")
        return read_population(ctx.dir / "population.csv", known)

    add(pop, "empty file", "0 bytes", empty_file)
    add(pop, "missing file", "no file at the catalogued path",
        lambda ctx: read_population(ctx.dir / "population.csv", known))
    add(pop, "Windows-1252 text", "saved as Windows-1252 (`män` with byte 0xE4)",
        population(t.POPULATION_ROWS, encoding="cp1252"))
    add(pop, "several problems at once", "rows 2 and 4 with four bad cells",
        population(["2425,Dorotea,0,män,abc", "2425,Dorotea,1,män,5", "2481,Lycksele,101,okänd,-1"]))
    add(pop, "blank line before a bad row", "line 3 blank, line 4 has the value `abc`",
        population([t.POPULATION_ROWS[0], "", "2425,Dorotea,0,kvinnor,abc"]))
    complete = [f"2425,Dorotea,{age},{sex},1" for age in range(101) for sex in ("män", "kvinnor")]
    add(pop, "incomplete download", "kommun 2425 lacks its last row, kommun 2481 is absent",
        population(complete[:-1], known={"2425", "2481"}))
    add(pop, "extra field in a row", "row 3 has six fields under a five-column header",
        population([t.POPULATION_ROWS[0], "2425,Dorotea,0,kvinnor,6,7"]), tested=False)

    land = "land use and areas CSV"

    def csv_reader(read, rows, header, name):
        return lambda ctx: read(t.write_csv(ctx.dir, rows, header, name=name), known)

    add(land, "land use: no total row for a kommun", "kommun 2481 has only a `vatten` row",
        csv_reader(read_land_use, ["2425,Dorotea,total landareal,100", "2481,Lycksele,vatten,50"],
                   t.LAND_USE_HEADER, "land_use.csv"))
    add(land, "land use: not a number", "hektar `12 3` on row 3",
        csv_reader(read_land_use, ["2425,Dorotea,total landareal,100", "2481,Lycksele,total landareal,12 3"],
                   t.LAND_USE_HEADER, "land_use.csv"))
    add(land, "land use: two total rows for one kommun", "rows 3 and 4 are both `total landareal` of 2481",
        csv_reader(read_land_use, ["2425,Dorotea,total landareal,100", "2481,Lycksele,total landareal,50",
                                   "2481,Lycksele,total landareal,60"], t.LAND_USE_HEADER, "land_use.csv"))
    add(land, "areas: missing kommun", "no row for 2481",
        csv_reader(read_areas, ["2425,2799.75,2720.5"], t.AREAS_HEADER, "areas.csv"))
    add(land, "areas: duplicated kommun", "rows 2 and 4 are both 2425",
        csv_reader(read_areas, ["2425,2799.75,2720.5", "2481,5943.19,5595.69", "2425,2799.75,2720.5"],
                   t.AREAS_HEADER, "areas.csv"))
    add(land, "areas: negative land area", "land area `-1` on row 2",
        csv_reader(read_areas, ["2425,2799.75,-1", "2481,5943.19,5595.69"], t.AREAS_HEADER, "areas.csv"))

    gpkg = "GeoPackage layers"

    def layer(read, data, geometry, name, *args, crs="EPSG:3006"):
        return lambda ctx: read(t.write_gpkg(ctx.dir, data, geometry, name, crs=crs), *args)

    lonlat = [t.box(15, 64, 16, 65), t.box(16, 64, 17, 65), t.box(17, 64, 18, 65)]
    add(gpkg, "kommuner: wrong CRS", "layer in EPSG:4326 (longitude/latitude)",
        layer(read_kommuner, t.KOMMUNER, lonlat, "kommuner", crs="EPSG:4326"))
    add(gpkg, "kommuner: no CRS", "layer without a coordinate reference system",
        layer(read_kommuner, t.KOMMUNER, t.SQUARES, "kommuner", crs=None), tested=False)
    add(gpkg, "kommuner: missing layer", "the layer is named `kommun`",
        layer(read_kommuner, t.KOMMUNER, t.SQUARES, "kommun"))
    add(gpkg, "kommuner: missing column", "`namn` instead of `kommun_namn`",
        layer(read_kommuner, {"kommun_kod": t.KOMMUNER["kommun_kod"], "namn": t.KOMMUNER["kommun_namn"]},
              t.SQUARES, "kommuner"))
    add(gpkg, "kommuner: duplicated code", "features 1 and 3 are both 2481",
        layer(read_kommuner, {**t.KOMMUNER, "kommun_kod": ["2481", "2425", "2481"]}, t.SQUARES, "kommuner"))
    add(gpkg, "kommuner: code stored as a number", "kommun_kod as integers, so 0114 became 114",
        layer(read_kommuner, {**t.KOMMUNER, "kommun_kod": [2481, 114, 2422]}, t.SQUARES, "kommuner"))
    for pid, a in params_of(t.test_kommuner_empty_geometry):
        add(gpkg, f"kommuner: {pid} geometry", f"feature 3 has geometry {a['empty']!r}",
            layer(read_kommuner, t.KOMMUNER, [t.SQUARES[0], t.SQUARES[1], a["empty"]], "kommuner"))
    for pid, a in params_of(t.test_kommuner_not_a_geopackage):
        def not_gpkg(ctx, content=a["content"]):
            (ctx.dir / "kommuner.gpkg").write_bytes(content)
            return read_kommuner(ctx.dir / "kommuner.gpkg")
        add(gpkg, f"not a GeoPackage: {pid}", f"`kommuner.gpkg` holds {len(a['content'])} bytes of {pid}",
            not_gpkg)
    add(gpkg, "tätorter: not a point", "feature 2 is a polygon",
        layer(read_tatorter, t.TATORTER, [t.POINTS[0], t.SQUARES[1], t.POINTS[2]], "tatorter_2020", known))
    add(gpkg, "tätorter: negative population", "bef `-5` in feature 2",
        layer(read_tatorter, {**t.TATORTER, "bef": [8000, -5, 1200]}, t.POINTS, "tatorter_2020", known))
    add(gpkg, "tätorter: unknown kommun", "feature 3 in kommun 2422, which is not in the boundary layer",
        layer(read_tatorter, {**t.TATORTER, "kommun_kod": ["2481", "2425", "2422"]}, t.POINTS, "tatorter_2020",
              known))
    for pid, a in params_of(t.test_grid_layer_bad_value):
        data = {k: list(v) for k, v in t.GRID.items()}
        data[a["column"]][1] = a["value"]
        add(gpkg, f"grid: {pid}", f"{a['column']} `{a['value']}` in feature 2",
            layer(read_grid_layer, data, t.SQUARES, "pop_1km_2021", "pop_1km_2021"))
    cells = t.GRID["cell_id"]
    add(gpkg, "grid: duplicated cell", "features 1 and 3 have the same cell_id",
        layer(read_grid_layer, {**t.GRID, "cell_id": [cells[0], cells[1], cells[0]]}, t.SQUARES, "pop_1km_2021",
              "pop_1km_2021"))

    published = "published region facts CSV"
    for pid, a in params_of(t.test_published_figures_file_errors):
        add(published, f"bad {pid}", f"row 2 is `{a['row']}`",
            lambda ctx, row=a["row"]: read_published_facts(t.write_csv(ctx.dir, [row], header=t.PUBLISHED_HEADER,
                                                                        name="region_facts.csv")))
    add(published, "unknown entity", "entity `kommun:9999` (no such kommun)",
        compare_facts("kommun:9999", "population"))
    add(published, "unknown measure", "measure `no_such_measure`", compare_facts("region:gino", "no_such_measure"))
    return cases


def compare_facts(entity: str, measure: str) -> Callable[[Context], object]:
    """tests/public_data/test_cleaning.py's published-figure check, run as the region-facts step runs it: from a file."""
    def run(ctx: Context):
        import test_bad_inputs as t
        import test_cleaning as c

        from analysis.public_data.region_facts import compare_published, region_facts
        from analysis.public_data.sources import read_published_facts

        path = t.write_csv(ctx.dir, [f"f,d,1,,{entity},{measure},approx,0,,s"], header=t.PUBLISHED_HEADER,
                           name="region_facts.csv")
        m = c.municipalities()
        return compare_published(read_published_facts(path), region_facts(m, c.members()), m, source=str(path))
    return run


def survey_corpus_cases() -> list[BadInput]:
    """tests/survey_data/test_malformed_surveys.py: the committed corpus of malformed survey exports."""
    import test_malformed_surveys as t

    from analysis.survey_data.codebooks import load_codebook
    from analysis.survey_data.loading import load_survey

    spec = importlib.util.spec_from_file_location("make_malformed", t.FIXTURES / "make_malformed.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    cases = []
    for case in t.CASES:
        doc = " ".join((generator.BUILDERS[case.file].__doc__ or "").split())
        cases.append(BadInput("survey export", f"`{case.file}`", f"{doc} (codebook {case.dataset})",
                              lambda ctx, c=case: load_survey(t.MALFORMED / c.file, load_codebook(c.dataset))))
    return cases


def survey_config_cases() -> list[BadInput]:
    """tests/survey_data/test_survey_loading.py: more survey exports, codebook mistakes and the survey settings."""
    import test_survey_loading as t

    from analysis.survey_data.codebooks import load_codebook
    from analysis.core.settings import load_survey_settings
    from analysis.survey_data.loading import load_survey

    cases = []
    synthetic = t.synthetic_csv("client_survey_2019").read_text(encoding="utf-8").splitlines()

    def export(lines):
        def run(ctx):
            path = ctx.dir / "export.csv"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return load_survey(path, load_codebook("client_survey_2019"))
        return run

    cases.append(BadInput("survey export", "unnamed column with values",
                          "a trailing separator on every line and a value `x` under it on row 2",
                          export([synthetic[0] + ",", synthetic[1] + ",x", *(s + "," for s in synthetic[2:])])))
    cases.append(BadInput("survey export", "NUL byte", "a NUL byte inside the respondent id on row 2",
                          export([synthetic[0], synthetic[1].replace("syn-", "syn\x00-", 1), synthetic[2]])))

    original = (t.ROOT / "data/raw/codebooks/client_survey_2019.yaml").read_text(encoding="utf-8")
    for pid, a in params_of(t.test_codebook_mistakes_are_one_line):
        edited = a["edit"](original)

        def codebook(ctx, text=edited):
            path = ctx.dir / "client_survey_2019.yaml"
            path.write_text(text, encoding="utf-8")
            return load_codebook(path)
        cases.append(BadInput("survey codebook", f"codebook edit {pid}", edit_of(original, edited), codebook))

    def codebook_without_scales(ctx):
        path = ctx.dir / "client_survey_2019.yaml"
        path.write_text(re.sub(r"(?m)^scales:", "scale:", original), encoding="utf-8")
        return load_codebook(path)
    cases.append(BadInput("survey codebook", "misspelled top-level key", "`scale:` instead of `scales:`",
                          codebook_without_scales, tested=False))

    def settings(text):
        def run(ctx):
            config = ctx.dir / "config"
            config.mkdir()
            (config / "surveys.yaml").write_text(text, encoding="utf-8")
            with environment(GINO_CONFIG_DIR=str(config), GINO_DATA_DIR=str(ctx.dir / "data")):
                return load_survey_settings()
        return run

    cases.append(BadInput("survey settings", "unknown source", "`source: both` in config/surveys.yaml",
                          settings("source: both\n")))
    cases.append(BadInput("survey settings", "real source without a file", "`source: real` and no `real:` files",
                          settings("source: real\n")))

    def real_file_missing(ctx):
        from analysis.steps import surveys as step

        data, config = copy_data(ctx.dir), ctx.dir / "config"
        config.mkdir()
        (config / "surveys.yaml").write_text(
            "source: real\nreal:\n" + "".join(f"  {d}: private/{d}.csv\n" for d in ("innovation_climate_2017",
                                              "client_survey_2018", "client_survey_2019")), encoding="utf-8")
        for d in ("innovation_climate_2017", "client_survey_2018"):
            (data / "raw" / "private").mkdir(parents=True, exist_ok=True)
            shutil.copy(t.synthetic_csv(d), data / "raw" / "private" / f"{d}.csv")
        with environment(GINO_CONFIG_DIR=str(config), GINO_DATA_DIR=str(data)):
            return step.run()
    cases.append(BadInput("survey settings", "configured export missing",
                          "`source: real`, but data/raw/private/client_survey_2019.csv does not exist",
                          real_file_missing))
    return cases


def awkward_corpus_cases() -> list[BadInput]:
    """tests/survey_data/test_awkward_surveys.py: the committed corpus of awkward survey exports."""
    import test_awkward_surveys as t

    from analysis.survey_data.codebooks import load_codebook
    from analysis.survey_data.loading import load_survey

    builders = t.generator().BUILDERS
    return [BadInput("survey export (layout and format)", f"`{case.file}`",
                     f"{' '.join((builders[case.file].__doc__ or '').split())} (codebook {case.dataset})",
                     lambda ctx, c=case: load_survey(t.AWKWARD / c.file, load_codebook(c.dataset)))
            for case in t.CASES]


def config_file_cases() -> list[BadInput]:
    """tests/core/test_config_files.py: hand-edited configuration files and codebooks."""
    import test_config_files as t

    return [BadInput("configuration YAML" if case.file != "codebook" else "survey codebook",
                     f"{case.file if case.file != 'codebook' else 'codebook'}: {case.name}", case.input,
                     lambda ctx, c=case: t.run_config_case(c, ctx.dir))
            for case in t.CONFIG_CASES]


def copy_data(directory: Path) -> Path:
    from conftest import copy_committed_data

    return copy_committed_data(directory / "data")


def other_config_cases() -> list[BadInput]:
    """tests/public_data/test_cleaning.py (regions.yaml), tests/ideas/test_ideas.py (ideas.csv), and the pipeline settings."""
    import test_cleaning as c
    import test_ideas as i

    from analysis.ideas.inventory import read_ideas
    from analysis.public_data.regions import load_regions
    from analysis.core.settings import load_settings

    cases = []
    category = "region configuration"

    def regions(text, known=c.KNOWN, name="regions.yaml"):
        def run(ctx):
            path = ctx.dir / name
            if text is not None:
                path.write_text(text, encoding="utf-8")
            return load_regions(path, known_kommuner=known)
        return run

    cases.append(BadInput(category, "län without kommuner", "`lan: [\"99\"]` with no kommun in län 99",
                          regions('study_region: x\nregions:\n  x:\n    name: X\n    lan: ["99"]\n', {"2425"})))
    for pid, a in params_of(c.test_load_regions_errors_name_file_key_and_value):
        cases.append(BadInput(category, pid, f"`{a['old']}` → `{a['new']}`",
                              regions(c.REGIONS_YAML.replace(a["old"], a["new"]), a["known"])))
    cases.append(BadInput(category, "region without members", "region `sweden` without `all: true`",
                          regions(c.REGIONS_YAML.replace("    all: true\n", ""))))
    cases.append(BadInput(category, "invalid YAML", "an unclosed `[` on line 2",
                          regions("regions:\n  gino: [unclosed\n", None)))
    cases.append(BadInput(category, "missing file", "no regions file", regions(None, None, "missing.yaml")))

    for pid, a in params_of(i.test_malformed_ideas_file):
        cases.append(BadInput("published ideas CSV", pid, "; ".join(f"`{r}`" for r in a["rows"]),
                              lambda ctx, rows=a["rows"]: read_ideas(i.write(ctx.dir, rows))))

    from conftest import CONFIG

    text = (CONFIG / "pipeline.yaml").read_text(encoding="utf-8")

    def settings(edited):
        def run(ctx):
            path = ctx.dir / "pipeline.yaml"
            path.write_text(edited, encoding="utf-8")
            return load_settings(path)
        return run

    without = re.sub(r"(?m)^grid_nearest_max_m:.*\n", "", text)
    cases.append(BadInput("pipeline settings", "missing setting", edit_of(text, without), settings(without),
                          tested=False))
    other = text.replace("grid_reference_layer: pop_1km_2018", "grid_reference_layer: pop_1km_2019")
    cases.append(BadInput("pipeline settings", "reference layer not a grid layer", edit_of(text, other),
                          settings(other), tested=False))
    return cases


def catalog_cases() -> list[BadInput]:
    """tests/public_data/test_fetch.py and tests/pipeline/test_cli.py: the catalog, the mirror and the snapshots in data/raw."""
    from analysis.public_data.catalog import load_catalog
    from analysis.public_data.fetch import fetch_all, fetch_snapshot

    category = "catalog and fetch"

    def with_data(body):
        def run(ctx):
            data = copy_data(ctx.dir)
            with environment(GINO_DATA_DIR=str(data)):
                return body(ctx, data)
        return run

    def mismatch_in_mirror(ctx, data):
        entry = load_catalog()["areas_2015"]
        mirror = ctx.dir / "mirror"
        (mirror / entry.file).parent.mkdir(parents=True)
        (mirror / entry.file).write_text("kommun_kod,total_areal_km2_2015,landareal_km2_2015\n9999,1,1\n")
        return fetch_snapshot(entry, mirror)

    def changed_in_raw(ctx, data):
        entry = load_catalog()["areas_2015"]
        entry.path.parent.mkdir(parents=True, exist_ok=True)
        entry.path.write_text("kommun_kod\n2425\n")
        return fetch_snapshot(entry, ctx.dir)

    def empty_mirror(ctx, data):
        (ctx.dir / "mirror").mkdir()
        return fetch_all(ctx.dir / "mirror")

    def catalog_entry(edit):
        def run(ctx, data):
            meta = data / "raw" / "scb" / "kommuner_folkmangd2016_areal2015_wikipedia.meta.yaml"
            meta.write_text(edit(meta.read_text(encoding="utf-8")), encoding="utf-8")
            return load_catalog()
        return run

    return [
        BadInput(category, "no mirror given", "`gino fetch` without --mirror or GINO_MIRROR",
                 with_data(lambda ctx, data: fetch_all(None))),
        BadInput(category, "mirror directory missing", "--mirror names a directory that does not exist",
                 with_data(lambda ctx, data: fetch_all(ctx.dir / "nowhere"))),
        BadInput(category, "snapshot missing from the mirror", "an empty mirror directory", with_data(empty_mirror)),
        BadInput(category, "checksum mismatch in the mirror", "the mirror's areas file has other content",
                 with_data(mismatch_in_mirror)),
        BadInput(category, "snapshot in data/raw changed", "the areas file in data/raw was edited",
                 with_data(changed_in_raw)),
        BadInput(category, "snapshot not fetched", "`gino build` before `gino fetch` (the grid is missing)",
                 with_data(lambda ctx, data: load_catalog()["population_grid"].verify())),
        BadInput(category, "catalog entry: invalid YAML", "a stray `[` in a `.meta.yaml`",
                 with_data(catalog_entry(lambda s: s.replace("id: areas_2015", "id: [areas_2015"))), tested=False),
        BadInput(category, "catalog entry: missing key", "`sha256:` deleted from a `.meta.yaml`",
                 with_data(catalog_entry(lambda s: re.sub(r"(?m)^sha256:.*\n", "", s))), tested=False),
        BadInput(category, "catalog entry: duplicated id", "two entries with id `land_use_2015`",
                 with_data(catalog_entry(lambda s: s.replace("id: areas_2015", "id: land_use_2015"))),
                 tested=False),
    ]


def pxweb_cases() -> list[BadInput]:
    """tests/public_data/test_pxweb.py: SCB's PxWeb API answering badly, or not at all (a local server stands in)."""
    import test_pxweb as t

    from analysis.public_data.pxweb import fetch_population, write_population_snapshot
    from analysis.public_data.pxweb_transport import PxWebClient

    category = "SCB PxWeb API"

    def client(ctx, **kwargs):
        return PxWebClient(ctx.server.url_for(t.API), **{"retries": 3, "backoff_factor": 0, **kwargs})

    def with_metadata(data=None, **kwargs):
        def run(ctx):
            client_ = client(ctx, **kwargs)
            ctx.server.expect_request(t.METADATA).respond_with_json(t.load("TAB638_metadata.json"))
            if data is not None:
                ctx.server.expect_request(t.DATA, method="POST").respond_with_json(data)
            return fetch_population(2023, client_)
        return run

    def year_not_in_table(ctx):
        client_ = client(ctx)
        ctx.server.expect_request(t.METADATA).respond_with_json(t.load("TAB638_metadata.json"))
        return fetch_population(2019, client_)

    def answer(edit):
        doc = t.load("TAB638_data_2023.json")
        edit(doc)
        return doc

    def status(code, body, **kwargs):
        def run(ctx):
            client_ = client(ctx, **kwargs)
            response = ctx.server.expect_request(t.METADATA)
            if isinstance(body, dict):
                response.respond_with_json(body, status=code)
            else:
                response.respond_with_data(body, status=code, content_type="text/html")
            return client_.get_json("tables/TAB638/metadata")
        return run

    def refused(ctx):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        client_ = PxWebClient(f"http://127.0.0.1:{port}/api/v2/", retries=1, backoff_factor=0, timeout=2)
        return client_.get_json("tables/TAB638/metadata")

    def twice(ctx):
        write_population_snapshot(t.EXPECTED_2023, 2023, ctx.dir, source_url="https://example.test/x")
        return write_population_snapshot(t.EXPECTED_2023, 2023, ctx.dir, source_url="https://example.test/x")

    not_found = {"type": "https://tools.ietf.org/html/rfc7231#section-6.5.1", "title": "Non-existent table",
                 "status": 404}
    return [
        BadInput(category, "year not in the table", "`gino fetch-scb --year 2019`; the table covers 2022–2023",
                 year_not_in_table),
        BadInput(category, "cell limit below one kommun", "a client allowing 10 cells per call",
                 with_metadata(max_cells=10)),
        BadInput(category, "answer without values", "the data answer lacks `value`",
                 with_metadata(answer(lambda d: d.pop("value")))),
        BadInput(category, "answer with too few values", "the data answer's `value` list is one short",
                 with_metadata(answer(lambda d: d["value"].pop()))),
        BadInput(category, "server error", "HTTP 500 with a two-line body on every try (2 retries)",
                 status(500, "boom\ntrace", retries=2)),
        BadInput(category, "client error", "HTTP 404 with an RFC 7807 problem document", status(404, not_found)),
        BadInput(category, "not JSON", "HTTP 200 with an HTML page", status(200, "<html>maintenance</html>"),
                 tested=False),
        BadInput(category, "connection refused", "nothing listens on the port", refused),
        BadInput(category, "snapshot already written", "`gino fetch-scb --year 2023` a second time", twice),
    ]


def all_cases() -> list[BadInput]:
    return [*raw_snapshot_cases(), *survey_corpus_cases(), *awkward_corpus_cases(), *survey_config_cases(),
            *config_file_cases(), *other_config_cases(), *catalog_cases(), *pxweb_cases()]


# --- running them --------------------------------------------------------------------------------

PORT = re.compile(r"\b(localhost|127\.0\.0\.1):\d+")


def normalise(line: str, directory: Path) -> str:
    for prefix in {str(directory.resolve()), str(directory)}:
        line = line.replace(prefix, "<tmp>")
    return PORT.sub(r"\1:<port>", line)


def run_case(case: BadInput, directory: Path, servers: dict) -> Outcome:
    from analysis.core.errors import GinoError, ManyInputErrors

    try:
        case.run(Context(directory, servers))
    except ManyInputErrors as exc:
        problems = list(exc.problems)
        one_line = str(exc) == "\n".join(problems) and not any("\n" in p or "\r" in p for p in problems)
        return Outcome(case, type(exc).__name__, True, tuple(normalise(p, directory) for p in problems), one_line)
    except GinoError as exc:
        message = str(exc)
        one_line = "\n" not in message and "\r" not in message
        return Outcome(case, type(exc).__name__, True, (normalise(message, directory),), one_line)
    except Exception as exc:  # a crash: the user would see this traceback
        lines = traceback.format_exception(exc)
        return Outcome(case, type(exc).__name__, False, (normalise("".join(lines), directory),), False)
    return Outcome(case, "", False, (), True)


def collect() -> list[Outcome]:
    """Run every case from the repository root (messages show paths relative to it), each in its own directory."""
    cwd = os.getcwd()
    from conftest import CONFIG  # a pristine copy of config/: the report must not depend on the user's settings

    saved = {k: os.environ.pop(k) for k in ENVIRONMENT if k in os.environ}
    os.environ["GINO_CONFIG_DIR"] = str(CONFIG)
    servers: dict = {}
    outcomes = []
    server_log = logging.getLogger("werkzeug")
    level = server_log.level
    try:
        os.chdir(ROOT)
        server_log.setLevel(logging.ERROR)  # the local server's access log is noise here
        with tempfile.TemporaryDirectory(prefix="gino-bad-inputs-") as tmp, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. pyogrio writing the layer without a CRS
            for number, case in enumerate(all_cases(), start=1):
                directory = Path(tmp) / f"case-{number:03d}"
                directory.mkdir()
                outcomes.append(run_case(case, directory, servers))
    finally:
        for server in servers.values():
            server.clear()
            server.stop()
        server_log.setLevel(level)
        os.chdir(cwd)
        os.environ.pop("GINO_CONFIG_DIR", None)
        os.environ.update(saved)
    return outcomes


# --- the report ----------------------------------------------------------------------------------

def text(value: str) -> str:
    """Plain text for a Markdown table cell, shown literally."""
    for old, new in (("\\", "\\\\"), ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("*", "\\*")):
        value = value.replace(old, new)
    return value


def code(value: str) -> str:
    """``value`` as inline code in a table cell: everything literal but the table's pipe."""
    value = value.replace("|", "\\|")
    fence = "``" if "`" in value else "`"
    return f"{fence} {value} {fence}" if fence == "``" or value.startswith(" ") or value.endswith(" ") \
        else f"{fence}{value}{fence}"


def describe(value: str) -> str:
    """A case's name or description: its `code` spans kept as code, the rest escaped as text."""
    parts = re.split(r"(`[^`]+`)", value)
    return "".join(code(p[1:-1]) if p.startswith("`") and p.endswith("`") else text(p) for p in parts)


def message(outcome: Outcome) -> str:
    if not outcome.error:
        return "**no error: the input was accepted**"
    if not outcome.gino:
        return f"**crash ({text(outcome.error)}), traceback:**<br>" + "<br>".join(
            code(line) for line in outcome.problems[0].splitlines() if line.strip())
    # A problem spread over several lines (a bug) is shown with ⏎ where its line breaks are.
    return "<br>".join(code(p.replace("\r", "").replace("\n", " ⏎ ")) for p in outcome.problems)


def render(outcomes: list[Outcome]) -> str:
    categories = list(dict.fromkeys(o.case.category for o in outcomes))
    untested = sum(not o.case.tested for o in outcomes)
    bad = [o for o in outcomes if not o.ok]
    lines = [
        "# Bad-input report",
        "",
        "Every malformed input the test suite tries — raw public snapshots, survey exports, codebooks and "
        "configuration files, the catalog and mirror, and SCB's PxWeb API — with the message the user sees. "
        "The command line prints each message line after `error: ` and exits with status 1.",
        "",
        "This file is generated; do not edit it. Regenerate it after changing a message or adding a case:",
        "",
        "```sh",
        ".venv/bin/python tools/bad_inputs.py",
        "```",
        "",
        "`tools/bad_inputs.py` builds each input in a temporary directory (shown as `<tmp>`; local ports as "
        "`<port>`) and runs it through the reader the `gino` commands call; the survey corpus is "
        "`tests/fixtures/surveys/malformed/`. `tests/pipeline/test_bad_input_report.py` fails when this file is out of date. "
        "Cases marked † are checked by a reader but not yet tried by any test.",
        "",
        "| # | category | case | message shown to the user |",
        "|---:|---|---|---|",
    ]
    for number, o in enumerate(outcomes, start=1):
        name = describe(o.case.case) + ("&nbsp;†" if not o.case.tested else "")
        lines.append(f"| {number} | {text(o.case.category)} | **{name}**: {describe(o.case.input)} | {message(o)} |")
    lines += [
        "",
        f"{len(outcomes)} cases in {len(categories)} categories ({', '.join(categories)}); "
        f"{len(outcomes) - untested} tried by the test suite, {untested} marked †; "
        f"{sum(len(o.problems) for o in outcomes if o.gino)} message lines in all. "
        + (f"{len(bad)} case(s) did not end in a one-line-per-problem message: "
           + ", ".join(f"#{outcomes.index(o) + 1}" for o in bad) + "." if bad
           else "Every case ends in a one-line-per-problem message, without a traceback."),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    outcomes = collect()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(render(outcomes), encoding="utf-8")
    bad = [o for o in outcomes if not o.ok]
    print(f"wrote {REPORT.relative_to(ROOT)}: {len(outcomes)} cases; {len(bad)} without a one-line message")
    for o in bad:
        print(f"  {o.case.category} / {o.case.case}: {o.error or 'no error'}", file=sys.stderr)


if __name__ == "__main__":
    main()
