"""The cleaning step: raw NEDB extracts as printed -> tidy, validated processed tables.

Order of work, each step stopping the run with one clear :class:`RawDataError`:

1. verify the sha256 of every raw file against ``data/datapackage.json``;
2. read each file as printed text (encoding, empty file, header checked);
3. apply the recorded corrections of ``data/raw/corrections.yml``;
4. harmonise region spellings to ISO 3166-2:KZ codes; split off the printed national total;
5. parse numbers (space thousands separator and decimal comma in the text statistics);
6. validate with pandera (types, ranges, unique regions, urban + rural = total, ...);
7. compare the printed totals with the sums of the 20 regions.

Nothing is written here: :func:`clean_extracts` returns every table, validated, in memory, and
the notebook's session writes them all or none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import RawDataError, UserError
from analysis.ingest import gate, statements
from analysis.ingest.corrections import LOG_COLUMNS, Correction, apply_corrections, check_resources, load_corrections
from analysis.ingest.datapackage import field_names, load_package, processed_resource, processed_resource_for_file
from analysis.ingest.regions import NATIONAL, REGION_COUNT, alias_table, harmonise
from analysis.ingest.schemas import validate
from analysis.ingest.tablespec import TABLES
from analysis.precision import consistent_at_precision, share_pct

#: Raw resource (without the year) -> processed resource and file stem, for the region tables.
REGION_TABLES = {spec.raw_resource.removesuffix("-{year}"): (spec.processed_resource, spec.processed_stem)
                 for spec in TABLES.values()}
#: Columns that are shares of two count columns: the printed total share is checked against the
#: share of the summed counts, at the printed precision, not against a sum.
SHARE_COLUMNS = {"inclusive_share_pct": ("preschools_inclusive", "preschools_total")}
#: Separators the text prints inside numbers: space, no-break space, narrow no-break space.
THOUSANDS = r"[ \u00a0\u202f]"


#: Reads a raw resource through the gate: name -> (resource, file, text frame indexed by line).
Reader = Callable[[str], tuple[dict, Path, pd.DataFrame]]


@dataclass
class CleanedExtracts:
    """Everything the cleaning step produces, validated, in memory."""

    year: int
    raw_files: pd.DataFrame
    outputs: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Every file the outputs were derived from (raw files, corrections, data package).
    inputs: list[str] = field(default_factory=list)
    #: The data package whose schemas (and precision rules) the outputs follow.
    package_path: Path = paths.DATAPACKAGE

    @property
    def corrections_log(self) -> pd.DataFrame:
        """Every correction applied, one row each (``data/processed/corrections_log.csv``)."""
        return self.outputs["corrections_log.csv"]

    @property
    def printed_totals(self) -> pd.DataFrame:
        """The printed totals against the sums of the 20 regions (``printed_totals_<year>.csv``)."""
        return self.outputs[f"printed_totals_{self.year}.csv"]


def raw_resource_names(year: int) -> list[str]:
    """The raw resources the cleaning step reads for ``year`` (every one through the gate)."""
    return ([f"{name}-{year}" for name in REGION_TABLES]
            + [f"text-statistics-{year}", "regions-reference", "region-aliases", "corrections",
               statements.RESOURCE, statements.README_RESOURCE])


def coerce(text: pd.DataFrame, res: dict, file: Path, labels: pd.Series | None = None) -> pd.DataFrame:
    """Turn printed text columns into the types the resource's schema declares.

    A cell that is not a number where one is required stops the run, naming line and column
    (and the row by ``labels``, e.g. the region as printed).
    Optional empty cells become missing values.
    """
    out = {}
    types = {f["name"]: f for f in res["schema"]["fields"]}
    for column in text.columns:
        fld = types[column]
        values = text[column].astype(str).str.strip()
        required = fld.get("constraints", {}).get("required", False)
        empty = values == ""
        if fld["type"] in ("integer", "number"):
            pattern = r"-?[0-9]+" if fld["type"] == "integer" else r"-?[0-9]+(\.[0-9]+)?"
            bad = ~values.str.fullmatch(pattern) & ~(empty & (not required))
            if bad.any():
                line = values.index[bad.argmax()]
                kind = ("a whole number (digits 0-9, no sign)" if fld["type"] == "integer"
                        else "a number (digits 0-9, a decimal point, no sign)")
                raise RawDataError(
                    file, f"expected {kind}, found {text.at[line, column]!r}", line=int(line), column=column,
                    row_label=None if labels is None else str(labels[line]),
                )
            parsed = pd.to_numeric(values.where(~empty))
            out[column] = parsed.astype("int64" if required else "Int64") if fld["type"] == "integer" else parsed.astype("float64")
        elif fld["type"] == "boolean":
            out[column] = values.map({"true": True, "false": False}).astype("boolean")
        else:
            out[column] = values.astype("str") if required else values.where(~empty).astype("str")
    return pd.DataFrame(out, index=text.index)


def parse_printed_number(values: pd.Series, file: Path) -> pd.Series:
    """Parse numbers as the text prints them ('5 555' -> 5555, '85,9' -> 85.9)."""
    compact = values.astype(str).str.strip().str.replace(THOUSANDS, "", regex=True)
    ok = compact.str.fullmatch(r"[0-9]+([.,][0-9]+)?")
    if not ok.all():
        line = values.index[(~ok).argmax()]
        raise RawDataError(file, f"expected a number as printed (e.g. '5 555' or '85,9'), found {values[line]!r}",
                           line=int(line), column=str(values.name))
    return pd.to_numeric(compact.str.replace(",", ".", regex=False)).rename("value")


def _region_table(read: Reader, name: str, out_res: dict, year: int, corrections: list[Correction],
                  aliases: dict[str, str], reference: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    raw_res, file, text = read(name)
    text, log = apply_corrections(text, raw_res["name"], corrections, file, "region_as_printed")
    codes = harmonise(text["region_as_printed"], aliases, file)
    is_total = codes == NATIONAL
    if is_total.sum() != 1:
        line = text.index[is_total][1] if is_total.sum() > 1 else None
        raise RawDataError(file, f"expected one national total row 'ҚР', found {int(is_total.sum())}",
                           line=None if line is None else int(line), column="region_as_printed")
    value_columns = [c for c in field_names(raw_res) if c != "region_as_printed"]
    typed = coerce(text[value_columns], out_res, file, labels=text["region_as_printed"])
    frame = pd.concat(
        [codes.rename("region_iso"), pd.Series(year, index=text.index, name="year"),
         text["region_as_printed"].astype("str")], axis=1).join(typed)[~is_total]
    frame.insert(2, "printed_order", range(1, len(frame) + 1))
    frame = frame[field_names(out_res)]
    validate(frame, out_res, file, label_column="region_as_printed")
    missing = sorted(set(reference["region_iso"]) - set(frame["region_iso"]))
    if missing:
        names = reference.set_index("region_iso").loc[missing, "name_en"]
        raise RawDataError(file, f"{len(missing)} of the {REGION_COUNT} regions missing: "
                           + ", ".join(f"{c} ({n})" for c, n in names.items()), column="region_as_printed")
    total_line = int(text.index[is_total][0])
    totals = []
    for column in value_columns:
        printed = typed.at[total_line, column]
        if column in SHARE_COLUMNS:
            num, den = (frame[c].sum() for c in SHARE_COLUMNS[column])
            exact = share_pct(num, den)
            recomputed = float(round(exact, 4))
            ok = consistent_at_precision(exact, text.at[total_line, column])
            rule = "share of summed counts at printed precision"
        else:
            recomputed = int(frame[column].sum())
            ok = printed == recomputed
            rule = "sum of regions"
        if not ok:
            raise RawDataError(file, f"printed total {text.at[total_line, column]} does not match the "
                               f"{REGION_COUNT} regions ({rule}: {recomputed})",
                               line=total_line, column=column, row_label=text.at[total_line, "region_as_printed"])
        totals.append({"resource": raw_res["name"], "column": column, "printed_as": text.at[total_line, column],
                       "printed": float(printed),
                       "recomputed": float(recomputed), "rule": rule, "consistent": bool(ok)})
    return frame.reset_index(drop=True), log, pd.DataFrame(totals)


def _text_statistics(read: Reader, name: str, out_res: dict, corrections: list[Correction],
                     aliases: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    raw_res, file, text = read(name)
    text, log = apply_corrections(text, raw_res["name"], corrections, file, "stat_id")
    printed_region = text["region_as_printed"].str.strip()
    national = printed_region.isin(["", "ҚР"])
    codes = pd.Series(pd.NA, index=text.index, dtype="str", name="region_iso")
    if (~national).any():
        codes[~national] = harmonise(printed_region[~national], aliases, file)
    if (codes == NATIONAL).any():
        codes[codes == NATIONAL] = pd.NA
    value = parse_printed_number(text["value_as_printed"], file)
    passthrough = ["stat_id", "indicator", "reference_period", "unit", "value_as_printed",
                   "article_location", "cited_source", "ref14_page", "restates", "quote"]
    typed = coerce(text[passthrough], out_res, file, labels=text["stat_id"])
    frame = typed.assign(scope=codes.isna().map({True: "national", False: "region"}).astype("str"),
                         region_iso=codes, value=value)[field_names(out_res)]
    validate(frame, out_res, file, label_column="stat_id")
    return frame.reset_index(drop=True), log


def _regions(read: Reader, out_res: dict) -> pd.DataFrame:
    _, file, text = read("regions-reference")
    frame = coerce(text, out_res, file, labels=text["region_iso"])
    validate(frame, out_res, file, label_column="region_iso")
    if len(frame) != REGION_COUNT:
        raise RawDataError(file, f"expected {REGION_COUNT} first-level units, found {len(frame)}")
    orphans = ~frame["parent_iso"].isna() & ~frame["parent_iso"].isin(frame["region_iso"])
    if orphans.any():
        line = frame.index[orphans.argmax()]
        raise RawDataError(file, "parent is not one of the units", line=int(line), column="parent_iso")
    return frame


def clean_extracts(year: int = paths.ARTICLE_YEAR, raw_dir: str | Path = paths.RAW,
                   package_path: str | Path = paths.DATAPACKAGE) -> CleanedExtracts:
    """Verify, read, correct, harmonise, parse and validate the raw extracts of ``year`` (and the
    supplementary statements); every raw file through the gate."""
    raw_dir, package_path = paths.resolve(raw_dir), paths.resolve(package_path)
    try:
        return _clean_extracts(year, raw_dir, package_path)
    except UserError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        # Valid raw files and a schema the code does not expect: the processed resources of the data
        # package describe what this step writes, so an edit there is the cause.
        raise RawDataError(package_path, "its processed resources do not describe what the cleaning step writes "
                           f"({type(err).__name__}: {str(err).splitlines()[0][:200] if str(err) else ''}); restore "
                           "them: git checkout -- data/datapackage.json") from None


def _clean_extracts(year: int, raw_dir: Path, package_path: Path) -> CleanedExtracts:
    package = load_package(package_path)
    hashes = gate.verify_all(raw_resource_names(year), raw_dir, package_path, package)

    def read(name: str):
        return gate.read_table(name, raw_dir, package_path, package)

    _, corrections_file, _ = gate.verify("corrections", raw_dir, package_path, package)
    corrections = load_corrections(corrections_file)
    check_resources(corrections, {res["name"] for res in package["resources"]}, corrections_file)

    regions = _regions(read, processed_resource(package, "regions"))
    _, alias_file, alias_text = read("region-aliases")
    aliases = alias_table(regions, alias_text, alias_file)

    outputs: dict[str, pd.DataFrame] = {"regions.csv": regions.reset_index(drop=True)}
    logs, totals = [], []
    for raw_base, (out_base, stem) in REGION_TABLES.items():
        frame, log, total = _region_table(read, f"{raw_base}-{year}", processed_resource(package, out_base), year,
                                          corrections, aliases, regions)
        outputs[f"{stem}_{year}.csv"] = frame
        logs.append(log)
        totals.append(total)
    indicators, log = _text_statistics(read, f"text-statistics-{year}", processed_resource(package, "national-indicators"),
                                       corrections, aliases)
    outputs["national_indicators.csv"] = indicators
    logs.append(log)
    _, statements_file, statements_text = read(statements.RESOURCE)
    official = statements.clean_statements(statements_text, statements_file)
    validate(official, processed_resource(package, "official-statements"), statements_file, label_column="indicator")
    outputs["official_statements.csv"] = official.reset_index(drop=True)
    outputs["corrections_log.csv"] = (pd.concat(logs, ignore_index=True)[LOG_COLUMNS]
                                      .sort_values("correction_id", ignore_index=True))
    outputs[f"printed_totals_{year}.csv"] = pd.concat(totals, ignore_index=True)

    used = set(outputs["corrections_log.csv"]["correction_id"])
    year_resources = set(raw_resource_names(year))
    unused = [c.id for c in corrections if c.status == "applied" and c.resource in year_resources and c.id not in used]
    if unused:  # e.g. a correction of the region reference, which this step reads without corrections
        raise RawDataError(corrections_file, f"corrections not applied: {unused}")
    for name in ("corrections_log.csv", f"printed_totals_{year}.csv"):  # written by this step, not read
        res = processed_resource_for_file(package, name)
        try:
            validate(outputs[name], res, name)
        except RawDataError as err:
            raise RawDataError(package_path, f"its schema refuses what the cleaning step writes to {name} "
                               f"({err.problem}); restore it: git checkout -- data/datapackage.json",
                               item=f"resource '{res['name']}'" + (f", field '{err.column}'" if err.column else "")) from None
    inputs = [*hashes["file"], paths.shown(package_path)]
    return CleanedExtracts(year=year, raw_files=hashes, outputs=outputs, inputs=inputs, package_path=package_path)
