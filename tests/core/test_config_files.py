"""Hand-edited YAML (config/*.yaml and the survey codebooks): every mistake is one line per problem
naming the file, the key path and what was expected, before anything uses the file.

``CONFIG_CASES`` is also read by tools/bad_inputs.py, so each case appears in docs/bad-inputs.md.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.survey_data.codebooks import load_codebook
from analysis.core.config_schema import check_config_dir
from analysis.core.errors import GinoError, ManyInputErrors
from conftest import CONFIG, DATA

CODEBOOK = DATA / "raw" / "codebooks" / "client_survey_2019.yaml"


@dataclass(frozen=True)
class ConfigCase:
    name: str
    file: str  # a config file name, or "codebook"
    input: str  # what is wrong, for the report
    edit: object  # text -> text (or bytes), or "directory"
    expected: tuple[str, ...]  # fragments, one per expected line (after "<file>")


def sub(old: str, new: str, count: int = 1):
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)
    return edit


def encoded(codec: str, prefix: bytes = b""):
    return lambda text: prefix + text.encode(codec)


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh"))

def _regions_rows() -> dict[str, int]:
    """Rows of config/regions.yaml the expected messages name (the file's comments may grow)."""
    lines = (CONFIG / "regions.yaml").read_text(encoding="utf-8").splitlines()
    return {"gino": next(i for i, line in enumerate(lines, 1) if line == "  gino:"),
            "appended": len(lines) + 1,
            "non_ascii": next(i for i, line in enumerate(lines, 1) if not line.isascii())}


ROWS = _regions_rows()

CONFIG_CASES = [
    ConfigCase("region defined twice", "regions.yaml", "a second `gino:` under `regions`",
               lambda t: t + "  gino:\n    name: Andra\n    kommuner: [\"2480\"]\n",
               (f"row {ROWS['appended']}, key 'gino': expected each key once in its mapping, but 'gino' is also "
                f"on row {ROWS['gino']}",)),
    ConfigCase("quoted boolean", "regions.yaml", '`all: "false"`', sub("    all: true", '    all: "false"'),
               ("key 'regions.sweden.all': value 'false'; expected true or false without quotes",)),
    ConfigCase("kommun codes as numbers", "regions.yaml", "`kommuner: [2417, ...]` without quotes",
               sub('kommuner: ["2417", "2418"', 'kommuner: [2417, "2418"'),
               ("key 'regions.gino.kommuner.0': value 2417; expected text (write it in quotes: \"2417\")",)),
    ConfigCase("list where a mapping belongs", "regions.yaml", "`regions:` as a list of names",
               lambda t: "study_region: gino\nregions:\n  - gino\n  - sweden\n",
               ("key 'regions': expected a mapping (indented key: value lines), not a list",)),
    ConfigCase("empty value", "regions.yaml", "`name:` with nothing after it", sub("name: Sverige", "name:"),
               ("key 'regions.sweden.name': expected a value, but the key is empty",)),
    ConfigCase("misspelled key", "regions.yaml", "`kommunner:` for `kommuner:`", sub("    kommuner:", "    kommunner:"),
               ("key 'regions.gino.kommunner': expected no key 'kommunner' here (allowed: name, description, "
                "kommuner, lan, all); did you mean 'kommuner'?",)),
    ConfigCase("Windows-1252", "regions.yaml", "saved as Windows-1252 (ANSI)", encoded("cp1252"),
               (f"row {ROWS['non_ascii']}: value b'\\xe4'; expected UTF-8 text, but the file looks like "
                "Windows-1252 (ANSI)",)),
    ConfigCase("UTF-16", "regions.yaml", "saved as Notepad's 'Unicode' (UTF-16 with BOM)",
               encoded("utf-16-le", b"\xff\xfe"),
               ("row 1: expected UTF-8 text, but the file is UTF-16 (Notepad's 'Unicode')",)),
    ConfigCase("alias bomb", "regions.yaml", "anchors and aliases expanding to 10^8 values", lambda t: BOMB,
               ("expected YAML that expands to at most 200,000 values",)),
    ConfigCase("huge file", "regions.yaml", "3 MB of comments", lambda t: t + ("# " + "x" * 98 + "\n") * 30_000,
               ("expected a configuration file (regions.yaml) of at most 2 MB, but the file has 3 MB",)),
    ConfigCase("tab indentation", "regions.yaml", "a tab before `name:`", sub("    name: Sverige", "\tname: Sverige"),
               ("expected valid YAML (found character that cannot start any token; YAML indents with spaces, never "
                "tabs)",)),
    ConfigCase("a directory", "regions.yaml", "`regions.yaml` is a directory", "directory",
               ("expected a configuration file (regions.yaml) file, but this path is a directory",)),
    ConfigCase("distance with a unit", "pipeline.yaml", '`grid_nearest_max_m: "20 km"`',
               sub("grid_nearest_max_m: 20000", 'grid_nearest_max_m: "20 km"'),
               ("key 'grid_nearest_max_m': value '20 km'; expected a number, not text (remove the quotes)",)),
    ConfigCase("layers as one string", "pipeline.yaml", "`grid_layers: pop_1km_2018`",
               lambda t: re.sub(r"(?m)^grid_layers:.*$", "grid_layers: pop_1km_2018", t),
               ("key 'grid_layers': value 'pop_1km_2018'; expected a list such as [a, b], not text",)),
    ConfigCase("missing setting", "pipeline.yaml", "no `population_snapshot:`",
               lambda t: re.sub(r"(?m)^population_snapshot:.*\n", "", t),
               ("key 'population_snapshot': expected this key, which is required (it is missing)",)),
    ConfigCase("source capitalised", "surveys.yaml", "`source: Real`", sub("source: synthetic", "source: Real"),
               ("key 'source': value 'Real'; expected one of 'synthetic', 'real'",)),
    ConfigCase("source given twice", "surveys.yaml", "`source: synthetic` and later `source: real`",
               lambda t: t + "source: real\n", ("key 'source': expected each key once in its mapping",)),
    ConfigCase("unknown data set", "surveys.yaml", "`client_survey_2020:` under `real:`",
               lambda t: t + "  client_survey_2020: private/x.csv\n",
               ("key 'real.client_survey_2020': value 'client_survey_2020'; expected one of "
                "'innovation_climate_2017', 'client_survey_2018', 'client_survey_2019'",)),
    ConfigCase("threshold quoted", "disclosure.yaml", '`threshold: "5"`', sub("threshold: 5", 'threshold: "5"'),
               ("key 'threshold': value '5'; expected a whole number, not text (remove the quotes)",)),
    ConfigCase("threshold zero", "disclosure.yaml", "`threshold: 0`", sub("threshold: 5", "threshold: 0"),
               ("key 'threshold': value 0; expected a number greater than or equal to 1",)),
    ConfigCase("seed quoted", "synthetic.yaml", '`seed: "20200401"`', sub("seed: 20200401", 'seed: "20200401"'),
               ("key 'seed': value '20200401'; expected a whole number, not text (remove the quotes)",)),
    ConfigCase("share as percent", "synthetic.yaml", "`missing_rate: 3` (meant 3 %)",
               sub("missing_rate: 0.03", "missing_rate: 3"),
               ("key 'client_survey_2018.missing_rate': value 3; expected a number less than or equal to 1",)),
    ConfigCase("section missing", "synthetic.yaml", "no `client_survey_2019:` section",
               lambda t: t[: t.index("client_survey_2019:")],
               ("key 'client_survey_2019': expected this key, which is required (it is missing)",)),
    ConfigCase("labels as a list", "codebook", "`labels: [Kvinna, Man]` in a scale",
               sub("labels: {1: Kvinna, 2: Man, 3: Annat / vill inte uppge}", "labels: [Kvinna, Man]"),
               ("key 'scales.sex.labels': expected a mapping (indented key: value lines), not a list",)),
    ConfigCase("required quoted", "codebook", '`required: "no"` on a variable',
               sub("    scale: sex\n", '    scale: sex\n    required: "no"\n'),
               ("key 'variables.3.required': value 'no'; expected true or false without quotes",)),
    ConfigCase("misspelled kind", "codebook", "`kind: catgorical`", sub("kind: year", "kind: catgorical"),
               ("key 'variables.2.kind': value 'catgorical'; expected one of 'id', 'municipality', 'year', "
                "'categorical'",)),
    ConfigCase("years not a list", "codebook", "`years: 2019`", sub("years: [2019]", "years: 2019"),
               ("key 'years': value 2019; expected a list such as [a, b], not a number",)),
    ConfigCase("missing codes as text", "codebook", "`codes: [Ej svar]`", sub("codes: [-1, 99]", "codes: [Ej svar]"),
               ("key 'missing.codes.0': value 'Ej svar'; expected a whole number, not text",)),
    # issue 23: mistakes whose cause the message must name
    ConfigCase("kommun code read as octal", "regions.yaml", "`kommuner: [0114, ...]`, a leading zero without quotes",
               sub('kommuner: ["2417", "2418"', 'kommuner: [0114, "2418"'),
               ("key 'regions.gino.kommuner.0': value '0114'; expected text in quotes (\"0114\"): without quotes "
                "YAML reads 0114 as the octal number 76",)),
    ConfigCase("län code read as octal", "regions.yaml", "`lan: [024]` without quotes", sub('lan: ["24"]', "lan: [024]"),
               ("key 'regions.vasterbotten.lan.0': value '024'; expected text in quotes (\"024\"): without quotes YAML "
                "reads 024 as the octal number 20",)),
    ConfigCase("municipality code read as octal", "codebook", '`0114: Upplands Väsby` in the kommun scale, unquoted',
               sub('      "2417": Norsjö\n', '      "2417": Norsjö\n      0114: Upplands Väsby\n'),
               ("key 'scales.kommun': value '0114'; expected a code in quotes (\"0114\"): without quotes YAML reads 0114 "
                "as the octal number 76",)),
    ConfigCase("alias on two questions", "codebook", "`aliases: [fråga 5]` on both contact_ease and information_ease",
               lambda t: t.replace("    label: Lätt att få kontakt med socialsekreteraren\n",
                                   "    label: Lätt att få kontakt med socialsekreteraren\n    aliases: [fråga 5]\n")
               .replace("    label: Lätt att förstå informationen\n",
                        "    label: Lätt att förstå informationen\n    aliases: [Fråga 5]\n"),
               ("key 'variables.information_ease.aliases': value 'Fråga 5'; expected each column name on one variable, "
                "but 'Fråga 5' names both 'contact_ease' and 'information_ease': an export column so named could be "
                "either; keep it on one",)),
    ConfigCase("alias naming another variable", "codebook", "`aliases: [år, kön]` on year, while `kön` is an alias of sex",
               sub("    aliases: [år]\n", "    aliases: [år, kön]\n"),
               ("key 'variables.sex.aliases': value 'kön'; expected each column name on one variable, but 'kön' names "
                "both 'year' and 'sex'",)),
    ConfigCase("alias on two answers", "codebook", "`Vet ej` as an alias of 4 and of 9 in scale ease",
               sub("aliases: {1: [Mycket lätt], 4: [Mycket svårt], 9: [Vet ej]}",
                   "aliases: {1: [Mycket lätt], 4: [Mycket svårt, Vet ej], 9: [Vet ej]}"),
               ("key 'scales.ease': value 'Vet ej'; expected each label or alias on one answer, but 'Vet ej' names both "
                "4 and 9: keep it on one",)),
    ConfigCase("ignored column that is a variable", "codebook", "`ignore_columns: [Kön]`",
               sub("ignore_columns: []", "ignore_columns: [Kön]"),
               ("key 'ignore_columns': value 'Kön'; expected columns that no variable reads, but 'Kön' names the "
                "variable 'sex': remove it from ignore_columns or from the variable",)),
    ConfigCase("codebook in Windows-1252", "codebook", "saved as Windows-1252", encoded("cp1252"),
               ("expected UTF-8 text, but the file looks like Windows-1252 (ANSI)",)),
]


def run_config_case(case: ConfigCase, directory: Path) -> None:
    """Write the edited file into ``directory`` and read it as the pipeline does."""
    if case.file == "codebook":
        path, original = directory / CODEBOOK.name, CODEBOOK.read_text(encoding="utf-8")
    else:
        config = directory / "config"
        shutil.copytree(CONFIG, config)
        path, original = config / case.file, (CONFIG / case.file).read_text(encoding="utf-8")
    if case.edit == "directory":
        path.unlink()
        path.mkdir()
    else:
        edited = case.edit(original)
        path.write_bytes(edited if isinstance(edited, bytes) else edited.encode("utf-8"))
    if case.file == "codebook":
        load_codebook(path)
    else:
        check_config_dir(path.parent)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CONFIG_CASES])
def test_config_mistake_is_one_line_naming_file_key_and_expectation(tmp_path, case):
    with pytest.raises(GinoError) as info:
        run_config_case(case, tmp_path)
    lines = info.value.problems if isinstance(info.value, ManyInputErrors) else [str(info.value)]
    name = CODEBOOK.name if case.file == "codebook" else case.file
    assert len(lines) == len(case.expected), lines
    for line, fragment in zip(lines, case.expected):
        assert "\n" not in line and line.startswith(str(tmp_path)) and name in line.split(",")[0].split(":")[0]
        assert fragment in line, line


def test_committed_config_and_codebooks_pass_their_schemas():
    check_config_dir(CONFIG)
    for path in (DATA / "raw" / "codebooks").glob("*.yaml"):
        load_codebook(path)


def test_every_problem_of_every_config_file_is_reported_at_once(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    (config / "disclosure.yaml").write_text("threshold: '5'\n", encoding="utf-8")
    (config / "regions.yaml").write_text((CONFIG / "regions.yaml").read_text(encoding="utf-8")
                                         .replace("all: true", "all: yes please"), encoding="utf-8")
    with pytest.raises(ManyInputErrors) as info:
        check_config_dir(config)
    assert [line.split(",")[0].rsplit("/", 1)[-1] for line in info.value.problems] == ["regions.yaml",
                                                                                       "disclosure.yaml"]


def test_gino_build_with_broken_config_prints_one_line_per_problem(tmp_path):
    from conftest import copy_committed_data, gino

    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    (config / "regions.yaml").write_bytes((CONFIG / "regions.yaml").read_text(encoding="utf-8")
                                          .replace("    all: true", '    all: "false"').encode("cp1252"))
    (config / "pipeline.yaml").write_text((CONFIG / "pipeline.yaml").read_text(encoding="utf-8")
                                          + "grid_nearest_max_m: 5\n", encoding="utf-8")
    proc = gino("build", data_dir=copy_committed_data(tmp_path / "data"), extra_env={"GINO_CONFIG_DIR": str(config)},
                check=False)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines), proc.stderr
    assert f"regions.yaml, row {ROWS['non_ascii']}" in lines[0] and "Windows-1252" in lines[0]
    assert "pipeline.yaml" in lines[1] and "key 'grid_nearest_max_m': expected each key once" in lines[1]
