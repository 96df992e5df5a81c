"""Swedish number formatting for the report: decimal comma, space as thousands separator."""

from __future__ import annotations

import math

THOUSANDS = "\u00a0"  # no-break space, so "41 956" never breaks across lines


def sv_number(value: float | int, decimals: int = 0) -> str:
    """``41955.95 -> '41 956'``, ``0.945, 2 -> '0,95'``; negative numbers get a true minus sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{abs(value):,.{decimals}f}".replace(",", THOUSANDS).replace(".", ",")
    return ("\u2212" if value < 0 and float(text.replace(THOUSANDS, "").replace(",", ".")) != 0 else "") + text


def sv_percent(share: float, decimals: int = 0) -> str:
    """A fraction as a Swedish percentage: ``0.2729 -> '27 %'``."""
    return f"{sv_number(share * 100, decimals)}\u00a0%"


def inline(text: object):
    """Wrap a value for a Quarto inline expression: Markdown output prints without Python's quotes.
    Nothing to say is an empty span: Quarto prints an inline expression with empty output as its code."""
    from IPython.display import Markdown

    return Markdown(str(text) or "[]{}")
