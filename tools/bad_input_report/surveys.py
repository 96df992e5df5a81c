"""Bad survey exports (the malformed, awkward and real-format corpora), codebook mistakes and survey settings
(tests/survey_data/)."""

from __future__ import annotations

import importlib.util
import re
import shutil

from bad_input_report.base import BadInput, copy_data, edit_of, environment, params_of


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

    from conftest import DATA

    original = (DATA / "raw/codebooks/client_survey_2019.yaml").read_text(encoding="utf-8")
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
    import test_real_formats as r

    for pid, a in params_of(r.test_a_windows_path_in_the_survey_settings_is_explained):
        cases.append(BadInput("survey settings", f"export path: {pid}", f"`client_survey_2018: '{a['written']}'`",
                              settings("source: real\nreal:\n  innovation_climate_2017: private/a.csv\n"
                                       f"  client_survey_2018: '{a['written']}'\n  client_survey_2019: private/c.csv\n")))
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


def export_corpus_cases() -> list[BadInput]:
    """tests/survey_data/test_export_corpus.py: the committed corpus of real-format export accidents (issue 23)."""
    import test_export_corpus as t

    from analysis.survey_data.codebooks import load_codebook
    from analysis.survey_data.loading import load_survey

    builders = t.generator().BUILDERS
    return [BadInput("survey export (real-format accidents)", f"`{case.file}`",
                     f"{' '.join((builders[case.file].__doc__ or '').split())} (codebook {case.dataset})",
                     lambda ctx, c=case: load_survey(t.EXPORTS / c.file, load_codebook(c.dataset)))
            for case in t.CASES]
