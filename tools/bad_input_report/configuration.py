"""Hand-edited configuration: config/*.yaml, the codebooks' schema, config/regions.yaml, the published ideas and
the pipeline settings (tests/core/test_config_files.py, tests/public_data/, tests/ideas/)."""

from __future__ import annotations

import re

from bad_input_report.base import BadInput, edit_of, params_of


def config_file_cases() -> list[BadInput]:
    """tests/core/test_config_files.py: hand-edited configuration files and codebooks."""
    import test_config_files as t

    return [BadInput("configuration YAML" if case.file != "codebook" else "survey codebook",
                     f"{case.file if case.file != 'codebook' else 'codebook'}: {case.name}", case.input,
                     lambda ctx, c=case: t.run_config_case(c, ctx.dir))
            for case in t.CONFIG_CASES]


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
    import test_regions_config as r

    for pid, a in params_of(r.test_mistakes_in_the_new_keys_are_one_line):
        if a["column"] == "map_extent" and "outside them" in a["expected"]:
            cases.append(BadInput(category, f"study region outside map_extent: {pid}",
                                  f"`map_extent: {a['changes']['map_extent']}`; the study region has kommuner 0101 "
                                  "and 0201", lambda ctx, changes=a["changes"]: r.parse(**changes)))
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


