"""Kazakhstan's 20 first-level units and every spelling of them the article uses.

Reference: ``data/raw/regions_reference.csv`` -- ISO 3166-2:KZ code (the numeric codes in force
since the 2020 revision; Abai KZ-10, Zhetisu KZ-33 and Ulytau KZ-62 were added for the regions
formed on 8 June 2022 from East Kazakhstan, Almaty and Karaganda regions), names in Kazakh,
Russian and English, type (``city`` of republican significance or ``region``), parent region of
the three 2022 regions.

Spellings: ``data/raw/region_aliases.csv`` lists every form the article prints (upper case in
Table 1, the "қ." suffix, abbreviations such as БҚО, inflected forms in the text). Names and
short names of the reference are aliases too. Matching ignores case and runs of whitespace,
nothing else. A name that matches nothing is an error, never a silent drop.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from analysis.errors import RawDataError
from analysis.ingest.rawio import LINE

#: Code used in the alias table for the national total row ("ҚР"): ISO 3166-1 alpha-2.
NATIONAL = "KZ"
#: Kazakhstan's first-level units since 8 June 2022: 17 regions and 3 cities of republican
#: significance (data/raw/regions_reference.csv).
REGION_COUNT = 20

REFERENCE_COLUMNS = [
    "region_iso", "type", "name_kk", "name_ru", "name_en", "short_kk", "short_ru", "short_en",
    "abbrev_kk", "abbrev_ru", "parent_iso", "formed_year",
]
ALIAS_COLUMNS = ["alias", "region_iso", "language", "form", "where_used"]
#: Reference columns whose values are themselves accepted spellings.
NAME_COLUMNS = [c for c in REFERENCE_COLUMNS if c.startswith(("name_", "short_", "abbrev_"))]


def normalise_name(name: str) -> str:
    """The key a spelling is matched by: NFC, whitespace runs collapsed, case folded."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(name))).strip().casefold()


def alias_table(reference: pd.DataFrame, aliases: pd.DataFrame, file: str | Path) -> dict[str, str]:
    """Map each normalised spelling to its code; a spelling claimed by two codes is an error."""
    from_names = reference.melt(id_vars="region_iso", value_vars=NAME_COLUMNS, value_name="alias")
    pairs = pd.concat(
        [from_names[["alias", "region_iso"]], aliases[["alias", "region_iso"]]]
    ).dropna(subset=["alias"]).query("alias != ''")
    pairs = pairs.assign(key=pairs["alias"].map(normalise_name)).drop_duplicates(["key", "region_iso"])
    clash = pairs[pairs.duplicated("key", keep=False)]
    if not clash.empty:
        key = clash["key"].iloc[0]
        codes = sorted(clash.loc[clash["key"] == key, "region_iso"])
        raise RawDataError(file, f"spelling '{key}' maps to more than one code: {codes}", column="alias")
    known = set(reference["region_iso"]) | {NATIONAL}
    unknown = aliases.loc[~aliases["region_iso"].isin(known)]
    if not unknown.empty:
        line = unknown.index[0]
        raise RawDataError(
            file,
            f"code '{unknown['region_iso'].iloc[0]}' is not in the region reference",
            line=int(line) if aliases.index.name == LINE else None,
            column="region_iso",
            row_label=unknown["alias"].iloc[0],
        )
    return dict(zip(pairs["key"], pairs["region_iso"], strict=True))


def harmonise(names: pd.Series, table: dict[str, str], file: str | Path) -> pd.Series:
    """Codes for the printed names in ``names`` (indexed by line); unknown names stop the run."""
    codes = names.map(lambda n: table.get(normalise_name(n)))
    unknown = codes.isna()
    if unknown.any():
        line = names.index[unknown.argmax()]
        found = names[line]
        raise RawDataError(
            file,
            f"unknown region '{found}': it is neither a name in data/raw/regions_reference.csv "
            "nor a spelling in data/raw/region_aliases.csv (add it there if it is a real spelling)",
            line=int(line),
            column=names.name,
            row_label=found,
        )
    return codes.astype(str).rename("region_iso")


ADJACENCY_RESOURCE = "region-adjacency"


def load_adjacency(raw_dir=None, package_path=None, codes=None) -> pd.DataFrame:
    """The queen-contiguity pairs (``data/raw/region_adjacency.csv``) through the raw-file gate,
    checked: each pair once, ordered (a < b), no unit paired with itself, only known codes."""
    from analysis import paths
    from analysis.ingest import gate

    _, file, pairs = gate.read_table(ADJACENCY_RESOURCE, raw_dir or paths.RAW, package_path or paths.DATAPACKAGE)
    for line, a, b in zip(pairs.index, pairs["region_iso_a"], pairs["region_iso_b"], strict=True):
        if not a < b:
            raise RawDataError(file, f"a pair is written once, the smaller code first; found {a} - {b}",
                               line=int(line), column="region_iso_b")
        unknown = [c for c in (a, b) if codes is not None and c not in set(codes)]
        if unknown:
            raise RawDataError(file, f"unknown region code {unknown[0]}", line=int(line), column="region_iso_a")
    twice = pairs.duplicated(["region_iso_a", "region_iso_b"])
    if twice.any():
        line = int(pairs.index[twice.argmax()])
        raise RawDataError(file, "the pair is listed twice", line=line, column="region_iso_b")
    return pairs.reset_index(drop=True)
