"""Survey codebooks: variables, Swedish question texts and answer scales, from ``data/raw/codebooks/*.yaml``.

A codebook is data, not code: a researcher whose export names a column differently, or
labels an answer differently, adds an alias to the codebook and reruns the build.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.core.config_schema import CodebookFile, validated
from analysis.core.files import read_yaml
from analysis.core.settings import DATASETS

KINDS = ("id", "municipality", "year", "categorical")


def normalise(text: object) -> str:
    """Text as compared with codebook labels: NFC, no surrounding or repeated spaces, case-folded."""
    s = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip().casefold()


@dataclass(frozen=True)
class Scale:
    """Answer codes with their Swedish labels; ``dont_know`` codes are answers, not missing values."""

    id: str
    labels: dict[int | str, str]
    dont_know: dict[int | str, str] = field(default_factory=dict)
    aliases: dict[int | str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def all_labels(self) -> dict[int | str, str]:
        return {**self.labels, **self.dont_know}

    def lookup(self) -> dict[str, int | str]:
        """Normalised code text, label and alias -> code."""
        table: dict[str, int | str] = {}
        for code, label in self.all_labels.items():
            table[normalise(code)] = code
            if isinstance(code, str) and code.isdigit():  # '0685' read as a number (or by Excel) is 685
                table[str(int(code))] = code
            table[normalise(label)] = code
            for alias in self.aliases.get(code, ()):
                table[normalise(alias)] = code
        return table

    def describe(self, limit: int = 12) -> str:
        items = [f"{code} {label!r}" for code, label in self.all_labels.items()]
        shown = ", ".join(items[:limit]) + (", …" if len(items) > limit else "")
        return f"a code or label of scale '{self.id}' ({shown})"


@dataclass(frozen=True)
class Variable:
    name: str
    kind: str
    question: str
    label: str = ""            # short Swedish label for tables and figures
    scale: Scale | None = None
    required: bool = True      # the column must be present in the export
    nullable: bool = True      # a respondent may leave it empty
    default: int | None = None  # value used when an optional column is absent
    aliases: tuple[str, ...] = ()
    reconstructed: bool = False
    block: str | None = None


@dataclass(frozen=True)
class Codebook:
    dataset: str
    title: str
    path: Path
    years: tuple[int, ...]
    variables: tuple[Variable, ...]
    missing_labels: tuple[str, ...]
    missing_codes: tuple[int, ...]
    ignore_columns: tuple[str, ...]
    identifiers: dict[str, str]
    doc: dict

    def variable(self, name: str) -> Variable:
        for v in self.variables:
            if v.name == name:
                return v
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [v.name for v in self.variables]

    def block(self, block: str) -> list[Variable]:
        """The variables of one question block (for example ``state`` or ``culture``), in questionnaire order."""
        return [v for v in self.variables if v.block == block]

    def label(self, name: str, code) -> str:
        scale = self.variable(name).scale
        return scale.all_labels[code] if scale else str(code)

    @property
    def municipalities(self) -> dict[str, str]:
        scale = self.variable(self.identifiers["municipality"]).scale
        return {str(code): label for code, label in scale.labels.items()}


def codebook_dir() -> Path:
    return paths.raw_dir() / "codebooks"


def load_codebook(dataset_or_path: str | Path) -> Codebook:
    """Read and check one codebook; every structural mistake is a one-line ``InputError``."""
    path = Path(dataset_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = codebook_dir() / f"{dataset_or_path}.yaml"
    doc = read_yaml(path, "survey codebook")
    validated(path, CodebookFile, "survey codebook", doc)  # shapes and types; the checks below are semantic
    scales = {sid: _scale(path, sid, spec) for sid, spec in doc["scales"].items()}
    variables = tuple(_variable(path, spec, scales) for spec in doc["variables"])
    names = [v.name for v in variables]
    for name in names:
        if names.count(name) > 1 or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise InputError(path, "unique snake_case variable names", key="variables", value=name)
    _check_names(path, variables, tuple(str(x) for x in doc.get("ignore_columns", []) or []))
    for role, name in doc["identifiers"].items():
        if name not in names:
            raise InputError(path, f"an identifier naming one of the variables", key=f"identifiers.{role}",
                             value=name)
    missing = doc.get("missing", {}) or {}
    return Codebook(
        dataset=str(doc["dataset"]), title=str(doc["title"]), path=path,
        years=tuple(int(y) for y in doc["years"]), variables=variables,
        missing_labels=tuple(str(x) for x in missing.get("labels", [])),
        missing_codes=tuple(int(x) for x in missing.get("codes", [])),
        ignore_columns=tuple(str(x) for x in doc.get("ignore_columns", []) or []),
        identifiers={str(k): str(v) for k, v in doc["identifiers"].items()}, doc=doc,
    )


def _check_names(path: Path, variables: tuple[Variable, ...], ignored: tuple[str, ...]) -> None:
    """A column name must lead to one variable: an alias (or name) on two variables, or a scale's label or alias
    on two answers, would be read as whichever comes last; an ignored column must not be a variable's."""
    owner: dict[str, str] = {}
    for v in variables:
        for alias in (v.name, *v.aliases):
            key = normalise(alias)
            if owner.get(key, v.name) != v.name:
                raise InputError(path, f"each column name on one variable, but {alias!r} names both {owner[key]!r} "
                                       f"and {v.name!r}: an export column so named could be either; keep it on one",
                                 key=f"variables.{v.name}.aliases", value=alias)
            owner[key] = v.name
    for column in ignored:
        if normalise(column) in owner:
            raise InputError(path, f"columns that no variable reads, but {column!r} names the variable "
                                   f"{owner[normalise(column)]!r}: remove it from ignore_columns or from the variable",
                             key="ignore_columns", value=column)
    for scale in {v.scale.id: v.scale for v in variables if v.scale is not None}.values():
        meaning: dict[str, object] = {}
        for code, label in scale.all_labels.items():
            for text in (label, *scale.aliases.get(code, ())):
                key = normalise(text)
                if meaning.get(key, code) != code:
                    raise InputError(path, f"each label or alias on one answer, but {text!r} names both {meaning[key]} "
                                           f"and {code}: keep it on one", key=f"scales.{scale.id}", value=text)
                meaning[key] = code


def load_codebooks() -> dict[str, Codebook]:
    return {name: load_codebook(name) for name in DATASETS}


def _scale(path: Path, sid: str, spec: dict) -> Scale:
    if not isinstance(spec, dict) or "labels" not in spec:
        raise InputError(path, "a scale with 'labels' (code: label)", key=f"scales.{sid}")
    text_codes = spec.get("text_codes", False)

    def code(value):
        if text_codes and hasattr(value, "text"):  # config_yaml.OctalNumber: 0114 read as octal 76
            raise InputError(path, f'a code in quotes ("{value.text}"): without quotes YAML reads {value.text} as the '
                                   f"octal number {int(value)}", key=f"scales.{sid}", value=value.text)
        return str(value) if text_codes else int(value)

    try:
        labels = {code(k): str(v) for k, v in spec["labels"].items()}
        dont_know = {code(k): str(v) for k, v in (spec.get("dont_know") or {}).items()}
        aliases = {code(k): tuple(str(a) for a in v) for k, v in (spec.get("aliases") or {}).items()}
    except (TypeError, ValueError):
        raise InputError(path, "integer answer codes (or text_codes: true)", key=f"scales.{sid}") from None
    return Scale(id=sid, labels=labels, dont_know=dont_know, aliases=aliases)


def _variable(path: Path, spec: dict, scales: dict[str, Scale]) -> Variable:
    name = str(spec.get("name", ""))
    kind = str(spec.get("kind", "categorical"))
    if kind not in KINDS:
        raise InputError(path, f"a kind among {', '.join(KINDS)}", key=f"variables.{name}.kind", value=kind)
    scale = None
    if "scale" in spec:
        if spec["scale"] not in scales:
            raise InputError(path, "a scale defined under 'scales'", key=f"variables.{name}.scale",
                             value=spec["scale"])
        scale = scales[spec["scale"]]
    elif kind != "id":
        raise InputError(path, "a scale for every variable except the respondent id",
                         key=f"variables.{name}")
    return Variable(
        name=name, kind=kind, question=str(spec.get("question", "")),
        label=str(spec.get("label") or spec.get("question", "")), scale=scale,
        required=bool(spec.get("required", True)), nullable=bool(spec.get("nullable", kind == "categorical")),
        default=spec.get("default"), aliases=tuple(str(a) for a in spec.get("aliases", []) or []),
        reconstructed=bool(spec.get("reconstructed", False)), block=spec.get("block"),
    )


def with_municipalities(codebook: Codebook, municipalities: dict[str, str]) -> Codebook:
    """The codebook with its municipality scale replaced by ``municipalities`` (code -> name): the
    municipalities a real export may contain come from the configured regions (``analysis.survey_data.scope``),
    not from the codebook's list alone. Aliases the codebook gives for a kept code stay."""
    from dataclasses import replace

    variable = codebook.variable(codebook.identifiers["municipality"])
    old = variable.scale
    scale = Scale(id=old.id, labels=dict(municipalities),
                  aliases={c: a for c, a in old.aliases.items() if c in municipalities})
    variables = tuple(replace(v, scale=scale) if v.name == variable.name else v for v in codebook.variables)
    return replace(codebook, variables=variables)
