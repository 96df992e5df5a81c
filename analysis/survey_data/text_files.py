"""The first pass over a text export (CSV): which encoding it is in, and the checks the whole text must
pass before any row is read, in blocks of bounded size so that a file of any size fits in memory.

UTF-8 (with or without BOM) is tried first; a file that is not UTF-8 is Windows-1252, unless some of
its lines are UTF-8 and others Windows-1252 (rows appended by another program). UTF-16, NUL bytes,
double-encoded text (mojibake) and an empty file are refused with one line naming the row.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from analysis.core.errors import InputError

BLOCK = 8 * 1024 * 1024  # bytes read at a time
UNDEFINED_CP1252 = b"\x81\x8d\x8f\x90\x9d"  # bytes Windows-1252 leaves undefined


def _blocks(path: Path, size: int = BLOCK):
    with open(path, "rb") as fh:
        while block := fh.read(size):
            yield block


def text_encoding(path: Path, block: int = BLOCK) -> str:
    """``'utf-8-sig'`` or ``'cp1252'``; every other case is a one-line ``InputError``."""
    with open(path, "rb") as fh:
        head = fh.read(block)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") > len(head) // 4:
        raise InputError(path, "UTF-8 or Windows-1252 text, not UTF-16 (save the file again as CSV UTF-8)",
                         row=1, value=head[:2])
    encoding = "utf-8-sig" if _is_utf8(path, block) else _single_byte(path)
    _check_text(path, encoding, block)
    return encoding


def _is_utf8(path: Path, block: int) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for data in _blocks(path, block):
            if not data.isascii() or decoder.getstate()[0]:  # ASCII needs no decoding, unless a character is open
                decoder.decode(data)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _single_byte(path: Path) -> str:
    """Windows-1252, unless lines of UTF-8 and of Windows-1252 are mixed or a byte is undefined in it."""
    utf8_line = cp1252_line = undefined = None
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                utf8_line = utf8_line or number
            except UnicodeDecodeError:
                cp1252_line = cp1252_line or number
            if undefined is None and any(b in line for b in UNDEFINED_CP1252):
                undefined = number, next(bytes([b]) for b in line if b in UNDEFINED_CP1252)
    if utf8_line and cp1252_line:
        raise InputError(path, f"one text encoding throughout, but row {utf8_line} is UTF-8 and row {cp1252_line} "
                               "is Windows-1252 (save the file again with a single encoding)", row=utf8_line)
    if undefined:
        raise InputError(path, "UTF-8 or Windows-1252 text", row=undefined[0], value=undefined[1])
    return "cp1252"


def _check_text(path: Path, encoding: str, block: int) -> None:
    """Empty, NUL bytes, mojibake: the first of them in this order, as if the whole text were checked at once."""
    from analysis.survey_data.export_files import mojibake_in_text

    decoder = codecs.getincrementaldecoder(encoding)()
    rows_before, content, nul, mojibake, carry = 0, False, None, None, ""
    for data in _and_end(_blocks(path, block)):
        text = carry + (decoder.decode(data) if data is not None else decoder.decode(b"", final=True))
        if data is not None:  # keep an incomplete last line (and a lone \r that a \n may follow) for the next block
            cut = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1)) + 1
            text, carry = text[:cut], text[cut:]
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        content = content or bool(text.strip())
        if nul is None and "\x00" in text:
            nul = rows_before + text.count("\n", 0, text.index("\x00")) + 1
        if mojibake is None and not text.isascii():
            mojibake = mojibake_in_text(path, text, first_row=rows_before + 1)
        rows_before += text.count("\n")
    if not content:
        raise InputError(path, "a survey export with a header row and respondents, but the file is empty")
    if nul is not None:
        raise InputError(path, "text without NUL bytes", row=nul)
    if mojibake is not None:
        raise mojibake


def _and_end(blocks):
    """The blocks, then None (the end of the file)."""
    yield from blocks
    yield None
