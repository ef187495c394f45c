"""Canonical text at the gate: every text cell of a raw file is checked before it is used.

Two strings that look the same must be the same, or matching, sorting and publishing go wrong
in ways nobody sees: a region name with a trailing space, or in decomposed Unicode (``й`` as
``и`` + U+0306), or with a Latin ``K`` inside a Cyrillic word, would be matched in normalised form
but published with its raw bytes. So every cell must be

* in Unicode normal form NFC, with no combining mark left after it (a mark NFC cannot compose,
  such as U+034F COMBINING GRAPHEME JOINER, is invisible);
* without leading or trailing whitespace, and with no space but U+0020 (no no-break, thin or
  ideographic spaces);
* without control, format, private-use, unassigned or line/paragraph-separator characters
  (zero-width space and joiners, soft hyphen, byte-order mark, bidirectional marks, ...);
* without a word that mixes scripts (Latin and Cyrillic letters in one word);
* in the script its column declares (``"script": "Cyrillic"`` on a field of
  ``data/datapackage.json``: Kazakh and Russian names), where a Latin look-alike is named as such.

**Refused, not normalised.** A raw file is a transcription of what the article prints; an
invisible difference is a transcription defect, not something the article printed, so the gate
refuses it with the file, line, column, the character and its code point, and the fix is to
correct the transcription (then review it and ``make rehash``). Normalising silently would let
two transcriptions of the same table differ byte for byte and both pass. The processed and
published files therefore hold canonical text only.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from analysis.errors import RawDataError

#: Latin letters that look like Cyrillic ones (and so slip into Cyrillic words unseen).
LATIN_LOOKALIKES = dict(zip("AaBCcEeHIiKMOoPpTXxYyhSsJj", "АаВСсЕеНІіКМОоРрТХхУуһЅѕЈј", strict=True))
_WORD = re.compile(r"[^\W\d_]+")


def _describe(char: str) -> str:
    try:
        name = unicodedata.name(char)
    except ValueError:
        name = "unnamed"
    return f"U+{ord(char):04X} {name}"


def script_of(char: str) -> str:
    """The script of a letter: 'Latin', 'Cyrillic', 'Greek', ... (from its Unicode name)."""
    try:
        return unicodedata.name(char).split()[0].capitalize()
    except ValueError:
        return "Unknown"


#: Unicode categories refused anywhere: controls, format characters, private use, unassigned,
#: line and paragraph separators; every combining mark (M*) and every space but U+0020 (Zs).
REFUSED_CATEGORIES = ("Cc", "Cf", "Co", "Cn", "Zl", "Zp")


def refused(char: str) -> bool:
    """Whether ``char`` may not appear in canonical text (after NFC)."""
    category = unicodedata.category(char)
    return category in REFUSED_CATEGORIES or category.startswith("M") or (category == "Zs" and char != " ")


def visible(value: str) -> str:
    """``value`` quoted, every refused character written as its code point (``\\u034f``), so that a
    message never shows a name that looks like another."""
    return "'" + "".join(f"\\u{ord(c):04x}" if refused(c) else c for c in value).replace("'", "\\'") + "'"


def problem(value: str, script: str | None = None) -> str | None:
    """What is not canonical about ``value`` (None if nothing)."""
    if not unicodedata.is_normalized("NFC", value):
        decomposed = next(c for c in value if unicodedata.combining(c) or not unicodedata.is_normalized("NFC", c))
        return (f"text is not in Unicode normal form NFC (it contains {_describe(decomposed)}, a decomposed "
                f"character); write {unicodedata.normalize('NFC', value)!r}")
    for char in value:
        if refused(char):
            return f"invisible, combining or control character {_describe(char)} in {visible(value)}"
    if value != value.strip():
        side = "leading" if value[:1].isspace() else "trailing"
        return f"{side} whitespace in {value!r}"
    for word in _WORD.findall(value):
        scripts = [script_of(c) for c in word]
        if len(set(scripts)) > 1:
            main = max(set(scripts), key=scripts.count)
            odd = next(c for c, s in zip(word, scripts, strict=True) if s != main)
            hint = f" (it looks like {main} {LATIN_LOOKALIKES[odd]!r})" if odd in LATIN_LOOKALIKES and main == "Cyrillic" else ""
            return f"{script_of(odd)} {odd!r} ({_describe(odd)}) in the {main} word {word!r}{hint}"
    if script:
        for char in value:
            if unicodedata.category(char).startswith("L") and script_of(char) != script:
                hint = f", a look-alike of {script} {LATIN_LOOKALIKES[char]!r}" if char in LATIN_LOOKALIKES else ""
                return f"{script_of(char)} {char!r} ({_describe(char)}{hint}) in {value!r}, which must be {script}"
    return None


def check_cell(value: str, file: str | Path, *, line: int | None = None, column: str | None = None,
               script: str | None = None, item: str | None = None) -> None:
    """Refuse ``value`` unless it is canonical, naming the file, line and column."""
    found = problem(value, script)
    if found:
        raise RawDataError(file, found, line=line, column=column, item=item)


def check_strings(data, file: str | Path, lines=None, where: str = "") -> None:
    """Check every string inside parsed YAML/JSON ``data`` (keys and values), naming the line of
    the enclosing mapping where ``lines`` (:class:`analysis.ingest.rawio.YamlLines`) knows it."""
    def walk(node, line, path):
        if isinstance(node, str):
            check_cell(node, file, line=line, item=path or None)
        elif isinstance(node, dict):
            line = (lines.of(node) if lines else None) or line
            for key, value in node.items():
                walk(key, line, path)
                walk(value, line, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (lines.item(node, index) if lines else None) or line, f"{path}[{index}]")
    walk(data, None, where)
