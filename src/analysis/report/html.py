"""One set of HTML helpers for every page of the report: escaping, the stylesheet, tables, images.

Pages are self-contained and offline: styles inline, figures embedded as data URIs, no script, no
remote URL of any kind (:data:`REMOTE` finds one), deterministic (no dates, commit ids, absolute
paths).
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pandas as pd

#: A cell that holds a number (right-aligned).
NUMBER = re.compile(r"[-+\u2212]?\d[\d\s\u00a0\u202f]*([.,]\d+)?%?")
#: Matches an attribute that would make a browser fetch something remote.
REMOTE = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
#: The one stylesheet of every report page (index, claims report): prose and text cells
#: left-aligned, numbers right-aligned (class ``num``).
CSS = """
body{font-family:'DejaVu Sans','Noto Sans',Arial,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #999;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}th{background:#f0f0f0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.same{color:#2a7a2a}.corrected{background:#fff3cd}.differs{background:#f8d7da}
.verdict-consistent{color:#2a7a2a}.verdict-inconsistent{color:#b00020;font-weight:bold}.verdict-not_checkable{color:#666}
.consistent{background:#e3f4e3}.inconsistent{background:#f9d9d9;font-weight:bold}.not_checkable{background:#f2f2f2}
figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{font-size:.85em;color:#444}
blockquote{margin:.6em 0;padding:.4em .8em;border-left:4px solid #999;background:#fafafa}blockquote p{margin:.2em 0}
nav a{margin-right:1em}.note,.meta{font-size:.85em;color:#555}
"""




def esc(text) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{esc(alt)}" src="data:image/png;base64,{data}">'


def frame_html(frame: pd.DataFrame, classes: pd.DataFrame | None = None) -> str:
    """A table; ``classes`` (same shape) gives each cell's CSS class."""
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = []
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = []
        for j, value in enumerate(row):
            css = " ".join(filter(None, ["" if classes is None else str(classes.iat[i, j]),
                                         "num" if NUMBER.fullmatch(str(value)) else ""]))
            text = esc("" if pd.isna(value) else value)
            cells.append(f'<td class="{css}">{text}</td>' if css else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
