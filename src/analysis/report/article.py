"""The annotated article: the whole text in reading order, each checked value marked in place.

The text is the article's text extraction (``data/raw/article_text.txt``), line for line. It is
cut into blocks: headings, paragraphs (a blank line, or a line that starts indented after a
sentence's end, begins one), table rows (shown as tables), captions and source lines, and the
running page header (shown as a page break). Each claim of the registry is found in the text by
its quote (whitespace and line-end hyphenation aside); inside it, each value the claim's check
uses is marked by the claim's outcome (error, query, minor, consistent, not checkable) and linked
to the claim in the claims report; the first mark of a claim carries the claim's id as its anchor
(``article.html#R13a``), stable across rebuilds. Years, list numbers and numbers no check uses
are not marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.claims.model import Claim

#: Headings of the article's text, as the extraction prints them (line, stripped).
HEADINGS = ("Кіріспе", "Материалдар мен әдістер", "Нәтижелер және талқылау", "Қорытынды")
#: The worst outcome wins when several claims mark the same value.
SEVERITY = {"error": 0, "query": 1, "minor": 2, "not_checkable": 3, "consistent": 4}
#: The first words of the Russian and English titles (and their second lines) before the abstracts.
TITLES = ("ИНКЛЮЗИВНОЕ ОБРАЗОВАНИЕ", "ПРАВОВЫЕ ОСНОВЫ", "INCLUSIVE EDUCATION", "LEGAL FRAMEWORK")
_TABLE_ROW = re.compile(r"^\s*[^\d\s][^\d]*?(?:[ \t]+\d+(?:[.,]\d+)?){3,}\s*$")
_CAPTION = re.compile(r"^\s*(Сурет|Кесте) \d+\s*-|^\s*Дереккөз:")
_RUNNING = re.compile(r"^(ҚАЗАҚСТАН РЕСПУБЛИКАСЫНДАҒЫ ИНКЛЮЗИВТІ БІЛІМ: ҚҰҚЫҚТЫҚ\.\.\.|Абылай хан атындағы ҚазХҚжӘТУ ХАБАРШЫСЫ|\d{2,3})\s*$")


@dataclass
class Block:
    """A block of the article: ``kind`` is heading, para, table, caption or page; ``lines`` its
    lines (1-based numbers in the extraction) and their text."""

    kind: str
    lines: list[tuple[int, str]] = field(default_factory=list)
    lang: str = "kk"


def blocks(text: str) -> list[Block]:
    """The article's text cut into blocks, in reading order (see the module docstring)."""
    out: list[Block] = []
    lang = "kk"
    current: Block | None = None

    def close():
        nonlocal current
        if current is not None and current.lines:
            out.append(current)
        current = None

    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("ИНКЛЮЗИВНОЕ ОБРАЗОВАНИЕ"):
            lang = "ru"
        elif stripped.startswith("INCLUSIVE EDUCATION"):
            lang = "en"
        if not stripped:
            if current is None or current.kind != "page":
                close()
            continue
        if _RUNNING.match(stripped) and 180 <= number <= 190:
            if current is None or current.kind != "page":
                close()
                current = Block("page", lang=lang)
            current.lines.append((number, stripped))
            continue
        if stripped in HEADINGS or stripped.startswith(TITLES):
            close()
            out.append(Block("heading", [(number, stripped)], lang))
            continue
        kind = "table" if _TABLE_ROW.match(line) else "caption" if _CAPTION.match(line) else "para"
        starts_new = (current is None or current.kind != kind or kind == "caption"
                      or (kind == "para" and line[:1].isspace() and current.lines[-1][1].rstrip().endswith((".", ":"))))
        if current is not None and current.kind == "page":
            starts_new = True  # the text after a page break continues the paragraph: a new block all the same
        if starts_new:
            close()
            current = Block(kind, lang=lang)
        current.lines.append((number, line))
    close()
    return _joined(out)


def _joined(found: list[Block]) -> list[Block]:
    """A paragraph or caption that a blank line of the extraction cut mid-sentence (its last line
    does not end a sentence and the next paragraph begins in lower case) is one block again."""
    out: list[Block] = []
    for block in found:
        previous = out[-1] if out else None
        if (previous is not None and block.kind == "para" and previous.kind in ("para", "caption")
                and not previous.lines[-1][1].rstrip().endswith((".", ":", ";", "?", "!"))
                and block.lines[0][1].lstrip()[:1].islower()):
            previous.lines.extend(block.lines)
            continue
        out.append(block)
    return out


def normalise(text: str) -> tuple[str, list[int]]:
    """The text with line-end hyphenation joined and runs of whitespace made one space, and for
    each character of the result its index in ``text``."""
    out, index = [], []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "-" and i + 1 < len(text) and text[i + 1] == "\n" and i > 0 and not text[i - 1].isspace():
            out.append("-")
            index.append(i)
            i += 1
            while i < len(text) and text[i].isspace():
                i += 1
            continue
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                index.append(i)
            i += 1
            continue
        out.append(ch)
        index.append(i)
        i += 1
    return "".join(out), index


def _flat(text: str) -> str:
    return normalise(text)[0].strip()


def checked_indices(claim: Claim, defaults: dict[str, tuple[str, ...]]) -> list[int]:
    """The positions of the reported values the claim's check uses: the ``{reported: i}``
    references of its arguments (and an argument left to its default, which is the first value);
    a check that refers to no reported value (a legal fact, a ranking, a word) uses them all."""
    found: list[int] = []

    def walk(value):
        if isinstance(value, dict):
            if "reported" in value and len(value) == 1:
                found.append(int(value["reported"]))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(claim.args)
    for name in defaults.get(claim.check, ()):
        if name not in claim.args:
            found.append(0)
    if not found:
        return list(range(len(claim.reported)))
    words = [i for i, value in enumerate(claim.reported) if not re.fullmatch(r"[\d\s.,%]+", value)]
    return sorted(set(found) | set(words))


#: The check arguments that default to the claim's first reported value.
DEFAULTS = {"share_of_counts": ("share",), "total_vs_parts": ("total",), "recompute_total": ("total",),
            "grim_percentage": ("share",), "share_implied_denominator": ("share",), "text_vs_table": ("text",),
            "restatement": ("restated",)}


@dataclass
class Mark:
    start: int
    end: int
    claims: list[str]
    outcome: str
    anchor: str = ""


def locate(text: str, claims: dict[str, Claim], outcomes: dict[str, str],
           defaults: dict[str, tuple[str, ...]] = DEFAULTS) -> tuple[list[Mark], list[str]]:
    """Every checked value in ``text`` (offsets into it) with the claims that check it, and the ids
    of the claims whose quote or value was not found."""
    flat, index = normalise(text)
    spans: dict[tuple[int, int], list[str]] = {}
    missing, quote_at = [], {}
    for cid, claim in claims.items():
        quote = _flat(claim.quote)
        at = flat.find(quote)
        if at < 0:
            missing.append(cid)
            continue
        quote_at[cid] = at
        position = at
        for i in checked_indices(claim, defaults):
            value = _flat(claim.reported[i])
            hit = flat.find(value, position, at + len(quote))
            if hit < 0:
                hit = flat.find(value, at, at + len(quote))
            if hit < 0:
                missing.append(cid)
                continue
            spans.setdefault((hit, hit + len(value)), []).append(cid)
            position = hit + len(value)
    marks, end, anchored = [], -1, set()
    for (start, stop), owners in sorted(spans.items()):
        if start < end:
            continue  # overlapping values: the first stands
        outcome = min((outcomes[c] for c in owners), key=SEVERITY.get)
        anchor = next((c for c in owners if c not in anchored), "")
        anchored.add(anchor)
        marks.append(Mark(index[start], index[stop - 1] + 1, owners, outcome, anchor))
        end = stop
    # a claim without a mark of its own (its values overlap another's) is anchored at its quote
    for cid, at in quote_at.items():
        if cid not in anchored:
            marks.append(Mark(index[at], index[at], [cid], outcomes[cid], cid))
            anchored.add(cid)
    marks.sort(key=lambda m: (m.start, m.end))
    return marks, sorted(set(missing))


def segments(block: Block, text: str, line_starts: list[int], marks: list[Mark]) -> list[tuple[str, Mark | None]]:
    """A block's text as (text, mark or None) pieces, its line breaks made spaces (hyphenation joined)."""
    first, last = block.lines[0][0], block.lines[-1][0]
    start, stop = line_starts[first - 1], line_starts[last - 1] + len(block.lines[-1][1])
    inside = [m for m in marks if start <= m.start <= stop]
    out, position = [], start
    for m in inside:
        out.append((_flat_piece(text[position:m.start]), None))
        out.append((_flat_piece(text[m.start:m.end]), m))
        position = m.end
    out.append((_flat_piece(text[position:stop]), None))
    return [(piece, m) for piece, m in out if piece or m is not None]


def _flat_piece(piece: str) -> str:
    joined = re.sub(r"(?<=\S)-\n\s*", "-", piece)
    return re.sub(r"\s+", " ", joined)


def line_starts(text: str) -> list[int]:
    """The offset of each line's first character."""
    starts, at = [], 0
    for line in text.split("\n"):
        starts.append(at)
        at += len(line) + 1
    return starts
