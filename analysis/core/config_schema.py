"""Schemas of the hand-edited YAML files (config/*.yaml and the survey codebooks), with pydantic.

Types are strict: ``all: "false"`` (a quoted string) is not a boolean, ``2425`` (a number) is not
a kommun code, and a key the schema does not know is an error (a misspelled key would otherwise
be ignored silently). Every violation becomes one line naming the file, the key path and what was
expected. To add a setting, add a field to the model of its file here.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Literal, Optional, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from analysis.core.errors import ManyInputErrors, format_problem
from analysis.core.files import read_yaml

Model = TypeVar("Model", bound=BaseModel)


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def _pattern(regex: str, expected: str):
    import re

    def check(value: str) -> str:
        if not re.fullmatch(regex, value):
            raise PydanticCustomError("gino_pattern", expected)
        return value
    return AfterValidator(check)


Text = Annotated[str, Field(strict=True)]
Share = Annotated[float, Field(ge=0, le=1)]
Positive = Annotated[int, Field(ge=1)]
KommunCode = Annotated[str, _pattern(r"\d{4}", 'a 4-digit kommun code in quotes, such as "2425"')]
LanCode = Annotated[str, _pattern(r"\d{2}", 'a 2-digit län code in quotes, such as "24"')]


# --- config/regions.yaml (issue 16 adds its keys to Region or RegionsFile) -----------------------

class Region(Strict):
    name: Text
    description: Text = ""
    kommuner: list[KommunCode] = []
    lan: list[LanCode] = []
    all: bool = False


class RegionsFile(Strict):
    study_region: Text
    comparisons: list[Text] = []
    regions: dict[Text, Region]
    map_extent: list[Text] = []                  # region ids the maps show (default: the study region's län)
    reference_town: Optional[KommunCode] = None  # distances are measured to this kommun's centre
    survey_regions: dict[Text, Text] = {}        # survey data set -> region id a real export may cover


# --- config/pipeline.yaml, config/disclosure.yaml, config/surveys.yaml ---------------------------

class PipelineFile(Strict):
    population_snapshot: Text
    grid_layers: list[Text] = Field(min_length=1)
    grid_reference_layer: Text
    grid_nearest_max_m: Annotated[float, Field(ge=0)]


class DisclosureFile(Strict):
    threshold: Positive


class SurveysFile(Strict):
    source: Literal["synthetic", "real"]
    real: Optional[dict[Literal["innovation_climate_2017", "client_survey_2018", "client_survey_2019"],
                        Optional[Text]]] = None


# --- config/synthetic.yaml ----------------------------------------------------------------------

class InnovationTwin(Strict):
    fewest_per_municipality: Positive
    most_per_municipality: Positive
    answered_target: Positive
    answered_range: list[int] = Field(min_length=2, max_length=2)
    dont_know_range: list[int] = Field(min_length=2, max_length=2)
    municipality_sd: Annotated[float, Field(ge=0)]
    role_effect: dict[int, float]
    loading: dict[Literal["capability", "state", "importance", "culture", "organisation"], float]
    top_share_of_positive: Share
    bottom_share_of_negative: Share
    neither_share_of_rest: Share
    state_poor_share_of_rest: list[float] = Field(min_length=2, max_length=2)
    not_important_share: Share


class ClientTwin(Strict):
    """A client survey's twin, anchored to Kolada (analysis/survey_data/synthetic_client.py): respondents and the
    (positive, answered) pairs come from Kolada's values for ``kolada_year``."""
    kolada_year: Annotated[int, Field(ge=2000, le=2100)]
    # municipalities Kolada does not publish (fewer than five respondents): the twin's 1-4, a choice
    kolada_unpublished_respondents: dict[KommunCode, Annotated[int, Field(ge=1, le=4)]] = {}
    dont_know_share_of_unanswered: Share
    sex: dict[int, Share]
    missing_rate: Optional[Share] = None  # blanks on GINO's two added questions, where asked
    travel_questions: bool
    top_share_of_positive: Share
    bottom_share_of_negative: Share
    loading: float
    municipality_sd: Annotated[float, Field(ge=0)]
    detour_factor: Optional[Annotated[float, Field(ge=1)]] = None
    meeting_preference: Optional[dict[int, Annotated[list[float], Field(min_length=2, max_length=2)]]] = None


class SyntheticFile(Strict):
    seed: int
    innovation_climate_2017: InnovationTwin
    client_survey_2018: ClientTwin
    client_survey_2019: ClientTwin


# --- data/raw/codebooks/*.yaml ------------------------------------------------------------------

Code = int | str


class ScaleSpec(Strict):
    labels: dict[Code, Text] = Field(min_length=1)
    dont_know: dict[Code, Text] = {}
    aliases: dict[Code, list[Text]] = {}
    text_codes: bool = False


class VariableSpec(Strict):
    name: Text
    kind: Literal["id", "municipality", "year", "categorical"] = "categorical"
    question: Text = ""
    label: Optional[Text] = None
    scale: Optional[Text] = None
    required: bool = True
    nullable: Optional[bool] = None
    default: Optional[int] = None
    aliases: list[Text] = []
    reconstructed: bool = False
    block: Optional[Text] = None


class MissingSpec(Strict):
    labels: list[Text] = []
    codes: list[int] = []


class CodebookFile(Strict):
    model_config = ConfigDict(strict=True, extra="allow", frozen=True)  # free-text documentation keys

    dataset: Text
    title: Text
    years: list[int] = Field(min_length=1)
    identifiers: dict[Literal["respondent", "municipality", "year", "role"], Text]
    missing: Optional[MissingSpec] = None
    ignore_columns: Optional[list[Text]] = None
    scales: dict[Text, ScaleSpec]
    variables: list[VariableSpec] = Field(min_length=1)


CONFIG_FILES: dict[str, type[BaseModel]] = {
    "regions.yaml": RegionsFile, "pipeline.yaml": PipelineFile, "disclosure.yaml": DisclosureFile,
    "surveys.yaml": SurveysFile, "synthetic.yaml": SyntheticFile,
}


# --- validation and messages ---------------------------------------------------------------------

def validated(path: Path, model: type[Model], what: str, doc: dict | None = None) -> Model:
    """``path`` read (or ``doc`` as read from it) and checked against ``model``; all problems at once."""
    doc = read_yaml(path, what) if doc is None else doc
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise ManyInputErrors(problems(path, exc, model)) from None


def problems(path: Path, exc: ValidationError, model: type[BaseModel]) -> list[str]:
    lines = []
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"] if not str(part).startswith(("function-", "lax-", "strict-"))
               and str(part) not in ("int", "str", "list[float]", "[key]")]
        key = ".".join(loc) or None
        expected, value = _expected(error, model, loc)
        lines.append(format_problem(path, expected, key=key, value=value))
    return list(dict.fromkeys(lines))


def _allowed_keys(model: type[BaseModel], loc: list[str]) -> list[str]:
    """The keys the schema allows where ``loc`` points (for the 'did you mean' of an unknown key)."""
    current = model
    for part in loc[:-1]:
        field = current.model_fields.get(part) if isinstance(current, type) else None
        if field is None:
            continue
        annotation = field.annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            inner = getattr(candidate, "__args__", (candidate,))[-1]
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                current = inner
                break
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                current = candidate
                break
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _expected(error: dict, model: type[BaseModel], loc: list[str]) -> tuple[str, object]:
    kind, value = error["type"], error.get("input")
    shown = value if isinstance(value, (str, int, float, bool)) else None
    if kind == "missing":
        return "this key, which is required (it is missing)", None
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc)
        close = difflib.get_close_matches(loc[-1], allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"no key {loc[-1]!r} here (allowed: {', '.join(allowed)}){hint}", None
    if value is None:
        return "a value, but the key is empty", None
    if kind == "bool_type":
        return ("true or false without quotes (a quoted value is text, not a yes/no)" if isinstance(value, str)
                else "true or false"), shown
    if kind == "string_type":
        if hasattr(value, "text"):  # config_yaml.OctalNumber: 0114 read as octal 76
            return (f'text in quotes ("{value.text}"): without quotes YAML reads {value.text} as the octal number '
                    f"{int(value)}"), value.text
        quote = f' (write it in quotes: "{value}")' if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else ""
        return f"text{quote}, not {_kind_of(value)}", shown
    if kind in ("int_type", "int_from_float"):
        return f"a whole number, not {_kind_of(value)}" + (" (remove the quotes)" if isinstance(value, str) else ""), \
            shown
    if kind == "float_type":
        return f"a number, not {_kind_of(value)}" + (" (remove the quotes)" if isinstance(value, str) else ""), shown
    if kind == "dict_type":
        return f"a mapping (indented key: value lines), not {_kind_of(value)}", shown
    if kind == "list_type":
        return f"a list such as [a, b], not {_kind_of(value)}", shown
    if kind == "gino_pattern":
        return error["msg"], shown
    message = error["msg"]
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        message = "a number " + message.removeprefix("Input should be ")
    if kind == "literal_error":
        message = "one of " + message.removeprefix("Input should be ").replace(" or ", ", ")
    for prefix in ("Input should be ", "Value error, "):
        message = message.removeprefix(prefix)
    return message[:1].lower() + message[1:], shown


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def check_config_dir(directory: Path) -> None:
    """Every known file in ``directory`` (config/) against its schema; all problems of all files at once."""
    lines: list[str] = []
    for name, model in CONFIG_FILES.items():
        path = directory / name
        try:
            validated(path, model, f"configuration file ({name})")
        except ManyInputErrors as exc:
            lines += exc.problems
        except Exception as exc:  # noqa: BLE001 - InputError: one line already
            from analysis.core.errors import GinoError

            if not isinstance(exc, GinoError):
                raise
            lines.append(str(exc))
    if lines:
        raise ManyInputErrors(lines)
