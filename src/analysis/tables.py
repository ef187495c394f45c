"""Tables 1 and 2 of the article, rebuilt from the processed data.

:func:`rebuild` puts the rows back in the printed order with the national total row (ҚР) first,
recomputed from the 20 regions (the printed total is never copied). :func:`compare_with_printed`
compares every cell with the value printed in the raw extract and says, for each difference,
whether a recorded correction explains it; a difference nothing explains is reported, never
fixed. :func:`localise` gives the headers and region names in Kazakh (as the article prints
them), Russian or English; :func:`to_markdown` and :func:`to_latex` (booktabs) render it.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from analysis import i18n
from analysis.i18n import figure_region_labels, t
from analysis.ingest.regions import NATIONAL
from analysis.ingest.tablespec import TABLE1, TABLE2, TABLES, TableSpec
from analysis.precision import round_half_up, share_pct

__all__ = ["TABLE1", "TABLE2", "TABLES", "TableSpec", "rebuild", "compare_with_printed", "localise"]

TOTAL = NATIONAL  # the national total row's code


def rebuild(processed: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """The printed table: total row first (recomputed), then the regions in printed order.

    Columns: ``region_iso`` (``KZ`` for the total), ``region_as_printed`` and the value columns.
    Shares of the total row are recomputed from the summed counts and rounded half-up to the
    printed number of decimals.
    """
    regions = processed.sort_values("printed_order")[["region_iso", "region_as_printed", *spec.columns]]
    total = {"region_iso": TOTAL, "region_as_printed": "ҚР"}
    for column in spec.columns:
        if column in spec.shares:
            num, den, decimals = spec.shares[column]
            total[column] = float(round_half_up(share_pct(regions[num].sum(), regions[den].sum()), decimals))
        else:
            total[column] = int(regions[column].sum())
    table = pd.concat([pd.DataFrame([total]), regions], ignore_index=True)
    return table.astype({c: ("float64" if c in spec.shares else "int64") for c in spec.columns})


def compare_with_printed(table: pd.DataFrame, printed: pd.DataFrame, spec: TableSpec,
                         corrections_log: pd.DataFrame) -> pd.DataFrame:
    """Every cell of the rebuilt ``table`` beside the printed one.

    ``printed`` is the raw extract as read by :func:`analysis.ingest.rawio.read_csv_text` (text, indexed
    by line, total row included). Returns one row per cell with ``status``: ``same``,
    ``corrected`` (a recorded correction explains the difference, named in ``note``) or
    ``differs`` (nothing explains it).
    """
    if len(printed) != len(table):
        raise ValueError(f"{spec.key}: {len(printed)} printed rows, {len(table)} rebuilt rows")
    fixes = corrections_log[corrections_log["resource"].str.startswith(spec.raw_resource.split("{")[0])]
    fixes = {(int(r.line), r.column): r for r in fixes.itertuples()}
    rows = []
    for position, (line, printed_row) in enumerate(printed.iterrows()):
        rebuilt_row = table.iloc[position]
        for column in ("region_as_printed", *spec.columns):
            shown = str(printed_row[column])
            decimals = spec.shares[column][2] if column in spec.shares else 0
            text = str(rebuilt_row[column]) if column == "region_as_printed" else f"{rebuilt_row[column]:.{decimals}f}"
            fix = fixes.get((int(line), column))
            if _same(shown, text, column):
                status = "same"
            elif fix is not None and _same(fix.new_value, text, column):
                status = "corrected"
            else:
                status = "differs"
            rows.append({"line": int(line), "region_iso": rebuilt_row["region_iso"], "column": column,
                         "printed": shown, "reproduced": text, "status": status,
                         "note": "" if fix is None else f"correction {fix.correction_id}: {fix.reason}"})
    return pd.DataFrame(rows)


def _same(printed: str, reproduced: str, column: str) -> bool:
    """Text equal for labels; for numbers, the same value written the same way (a decimal comma
    where the table prints points is a difference)."""
    if column == "region_as_printed":
        return printed == reproduced
    try:
        return "," not in printed and Decimal(printed) == Decimal(reproduced)
    except ArithmeticError:
        return False


def localise(table: pd.DataFrame, spec: TableSpec, regions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Headers and region names in ``lang``; Kazakh keeps the names as the article prints them,
    Russian and English name each region unambiguously as the figures do ("Абайская обл.")."""
    if lang == "kk":
        names = table["region_as_printed"]
    else:
        labels = figure_region_labels(regions, lang)
        names = table["region_iso"].map(lambda code: t("national_total", lang) if code == TOTAL else labels[code])
    out = pd.DataFrame({t("region", lang): names.to_numpy()})
    for column in spec.columns:
        out[t(f"{spec.key}_{column}", lang)] = table[column].to_numpy()
    return out


def _cell(value, decimals: int | None) -> str:
    if isinstance(value, str):
        return value
    return f"{value:.{decimals}f}" if decimals is not None else f"{int(value)}"


def readable(cell: str, lang: str) -> str:
    """A cell in its printed form (44.0, 5555) as ``lang`` writes numbers for reading: Kazakh as
    printed (the Kazakh tables reproduce the printed ones), Russian and English with the language's
    decimal separator and thousands grouped (44,0 or 44.0; 5 555); anything else as it is."""
    if lang == "kk":
        return cell
    if re.fullmatch(r"\d+", cell):
        return i18n.integer(cell)
    decimals = re.fullmatch(r"\d+\.(\d+)", cell)
    return i18n.decimal(float(cell), len(decimals.group(1)), lang) if decimals else cell


def formatted(local: pd.DataFrame, spec: TableSpec, lang: str | None = None) -> list[list[str]]:
    """Cells as printed: counts as integers, shares with their printed decimals (44.0, 5555; the
    CSV files). With ``lang``, the same digits as that language writes them for reading
    (:func:`readable`)."""
    decimals = [None] + [spec.shares[c][2] if c in spec.shares else None for c in spec.columns]
    printed = [[_cell(v, d) if i else str(v) for i, (v, d) in enumerate(zip(row, decimals, strict=True))]
               for row in local.itertuples(index=False)]
    return printed if lang is None else [[row[0], *(readable(c, lang) for c in row[1:])] for row in printed]


def to_markdown(local: pd.DataFrame, spec: TableSpec, title: str, note: str, lang: str | None = None) -> str:
    header = list(local.columns)
    lines = [f"**{title}**", "", "| " + " | ".join(header) + " |",
             "| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in formatted(local, spec, lang)]
    return "\n".join([*lines, "", note, ""])


def _tex(text: str) -> str:
    for char, escaped in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                          ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}")):
        text = text.replace(char, escaped)
    return text


def to_latex(local: pd.DataFrame, spec: TableSpec, title: str, note: str, label: str, lang: str | None = None) -> str:
    """A booktabs table (needs ``\\usepackage{booktabs}``; Cyrillic needs a Unicode engine or T2A);
    thousands grouped by a thin space (``5\\,555``)."""
    header = " & ".join(_tex(h) for h in local.columns) + r" \\"
    body = [" & ".join(re.sub(r"(?<=\d) (?=\d{3})", r"\\,", _tex(c)) for c in row) + r" \\"
            for row in formatted(local, spec, lang)]
    return "\n".join([
        r"\begin{table}[htbp]", r"\centering", rf"\caption{{{_tex(title)}}}", rf"\label{{{label}}}",
        r"\begin{tabular}{l" + "r" * len(spec.columns) + "}", r"\toprule", header, r"\midrule",
        body[0], r"\midrule", *body[1:], r"\bottomrule", r"\end{tabular}",
        rf"\par\smallskip\footnotesize {_tex(note)}", r"\end{table}", "",
    ])


def read_printed(spec: TableSpec, year: int, raw_dir, package_path) -> pd.DataFrame:
    """The raw extract of ``spec`` for ``year`` as printed (text, indexed by line, total row
    included), through the raw-file gate (hash, header, canonical text)."""
    from analysis.ingest import gate

    return gate.read_table(spec.raw_resource.format(year=year), raw_dir, package_path)[2]


def styled(local: pd.DataFrame, spec: TableSpec, uuid: str):
    """A pandas Styler for the notebook: printed number formats, total row in bold, fixed ids."""
    formats = {local.columns[i + 1]: (f"{{:.{spec.shares[c][2]}f}}" if c in spec.shares else "{:d}")
               for i, c in enumerate(spec.columns)}
    return (local.style.format(formats).hide(axis="index").set_uuid(uuid)
            .apply(lambda row: ["font-weight: bold" if row.name == 0 else "" for _ in row], axis=1))


def outputs(spec: TableSpec, table: pd.DataFrame, regions: pd.DataFrame, lang: str, year: int) -> dict[str, object]:
    """The files of one table in one language: ``{'csv': frame, 'md': text, 'tex': text}``."""
    local = localise(table, spec, regions, lang)
    title = t(f"{spec.key}_title", lang, year=year)
    note = t("table_note_recomputed", lang)
    as_printed = pd.DataFrame(formatted(local, spec), columns=local.columns)  # 44.0 stays "44.0"
    return {"csv": as_printed, "md": to_markdown(local, spec, title, note, lang),
            "tex": to_latex(local, spec, title, note, label=f"tab:{spec.key}-{lang}", lang=lang)}


def write(run, spec: TableSpec, table: pd.DataFrame, comparison: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Every file of the table: ``tables/<stem>_<lang>.{csv,md,tex}`` in each of the session's
    languages and ``tables/<stem>_comparison.csv``; returns the comparison as written."""
    for lang in run.languages:
        files = outputs(spec, table, regions, lang, run.year)
        run.table(f"tables/{spec.stem}_{lang}.csv", files["csv"])
        run.text(f"tables/{spec.stem}_{lang}.md", files["md"])
        run.text(f"tables/{spec.stem}_{lang}.tex", files["tex"])
    return run.table(f"tables/{spec.stem}_comparison.csv", comparison)
