"""Every kind of bad input a user can give stops the run with one message, whose first line names
the file (and the line, column, claim, correction or parameter where there is one), and changes
nothing: the processed and results folders stay byte for byte (and mtime for mtime) as they were.

Each row of :data:`CASES` is one kind of bad input, with the exact first line of the message it
must give. docs/data.md states how many kinds are covered; ``test_the_data_guide_counts_them``
checks the number.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import paths
from analysis.claims import registry
from analysis.errors import NotebookError, OutputError, RawDataError, UserError
from analysis.pipeline.run import run_notebook
from analysis.session.outputs import OutputWriter

from support import clean_and_write

T1 = "table1_preschools_2023.csv"
T2 = "table2_teacher_shortage_2023.csv"
TEXT = "text_statistics_2023.csv"
REF = "regions_reference.csv"


@dataclass
class Ctx:
    """A private copy of data/ (raw, processed, datapackage.json), a results folder beside it, and
    helpers to break them."""

    data: object  # conftest.DataCopy
    tmp: Path
    monkeypatch: pytest.MonkeyPatch

    @property
    def raw(self) -> str:
        return self.data.raw.as_posix()

    @property
    def results(self) -> Path:
        return self.data.root / "results"

    def edit(self, name: str, old: str, new: str, *, record_hash: bool = True, count: int = 1) -> None:
        def change(text: str) -> str:
            assert text.count(old) >= 1, f"{old!r} not in {name}"
            return text.replace(old, new, count)
        self.data.edit(name, change, record_hash=record_hash)

    def lines(self, name: str, change: Callable[[list[str]], list[str]]) -> None:
        self.data.edit(name, lambda t: "\n".join(change(t.splitlines())) + "\n")

    def clean(self, **kwargs) -> None:
        options = {"processed_dir": self.data.processed, "results_dir": self.results, **kwargs}
        clean_and_write(2023, self.data.raw, options.pop("processed_dir"), self.data.package, options.pop("results_dir"))

    def state(self) -> dict:
        files = [*self.data.processed.rglob("*"), *self.results.rglob("*")]
        return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(files) if p.is_file()}


@dataclass(frozen=True)
class Case:
    id: str
    #: Breaks the input; returns nothing.
    setup: Callable[[Ctx], None]
    #: The exact first line of the message; {raw}, {data}, {tmp} and {results} are filled in.
    message: str
    #: What runs (default: the cleaning step into the copy's folders).
    run: Callable[[Ctx], None] = Ctx.clean
    error: type[UserError] = RawDataError
    #: Run the cleaning once first, so that the copy's results folder holds a manifest fragment
    #: to protect (for the cases about writing outputs).
    prepare: bool = False


def clean_into_elsewhere(ctx: Ctx) -> None:  # the README's old next-year command: no results_dir
    ctx.clean(processed_dir=ctx.tmp / "processed-2024")


def load_claims(ctx: Ctx) -> None:
    registry.load_registry(ctx.data.raw, ctx.data.package)


def notebook(ctx: Ctx, **parameters) -> None:
    run_notebook(ctx.tmp / "nb.ipynb", ctx.tmp / "out.ipynb", parameters)


def copy_notebook(ctx: Ctx, truncate: bool = False) -> None:
    data = (paths.NOTEBOOKS / "00_clean_extracts.ipynb").read_bytes()
    (ctx.tmp / "nb.ipynb").write_bytes(data[: len(data) // 2] if truncate else data)


def failing_writes(ctx: Ctx, where: str, errno: int, strerror: str) -> None:
    """Every temporary write under ``where`` fails (a full disk, a read-only folder)."""
    import analysis.fileio as fileio

    real = fileio.stage_bytes

    def stage(path, data):
        if where in Path(path).as_posix():
            raise OSError(errno, strerror)
        return real(path, data)
    ctx.monkeypatch.setattr(fileio, "stage_bytes", stage)


def other_year_into_stored(ctx: Ctx) -> None:
    writer = OutputWriter("00_clean_extracts", paths.RESULTS, year=2024)
    writer.add_text(paths.PROJECT_ROOT / "build" / "never-written.txt", "x")
    writer.finish()


def duplicate_many(ctx: Ctx) -> None:
    rows = [f"АБАЙ,283,135,47.7,{i}" for i in range(2000)]
    ctx.lines(T1, lambda lines: lines + rows)


def bad_json(ctx: Ctx) -> None:
    ctx.data.package.write_text('{\n  "name": "kz",\n  "resources": [\n', encoding="utf-8")  # cut short


def no_year(ctx: Ctx) -> None:
    package = json.loads(ctx.data.package.read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != "table2-teacher-shortage-2023"]
    ctx.data.package.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")


def claims_edit(old: str, new: str) -> Callable[[Ctx], None]:
    return lambda ctx: ctx.edit("claims.yml", old, new, record_hash=True)


def encode(codec: str) -> Callable[[Ctx], None]:
    def setup(ctx: Ctx) -> None:
        text = (ctx.data.raw / T1).read_text(encoding="utf-8")
        ctx.data.write_bytes(T1, text.encode(codec, errors="replace"))  # cp1251 has no Қ: '?'
    return setup


def valid_change(ctx: Ctx) -> None:
    """A change the cleaning accepts (one more child with SEN in Abai, and in the total), so that
    the step has new outputs to write."""
    ctx.edit(T1, "ҚР,5555,2442,44.0,9139", "ҚР,5555,2442,44.0,9140")
    ctx.edit(T1, "АБАЙ,283,135,47.7,223", "АБАЙ,283,135,47.7,224")


def by_hand(*argv: str) -> Callable[[Ctx], None]:
    """A by-hand run of the runner, up to the point where it would start: every check made."""
    from analysis.pipeline.run import parse_args, prepare

    return lambda ctx: prepare(parse_args([a.format(tmp=ctx.tmp) for a in argv]))


def symlinked_raw_file(ctx: Ctx) -> None:
    """T1 replaced by a link to a copy of itself outside the data folder (same bytes)."""
    outside = ctx.tmp / "elsewhere" / T1
    outside.parent.mkdir()
    outside.write_bytes((ctx.data.raw / T1).read_bytes())
    (ctx.data.raw / T1).unlink()
    (ctx.data.raw / T1).symlink_to(outside)


def edit_package(change: Callable[[dict], None]) -> Callable[[Ctx], None]:
    def setup(ctx: Ctx) -> None:
        package = json.loads(ctx.data.package.read_text(encoding="utf-8"))
        change(package)
        ctx.data.package.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    return setup


def resource_named(package: dict, name: str) -> dict:
    return next(r for r in package["resources"] if r["name"] == name)


def rehash_without_a_raw_file(ctx: Ctx) -> None:
    from analysis.ingest.datapackage import rehash

    (ctx.data.raw / "legal_acts.csv").unlink()
    rehash(ctx.data.package)


def fewer_outputs_into_stored(ctx: Ctx) -> None:
    """Notebook 10 with its languages cut to English, run into the stored folders."""
    from analysis import pipeline

    step = pipeline.Step("10_table1_preschools", year=2023, languages="en")
    writer = OutputWriter("10_table1_preschools", paths.RESULTS, year=2023, step=step)
    writer.add_text(paths.RESULTS / "tables" / "table1_preschools_en.md", "only English")
    writer.finish()


#: corrections.yml replaced by ten lines whose aliases expand to a billion items (a "billion laughs").
BILLION_LAUGHS = "\n".join(["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
                            *(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)),
                            "entries: *i"]) + "\n"


SHARE = "share of summed counts at printed precision"
CASES = [
    # -- the shape of a raw file --------------------------------------------------------------------
    Case("missing-column", lambda c: c.lines(T1, lambda ls: [",".join(x.split(",")[:4]) for x in ls]),
         "{raw}/" + T1 + ", line 1, column 'sen_children': missing column; the header has ['region_as_printed', "
         "'preschools_total', 'preschools_inclusive', 'inclusive_share_pct'], expected ['region_as_printed', "
         "'preschools_total', 'preschools_inclusive', 'inclusive_share_pct', 'sen_children']"),
    Case("extra-column", lambda c: c.lines(T2, lambda ls: [x + (",note" if i == 0 else ",") for i, x in enumerate(ls)]),
         "{raw}/" + T2 + ", line 1, column 'note': unexpected column; expected exactly ['region_as_printed', "
         "'shortage_total', 'shortage_urban', 'shortage_rural', 'shortage_state', 'shortage_private']"),
    Case("renamed-column", lambda c: c.edit(T2, "shortage_rural", "shortage_village"),
         "{raw}/" + T2 + ", line 1, column 'shortage_rural': missing column; the header has ['region_as_printed', "
         "'shortage_total', 'shortage_urban', 'shortage_village', 'shortage_state', 'shortage_private'], expected "
         "['region_as_printed', 'shortage_total', 'shortage_urban', 'shortage_rural', 'shortage_state', 'shortage_private']"),
    Case("columns-out-of-order", lambda c: c.lines(T2, lambda ls: [",".join([*(f := x.split(","))[:1], f[2], f[1], *f[3:]])
                                                                      for x in ls]),
         "{raw}/" + T2 + ", line 1, column 'shortage_urban': columns out of order; expected ['region_as_printed', "
         "'shortage_total', 'shortage_urban', 'shortage_rural', 'shortage_state', 'shortage_private']"),
    Case("ragged-row", lambda c: c.edit(T2, "Ақтөбе,178,71,107,114,64", "Ақтөбе,178,71,107,114"),
         "{raw}/" + T2 + ", line 5, column 'shortage_private': row has 5 fields, the header has 6"),
    Case("empty-file", lambda c: c.data.write_bytes(TEXT, b""),
         "{raw}/" + TEXT + ": the file is empty; expected a header and data rows"),
    Case("header-only", lambda c: c.lines(TEXT, lambda ls: ls[:1]),
         "{raw}/" + TEXT + ", line 2: the file has a header but no data rows"),
    # -- values -----------------------------------------------------------------------------------
    Case("text-in-count", lambda c: c.edit(T1, "АҚТӨБЕ,385,", "АҚТӨБЕ,three hundred,"),
         "{raw}/" + T1 + ", line 5 (row 'АҚТӨБЕ'), column 'preschools_total': expected a whole number (digits 0-9, no sign), found 'three hundred'"),
    Case("float-in-count", lambda c: c.edit(T1, "АҚТӨБЕ,385,", "АҚТӨБЕ,385.5,"),
         "{raw}/" + T1 + ", line 5 (row 'АҚТӨБЕ'), column 'preschools_total': expected a whole number (digits 0-9, no sign), found '385.5'"),
    Case("negative-count", lambda c: c.edit(T2, "Жамбыл,408,223,185,178,230", "Жамбыл,408,223,185,-178,586"),
         "{raw}/" + T2 + ", line 9 (row 'Жамбыл'), column 'shortage_state': must be at least 0: found -178"),
    Case("empty-cell", lambda c: c.edit(T1, "АҚТӨБЕ,385,139,36.1,365", "АҚТӨБЕ,385,139,36.1,"),
         "{raw}/" + T1 + ", line 5 (row 'АҚТӨБЕ'), column 'sen_children': expected a whole number (digits 0-9, no sign), found ''"),
    Case("unknown-region", lambda c: c.edit(T1, "ЖАМБЫЛ,", "ЖАМБЫЛЬ,"),
         "{raw}/" + T1 + ", line 9 (row 'ЖАМБЫЛЬ'), column 'region_as_printed': unknown region 'ЖАМБЫЛЬ': it is "
         "neither a name in data/raw/regions_reference.csv nor a spelling in data/raw/region_aliases.csv (add it "
         "there if it is a real spelling)"),
    Case("duplicate-region", lambda c: c.edit("corrections.yml", "status: applied\n\n- id: C002",
                                              "status: withdrawn\n\n- id: C002", record_hash=True),
         "{raw}/" + T2 + ", line 8 (row 'БҚО'), column 'region_as_printed': duplicate region: 'БҚО', 'БҚО' on lines "
         "8, 16 all map to KZ-27"),
    Case("duplicate-region-many-lines", duplicate_many,
         "{raw}/" + T1 + ", line 3 (row 'АБАЙ'), column 'region_as_printed': duplicate region: 'АБАЙ' on lines 3, "
         "23, 24, 25, 26, 27, 28, 29, 30, 31 and 1991 more all map to KZ-10"),
    Case("missing-region", lambda c: c.lines(T1, lambda ls: [x for x in ls if not x.startswith("ҰЛЫТАУ,")]),
         "{raw}/" + T1 + ", column 'region_as_printed': 1 of the 20 regions missing: KZ-62 (Ulytau Region)"),
    Case("share-vs-counts", lambda c: c.edit(T1, "АТЫРАУ,243,52,21.4,", "АТЫРАУ,243,52,24.1,"),
         "{raw}/" + T1 + ", line 7 (row 'АТЫРАУ'), column 'inclusive_share_pct': printed share is not 100 * "
         "preschools_inclusive / preschools_total at one decimal (found 24.1)"),
    Case("urban-plus-rural", lambda c: c.edit(T2, "Атырау,683,447,236,", "Атырау,683,447,237,"),
         "{raw}/" + T2 + ", line 7 (row 'Атырау'), column 'shortage_total': urban + rural does not equal the total "
         "(found 683)"),
    Case("total-vs-sum", lambda c: c.edit(T2, "ҚР,13828,8278,5550,3617,10211", "ҚР,13828,8278,5550,3617,10221"),
         "{raw}/" + T2 + ", line 2 (row 'ҚР'), column 'shortage_private': printed total 10221 does not match the 20 "
         "regions (sum of regions: 10211)"),
    Case("unknown-region-in-text", lambda c: c.edit(TEXT, ",Жетісуда,", ",Жетысуда,"),
         "{raw}/" + TEXT + ", line 18 (row 'Жетысуда'), column 'region_as_printed': unknown region 'Жетысуда': it "
         "is neither a name in data/raw/regions_reference.csv nor a spelling in data/raw/region_aliases.csv (add it "
         "there if it is a real spelling)"),
    Case("text-statistic-not-a-number", lambda c: c.edit(TEXT, ",2958,", ",2958 adam,"),
         "{raw}/" + TEXT + ", line 21, column 'value_as_printed': expected a number as printed (e.g. '5 555' or "
         "'85,9'), found '2958 adam'"),
    # -- encodings ----------------------------------------------------------------------------------
    Case("windows-1251", encode("cp1251"),
         "{raw}/" + T1 + ", line 2, column 'region_as_printed': not valid UTF-8 (byte 0xd0); raw files must be UTF-8 encoded"),
    Case("kz-1048", encode("kz1048"),
         "{raw}/" + T1 + ", line 2, column 'region_as_printed': not valid UTF-8 (byte 0x8d); raw files must be UTF-8 encoded"),
    Case("utf-16", encode("utf-16"),
         "{raw}/" + T1 + ", line 1: encoded as UTF-16 (it starts with the byte-order mark FF FE); raw files must be "
         "UTF-8 encoded"),
    # -- canonical text (the gate) --------------------------------------------------------------------
    Case("trailing-space", lambda c: c.edit(T1, "АБАЙ,283,", "АБАЙ  ,283,"),
         "{raw}/" + T1 + ", line 3, column 'region_as_printed': trailing whitespace in 'АБАЙ  '"),
    Case("leading-space", lambda c: c.edit(T2, "\nАбай,", "\n Абай,"),
         "{raw}/" + T2 + ", line 3, column 'region_as_printed': leading whitespace in ' Абай'"),
    # NFD: 'й' written as 'и' + U+0306 COMBINING BREVE in the Kazakh name of Abai's reference row.
    Case("decomposed-unicode", lambda c: c.edit(REF, "Абай облысы", "Абай облысы".replace("й", "и\u0306")),
         "{raw}/" + REF + ", line 2, column 'name_kk': text is not in Unicode normal form NFC (it contains U+0306 "
         "COMBINING BREVE, a decomposed character); write 'Абай облысы'"),
    Case("latin-letter-in-cyrillic-word", lambda c: c.edit(T2, "Шымкент қ.", "Шымкенt қ."),
         "{raw}/" + T2 + ", line 22, column 'region_as_printed': Latin 't' (U+0074 LATIN SMALL LETTER T) in the "
         "Cyrillic word 'Шымкенt'"),
    Case("latin-lookalike-in-name", lambda c: c.edit(T1, "ҚОСТАНАЙ,", "ҚOСТАНАЙ,"),
         "{raw}/" + T1 + ", line 12, column 'region_as_printed': Latin 'O' (U+004F LATIN CAPITAL LETTER O) in the "
         "Cyrillic word 'ҚOСТАНАЙ' (it looks like Cyrillic 'О')"),
    Case("latin-name-in-cyrillic-column", lambda c: c.edit(T1, "АБАЙ,283,", "ABAI,283,"),
         "{raw}/" + T1 + ", line 3, column 'region_as_printed': Latin 'A' (U+0041 LATIN CAPITAL LETTER A, a look-alike "
         "of Cyrillic 'А') in 'ABAI', which must be Cyrillic"),
    Case("zero-width-space", lambda c: c.edit(T1, "АБАЙ,283,", "АБ\u200bАЙ,283,"),
         "{raw}/" + T1 + ", line 3, column 'region_as_printed': invisible, combining or control character U+200B "
         "ZERO WIDTH SPACE in 'АБ\\u200bАЙ'"),
    Case("control-character", lambda c: c.edit(REF, "Abai Region", "Abai\x07Region"),
         "{raw}/" + REF + ", line 2, column 'name_en': invisible, combining or control character U+0007 unnamed in "
         "'Abai\\u0007Region'"),
    # -- hashes, the data package ------------------------------------------------------------------
    Case("changed-raw-file", lambda c: c.edit(T1, "АБАЙ,283,", "АБАЙ,284,", record_hash=False),
         "{raw}/" + T1 + ": sha256 is {sha}, but {data}/datapackage.json records {recorded}: the raw file has changed. "
         "Raw files are transcribed once and never edited; record a fix in data/raw/corrections.yml instead. If "
         "the file was deliberately re-transcribed and reviewed, record its new hash with `make rehash`."),
    Case("truncated-datapackage", bad_json,
         "{data}/datapackage.json, line 4, character 1: not valid JSON: Expecting value"),
    Case("year-not-registered", no_year,
         "{data}/datapackage.json: no resource 'table2-teacher-shortage-2023': describe the raw file for 2023 "
         "(schema, provenance, sha256) before cleaning it"),
    # -- corrections ------------------------------------------------------------------------------
    Case("correction-misspelled-resource", lambda c: c.edit("corrections.yml", "resource: table1-preschools-2023",
                                                             "resource: table1-preschols-2023", record_hash=True),
         "{raw}/corrections.yml, line 34, correction C002: resource 'table1-preschols-2023' is not in "
         "data/datapackage.json, so the correction would never apply (did you mean 'table1-preschools-2023'?)"),
    Case("correction-matches-nothing", lambda c: c.edit("corrections.yml", 'region_as_printed: "ШЫМКЕНТ қ."',
                                                         'region_as_printed: "ШЫМКЕНТ"', record_hash=True),
         "{raw}/" + T1 + ", column 'region_as_printed': correction C002 must match exactly one row, matches 0 "
         "({{'region_as_printed': 'ШЫМКЕНТ'}}); the raw file and data/raw/corrections.yml (line 34) disagree"),
    Case("correction-unknown-column", lambda c: c.edit("corrections.yml", "column: inclusive_share_pct",
                                                        "column: share_pct", record_hash=True),
         "{raw}/" + T1 + ", column 'share_pct': correction C002 names a column the file does not have "
         "(data/raw/corrections.yml, line 34)"),
    Case("correction-old-value-differs", lambda c: c.edit(T1, '"85,9"', "85.9"),
         "{raw}/" + T1 + ", line 22 (row 'ШЫМКЕНТ қ.'), column 'inclusive_share_pct': correction C002 expects the "
         "printed value '85,9', found '85.9'"),
    Case("corrections-not-yaml", lambda c: c.edit("corrections.yml", "- id: C002", "- id: [C002", record_hash=True),
         "{raw}/corrections.yml, line 35, character 11: not valid YAML: expected ',' or ']', but got ':'"),
    Case("correction-not-a-mapping", lambda c: c.edit("corrections.yml", "\n- id: C002", "\n- just a note\n- id: C002",
                                                       record_hash=True),
         "{raw}/corrections.yml, line 34, entry 2: expected the keys ['action', 'column', 'evidence', 'id', 'match', "
         "'new', 'old', 'reason', 'resource', 'status'], found str 'just a note'"),
    # -- the claims registry ------------------------------------------------------------------------
    Case("claim-is-a-bare-string", claims_edit("  - id: AKK-2\n", "  - just a sentence\n  - id: AKK-2\n"),
         "{raw}/claims.yml, line 75: claim entry 2: expected a mapping with ['check', 'id', 'paragraph', 'quote', "
         "'reported', 'section'], found str 'just a sentence'", run=load_claims),
    Case("claim-without-id", claims_edit("  - id: AKK-2\n    section: abstract_kk", "  - section: abstract_kk"),
         "{raw}/claims.yml, line 75: claim entry 2: has no 'id' (its keys: ['check', 'paragraph', 'quote', "
         "'reported', 'section', 'statement_en', 'statement_ru'])", run=load_claims),
    Case("claims-not-yaml", claims_edit("  - id: AKK-2\n", "  - id: [AKK-2\n"),
         "{raw}/claims.yml, line 76, character 12: not valid YAML: expected ',' or ']', but got ':'",
         run=load_claims),
    Case("claim-unknown-check", claims_edit("      name: not_checkable\n", "      name: not_checkabel\n"),
         "{raw}/claims.yml, line 64, claim AKK-1: unknown check 'not_checkabel'; known: {checks}", run=load_claims),
    # -- notebooks and their parameters ---------------------------------------------------------------
    Case("truncated-notebook", lambda c: copy_notebook(c, truncate=True),
         "{tmp}/nb.ipynb: not a readable notebook (not valid JSON: truncated or damaged); restore it from git or "
         "save it again from JupyterLab",
         run=notebook, error=NotebookError),
    Case("unknown-parameter", copy_notebook,
         "{tmp}/nb.ipynb, parameter 'yaer': unknown parameter; the notebook's parameters are year (default 2023), "
         "raw_dir (default 'data/raw'), processed_dir (default 'data/processed'), datapackage (default "
         "'data/datapackage.json'), results_dir (default 'results')",
         run=lambda c: notebook(c, yaer=2024), error=NotebookError),
    Case("text-for-a-number", copy_notebook,
         "{tmp}/nb.ipynb, parameter 'year': expects a whole number (default 2023), given '2023', text; give numbers "
         "with -p (-p year 2023), -r keeps text", run=lambda c: notebook(c, year="2023"), error=NotebookError),
    Case("number-for-text", copy_notebook,
         "{tmp}/nb.ipynb, parameter 'processed_dir': expects text (default 'data/processed'), given 2024, a whole "
         "number; give text with -r (-r processed_dir 2024)", run=lambda c: notebook(c, processed_dir=2024),
         error=NotebookError),
    # -- where outputs go ---------------------------------------------------------------------------
    Case("outputs-outside-the-run-folders", lambda c: None,
         "{results}/manifest/00_clean_extracts.csv: 00_clean_extracts.ipynb would write {tmp}/processed-2024/"
         "corrections_log.csv, {tmp}/processed-2024/national_indicators.csv, {tmp}/processed-2024/"
         "official_statements.csv, {tmp}/processed-2024/preschool_inclusion_2023.csv, {tmp}/processed-2024/"
         "printed_totals_2023.csv, {tmp}/processed-2024/regions.csv, "
         "{tmp}/processed-2024/teacher_shortage_2023.csv outside {data}, the folder tree its manifest fragment "
         "describes; nothing was written. Give every output folder of a run one common parent (e.g. -r processed_dir "
         "build/2024/processed -r results_dir build/2024/results), or use make reproduce YEAR=<year>",
         run=clean_into_elsewhere, error=OutputError, prepare=True),
    Case("another-year-into-the-stored-outputs", lambda c: None,
         "results/manifest/00_clean_extracts.csv: 00_clean_extracts.ipynb ran for 2024, but the stored outputs hold "
         "the article's year 2023; nothing was written. Run another year into its own folders: make reproduce YEAR=2024",
         run=other_year_into_stored, error=OutputError),
    Case("full-disk", lambda c: (valid_change(c), failing_writes(c, "processed/printed_totals", 28,
                                                                  "No space left on device")),
         "{data}/processed/printed_totals_2023.csv: cannot write: No space left on device (errno 28); nothing of "
         "this step was written", error=OutputError, prepare=True),
    Case("read-only-results", lambda c: (valid_change(c), failing_writes(c, "results/manifest", 30,
                                                                          "Read-only file system")),
         "{results}/manifest/00_clean_extracts.csv: cannot write: Read-only file system (errno 30); nothing of this "
         "step was written", error=OutputError, prepare=True),
    # -- found by a hostile tester: invisible characters, numbers in other notations ---------------
    Case("combining-grapheme-joiner", lambda c: c.edit(T1, "АБАЙ,283,", "АБ\u034fАЙ,283,"),
         "{raw}/" + T1 + ", line 3, column 'region_as_printed': invisible, combining or control character U+034F "
         "COMBINING GRAPHEME JOINER in 'АБ\\u034fАЙ'"),
    Case("combining-grapheme-joiner-in-a-quote", lambda c: c.edit(TEXT, "513 арнайы", "513 арна\u034fйы"),
         "{raw}/" + TEXT + ", line 2, column 'quote': invisible, combining or control character U+034F COMBINING "
         "GRAPHEME JOINER in '2024 жылдың басында елімізде 513 арна\\u034fйы білім беру ұйымы жұмыс істеді'"),
    Case("no-break-space", lambda c: c.edit(REF, "Abai Region", "Abai\u00a0Region"),
         "{raw}/" + REF + ", line 2, column 'name_en': invisible, combining or control character U+00A0 NO-BREAK "
         "SPACE in 'Abai\\u00a0Region'"),
    Case("full-width-digits", lambda c: c.edit(T1, "АБАЙ,283,", "АБАЙ,２８３,"),
         "{raw}/" + T1 + ", line 3 (row 'АБАЙ'), column 'preschools_total': expected a whole number (digits 0-9, no "
         "sign), found '２８３'"),
    Case("plus-sign-in-count", lambda c: c.edit(T1, "АБАЙ,283,", "АБАЙ,+283,"),
         "{raw}/" + T1 + ", line 3 (row 'АБАЙ'), column 'preschools_total': expected a whole number (digits 0-9, no "
         "sign), found '+283'"),
    # -- strict YAML ------------------------------------------------------------------------------
    Case("duplicate-key-in-a-claim", claims_edit('    reported: ["513", "55",', '    reported: ["510"]\n    reported: ["513", "55",'),
         "{raw}/claims.yml, line 441, character 5: key 'reported' appears twice in one mapping (also on line 440)",
         run=load_claims),
    Case("billion-laughs", lambda c: c.data.edit("corrections.yml", lambda t: BILLION_LAUGHS),
         "{raw}/corrections.yml, line 1, character 4: anchor '&a': anchors and aliases are not allowed here; write "
         "the value out"),
    Case("recursive-alias", claims_edit("  - id: AKK-2\n", "  - &r [*r]\n  - id: AKK-2\n"),
         "{raw}/claims.yml, line 75, character 5: anchor '&r': anchors and aliases are not allowed here; write the "
         "value out", run=load_claims),
    Case("yaml-tag", lambda c: c.edit("corrections.yml", "- id: C002", "- id: !!python/name:os.system C002",
                                      record_hash=True),
         "{raw}/corrections.yml, line 34, character 7: tag 'tag:yaml.org,2002:python/name:os.system': tags are not "
         "allowed here"),
    # -- raw files are regular files inside data/raw; the data package's own mistakes ---------------
    Case("symlinked-raw-file", symlinked_raw_file,
         "{raw}/" + T1 + ": is a symbolic link (to {tmp}/elsewhere/" + T1 + "); raw files of resource "
         "'table1-preschools-2023' must be regular files in data/raw: copy the file in, and record it with make rehash"),
    Case("resource-path-outside-data", edit_package(lambda p: resource_named(p, "table1-preschools-2023").update(
        path="raw/../../outside.csv")),
         "{data}/datapackage.json: resource 'table1-preschools-2023': its path 'raw/../../outside.csv' is not a file "
         "under raw/; every raw file lies in data/raw"),
    Case("bad-iso-code-in-the-reference", lambda c: c.edit(REF, "KZ-10,", "KZ-99,"),
         "{raw}/" + REF + ", line 2 (row 'KZ-99'), column 'region_iso': must be one of ['KZ-10', 'KZ-11', 'KZ-15', "
         "'KZ-19', 'KZ-23', 'KZ-27', 'KZ-31', 'KZ-33', 'KZ-35', 'KZ-39', 'KZ-43', 'KZ-47', 'KZ-55', 'KZ-59', 'KZ-61', "
         "'KZ-62', 'KZ-63', 'KZ-71', 'KZ-75', 'KZ-79']: found 'KZ-99'"),
    Case("unknown-field-type", edit_package(lambda p: resource_named(p, "preschool-inclusion-2023")["schema"]["fields"][4]
                                            .update(type="integr")),
         "{data}/datapackage.json, resource 'preschool-inclusion-2023', field 'preschools_total': unknown type 'integr'; a "
         "field's type is one of string, integer, number, boolean, date"),
    # -- by-hand runs write only into a folder of their own ----------------------------------------
    Case("by-hand-run-into-the-raw-folder", lambda c: None,
         "notebooks/00_clean_extracts.ipynb, parameter 'processed_dir': a run into the stored folders takes the "
         "notebook's own parameters and place; to run with other values, name a folder of your own: python -m "
         "analysis.pipeline.run notebooks/00_clean_extracts.ipynb --into build/by-hand ...",
         run=by_hand("notebooks/00_clean_extracts.ipynb", "-r", "processed_dir", "data/raw/supplementary", "-o",
                     "build/by-hand/00.ipynb"), error=NotebookError),
    Case("by-hand-language-subset", lambda c: None,
         "notebooks/10_table1_preschools.ipynb, parameter 'languages': a run into the stored folders takes the "
         "notebook's own parameters and place; to run with other values, name a folder of your own: python -m "
         "analysis.pipeline.run notebooks/10_table1_preschools.ipynb --into build/by-hand ...",
         run=by_hand("notebooks/10_table1_preschools.ipynb", "-r", "languages", "en"), error=NotebookError),
    Case("into-a-stored-folder", lambda c: None,
         "notebooks/10_table1_preschools.ipynb, --into: data/raw/by-hand is or holds a stored folder (data/, results/, "
         "notebooks/, src/); name a folder of its own, such as build/by-hand",
         run=by_hand("notebooks/10_table1_preschools.ipynb", "--into", "data/raw/by-hand", "-r", "languages", "en"),
         error=NotebookError),
    Case("by-hand-folder-outside-its-own", lambda c: None,
         "notebooks/00_clean_extracts.ipynb, parameter 'processed_dir': this step writes into data/raw, which is "
         "outside --into {tmp}/mine; every folder a run writes lies inside it",
         run=by_hand("notebooks/00_clean_extracts.ipynb", "--into", "{tmp}/mine", "-r", "processed_dir", "data/raw"),
         error=NotebookError),
    Case("rehash-with-a-raw-file-missing", lambda c: None,
         "{raw}/legal_acts.csv: the raw file of resource 'legal-acts' is missing; nothing was recorded. Restore it "
         "(git checkout -- {raw}/legal_acts.csv), or remove its resource from {data}/datapackage.json",
         run=rehash_without_a_raw_file),
    Case("fewer-outputs-into-the-stored-folders", lambda c: None,
         "results/manifest/10_table1_preschools.csv: 10_table1_preschools.ipynb does not write what its step "
         "declares in src/analysis/pipeline/steps.yml: it would not write results/tables/table1_preschools_comparison.csv, "
         "results/tables/table1_preschools_en.csv, results/tables/table1_preschools_en.tex, "
         "results/tables/table1_preschools_kk.csv, results/tables/table1_preschools_kk.md, "
         "results/tables/table1_preschools_kk.tex, results/tables/table1_preschools_ru.csv, "
         "results/tables/table1_preschools_ru.md, results/tables/table1_preschools_ru.tex; nothing was written. A "
         "stored notebook runs with its own parameters (restore them: git checkout -- "
         "notebooks/10_table1_preschools.ipynb); to try other values, run it into a folder of your own: python -m "
         "analysis.pipeline.run notebooks/10_table1_preschools.ipynb --into build/by-hand ...",
         run=fewer_outputs_into_stored, error=OutputError),
]


def expected(case: Case, ctx: Ctx) -> str:
    from analysis.claims.checks import CHECKS
    from analysis.fileio import sha256_file

    values = {"raw": ctx.raw, "data": ctx.data.root.as_posix(), "tmp": ctx.tmp.as_posix(),
              "results": ctx.results.as_posix(), "checks": sorted(CHECKS)}
    if case.id == "changed-raw-file":
        package = json.loads(ctx.data.package.read_text(encoding="utf-8"))
        recorded = next(r for r in package["resources"] if r["path"] == f"raw/{T1}")["hash"].removeprefix("sha256:")
        values.update(sha=sha256_file(ctx.data.raw / T1), recorded=recorded)
    return case.message.format(**values)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_stops_with_one_message_and_changes_nothing(case, data_copy, tmp_path, monkeypatch):
    ctx = Ctx(data_copy, tmp_path, monkeypatch)
    if case.prepare:
        ctx.clean()  # the copy's results folder then holds the step's fragment, as the stored one does
    case.setup(ctx)
    before = ctx.state()
    stored = {p: p.stat().st_mtime_ns for p in [*paths.PROCESSED.iterdir(), *paths.RESULTS.glob("manifest/*.csv")]}
    with pytest.raises(UserError) as caught:
        case.run(ctx)
    err = caught.value
    assert isinstance(err, case.error), f"{type(err).__name__}: {err}"
    first = str(err).splitlines()[0]
    want = expected(case, ctx)
    assert first == want
    assert ctx.state() == before, "a file changed although the run stopped"
    assert not [p for p in tmp_path.rglob(".*.tmp")], "a temporary file was left behind"
    assert {p: p.stat().st_mtime_ns for p in stored} == stored, "a stored output was touched"
    assert not (tmp_path / "processed-2024").exists() or not any((tmp_path / "processed-2024").iterdir())


def test_the_data_guide_counts_them():
    guide = (paths.PROJECT_ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    assert f"**{len(CASES)} kinds of bad input**" in guide, f"docs/data.md must say {len(CASES)} kinds of bad input"


def test_cases_are_distinct():
    assert len({c.id for c in CASES}) == len(CASES)
    assert len({c.message for c in CASES}) == len(CASES)
