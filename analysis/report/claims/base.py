"""Claims as code: every sentence of the documents that states a count, share, comparison, direction, trend
or qualifier is rendered from a computed fact, and checked like a number.

A **claim** is an id, a function ``(facts, **params) -> Stated`` that returns the value(s) and the Swedish
wording that follows from them, and its **conditions**: rules ``pattern -> predicate`` saying when a word
of the wording may stand ("över" only if the group mean is above the median). :func:`check` evaluates a
stated claim against

* its own rules: every rule whose pattern occurs in the text must hold for the value;
* the qualifier vocabulary (``QUALIFIERS``): every qualifier or data-source word in the text ("fler",
  "över", "ofta", "okänd", "alla", "ingen", "syntetisk", …) must be covered by a rule that holds, so no
  claim can use a qualifier without saying when it is true; "syntetisk" and "tvilling" are covered by
  default by "the data are synthetic";
* its numbers: every number in the text must be one of the value's numbers as shown (or a year, or a
  constant the claim declares), so the text cannot state a number the value does not hold;
* its cross-check, where it has one: the value recomputed another way (by the code of ``gino check``,
  from the raw snapshot or from a displayed table).

Documents call :func:`say` (a Markdown object for inline expressions and notebook cells) or
:func:`claim_text` (the text, for Markdown built in a cell); ``register.py`` finds those calls to list
where each claim appears. Nothing here reads a file except through :class:`Facts`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

NUMBER = re.compile(r"(?<![\w,.\u2212-])[\u2212-]?\d{1,3}(?:[\u00a0\u202f ]\d{3})*(?:,\d+)?(?![\w]|,\d)")
YEARS = range(1990, 2101)
# Qualifier and data-source words that need a rule (case-insensitive, whole words or word starts).
QUALIFIERS = re.compile(
    r"\b(?:fler|färre|flest|flera|över|under|ofta|oftast|sällan|okän\w*|alla|allt|samtliga|ingen|inga|inget|varje|"
    r"flesta|flertalet|hälften|nästan|högre|lägre|högst|lägst|störst|minst|mer|mindre|ökade|ökat|minskade|"
    r"minskat|bättre|sämre|säker\w*|tydlig\w*|beror|syntetisk\w*|tvilling\w*|påhittade|"
    r"verkliga (?:svar\w*|enkät\w*|data))\b", re.IGNORECASE)
SOURCE_WORDS = re.compile(r"\b(?:syntetisk\w*|tvilling\w*|påhittade)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Stated:
    """What a claim says: the Swedish ``text`` and the ``value`` it follows from (numbers it shows); the
    value's ``names`` (region names, answer labels) are read as names, not as numbers or qualifiers."""

    text: str
    value: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """Where ``pattern`` (a regular expression, case-insensitive) occurs in a claim's text, ``holds(value)``
    must be true; ``description`` is the condition as the register states it."""

    pattern: str
    holds: Callable[[Mapping[str, Any]], bool]
    description: str
    agrees: Callable[[re.Match, Mapping[str, Any]], bool] | None = None  # each match read against the value


@dataclass(frozen=True)
class Must:
    """When ``when(value)`` is true, ``pattern`` must occur in the claim's text (a count of indicator-years
    above the median must come with its permutation p; a direction that depends on the weighting must say so)."""

    pattern: str
    when: Callable[[Mapping[str, Any]], bool]
    description: str


@dataclass(frozen=True)
class Claim:
    id: str
    function: Callable[..., Stated]
    rules: tuple[Rule, ...]
    condition: str                                   # one line for the register: what the wording follows
    params: Callable[[Any], list[dict]] | None = None  # parameter sets to evaluate (e.g. each municipality)
    cross_check: Callable[..., list[str]] | None = None
    constants: tuple[float, ...] = ()                # numbers the text may show that are not data (95 %)
    musts: tuple[Must, ...] = ()

    def evaluate(self, facts, **params) -> Stated:
        return self.function(facts, **params)

    def parameter_sets(self, facts) -> list[dict]:
        return self.params(facts) if self.params else [{}]


CLAIMS: dict[str, Claim] = {}


def claim(claim_id: str, condition: str, rules: Iterable[Rule] = (), params=None, cross_check=None,
          constants: tuple[float, ...] = (), musts: Iterable[Must] = ()):
    """Register the decorated function as the claim ``claim_id``."""
    def register(function):
        if claim_id in CLAIMS:
            raise ValueError(f"claim {claim_id!r} is registered twice")
        CLAIMS[claim_id] = Claim(claim_id, function, tuple(rules), condition, params, cross_check, constants,
                                 tuple(musts))
        return function
    return register


def synthetic_rule(description: str = "the survey data are the synthetic twin") -> Rule:
    """The default rule for words about the twin ("syntetisk", "tvilling", "påhittade")."""
    return Rule(SOURCE_WORDS.pattern, lambda v: bool(v.get("synthetic")), description)


# --- checking --------------------------------------------------------------------------------------------


def _numbers(value: Any) -> Iterable[float]:
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
        yield float(value)
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, (list, tuple, set)):
        for v in value:
            yield from _numbers(v)
    elif hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        yield from _numbers(value.item())


def parse_number(text: str) -> float:
    """'1 234' -> 1234, '12,5' -> 12.5, '−3' -> -3 (Swedish formatting as ``sv_number`` writes it)."""
    return float(re.sub(r"[\u00a0\u202f ]", "", text).replace(",", ".").replace("\u2212", "-"))


def shown_numbers(value: Mapping[str, Any], constants: Iterable[float] = ()) -> set[str]:
    """Every number of ``value`` as it may be shown: rounded to 0–3 decimals, with and without sign."""
    from analysis.presentation.formatting import sv_number

    out = set()
    for x in [*_numbers(value), *constants]:
        for decimals in range(4):
            for y in (x, abs(x)):
                out.add(re.sub(r"[\u00a0\u202f ]", "", sv_number(y, decimals)).replace("\u2212", "-"))
    return out


def check(c: Claim, stated: Stated, facts=None) -> list[str]:
    """Every problem with ``stated`` (the claim's wording for one data set), one line each."""
    problems = []
    value = {"synthetic": getattr(facts, "synthetic", None), **dict(stated.value)}
    # Names (a region called "Region 10", an answer label "Ja, oftast") are not numbers or qualifiers.
    text = stated.text
    for name in sorted(map(str, value.get("names", ())), key=len, reverse=True):
        text = text.replace(name, " " * len(name))
    rules = (*c.rules, synthetic_rule()) if not any(r.pattern == SOURCE_WORDS.pattern for r in c.rules) else c.rules
    covered: list[tuple[int, int]] = []
    for rule in rules:
        matches = list(re.finditer(rule.pattern, text, re.IGNORECASE))
        spans = [m.span() for m in matches]
        if not spans:
            continue
        try:
            ok = bool(rule.holds(value)) and all(rule.agrees(m, value) for m in matches if rule.agrees)
        except Exception as exc:  # a rule that cannot be evaluated is a failed condition
            ok, rule_error = False, f" ({type(exc).__name__}: {exc})"
        else:
            rule_error = ""
        if ok:
            covered += spans
        else:
            problems.append(f"{c.id}: the wording has '{text[spans[0][0]:spans[0][1]]}' but its condition does "
                            f"not hold: {rule.description}{rule_error}")
    for must in c.musts:
        if must.when(value) and not re.search(must.pattern, text, re.IGNORECASE):
            problems.append(f"{c.id}: the wording lacks '{must.pattern}', which it must say: {must.description}")
    for m in QUALIFIERS.finditer(text):
        if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b in covered):
            problems.append(f"{c.id}: the qualifier '{m.group()}' is not covered by a condition that holds "
                            f"(…{text[max(0, m.start() - 40):m.end() + 40]}…)")
    allowed = shown_numbers(value, c.constants)
    for m in NUMBER.finditer(text):
        number = re.sub(r"[\u00a0\u202f ]", "", m.group()).replace("\u2212", "-")
        if number not in allowed and not (number.isdigit() and int(number) in YEARS):
            problems.append(f"{c.id}: the number {m.group()!r} is not among the values the wording follows from "
                            f"(…{text[max(0, m.start() - 40):m.end() + 40]}…)")
    if c.cross_check is not None:
        problems += [f"{c.id}: {p}" for p in c.cross_check(facts, stated)]
    return problems


# --- use in documents ------------------------------------------------------------------------------------


def claim_text(claim_id: str, **params) -> str:
    """The wording of a registered claim on the current build's data."""
    from analysis.report.claims.facts import current_facts

    return CLAIMS[claim_id].evaluate(current_facts(), **params).text


def say(claim_id: str, **params):
    """The wording as Markdown, for an inline expression or a notebook cell."""
    from analysis.presentation.formatting import inline

    return inline(claim_text(claim_id, **params))
