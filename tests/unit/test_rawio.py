"""Unit tests for analysis.ingest.rawio: strict reading of raw CSV files and atomic writing of outputs."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from analysis import fileio
from analysis.errors import OutputError, RawDataError
from analysis.fileio import atomic_write_bytes, csv_bytes, sha256_file
from analysis.ingest.rawio import LINE, decode_utf8, read_csv_text

COLUMNS = ["region_as_printed", "preschools_total", "inclusive_share_pct"]
HEADER = ",".join(COLUMNS)


def write(tmp_path: Path, data: bytes | str, name: str = "raw.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def text_frame(rows: list[list[str]], lines: list[int], columns: list[str] = COLUMNS) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns, index=pd.Index(lines, name=LINE), dtype=object)


# --- read_csv_text -------------------------------------------------------------------------

def test_cells_are_kept_as_printed_and_indexed_by_line(tmp_path):
    path = write(tmp_path, f'{HEADER}\nҚР,5 555,44.0\nШЫМКЕНТ қ.,071,"85,9"\n')
    frame = read_csv_text(path, COLUMNS)
    expected = text_frame([["ҚР", "5 555", "44.0"], ["ШЫМКЕНТ қ.", "071", "85,9"]], [2, 3])
    pdt.assert_frame_equal(frame, expected)
    assert all(isinstance(cell, str) for cell in frame.to_numpy().ravel())


def test_blank_lines_are_skipped_but_line_numbers_stay_physical(tmp_path):
    path = write(tmp_path, f"{HEADER}\n\nА,1,2.0\n\n\nБ,3,4.0\n")
    frame = read_csv_text(path, COLUMNS)
    assert frame.index.name == LINE
    assert frame.index.tolist() == [3, 6]
    assert frame["region_as_printed"].tolist() == ["А", "Б"]


def test_crlf_line_ends_are_read(tmp_path):
    path = write(tmp_path, f"{HEADER}\r\nА,1,2.0\r\nБ,3,4.0\r\n")
    frame = read_csv_text(path, COLUMNS)
    pdt.assert_frame_equal(frame, text_frame([["А", "1", "2.0"], ["Б", "3", "4.0"]], [2, 3]))


def test_columns_out_of_order_are_an_error(tmp_path):
    path = write(tmp_path, "inclusive_share_pct,region_as_printed,preschools_total\n2.0,А,1\n")
    with pytest.raises(RawDataError, match="columns out of order") as caught:
        read_csv_text(path, COLUMNS)
    assert (caught.value.line, caught.value.column) == (1, "inclusive_share_pct")


def test_byte_order_mark_is_removed_from_the_header(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + f"{HEADER}\nА,1,2.0\n".encode())
    frame = read_csv_text(path, COLUMNS)
    assert list(frame.columns) == COLUMNS
    assert frame.at[2, "region_as_printed"] == "А"


def test_missing_column(tmp_path):
    path = write(tmp_path, "region_as_printed,preschools_total\nА,1\n")
    with pytest.raises(RawDataError, match="missing column") as caught:
        read_csv_text(path, COLUMNS)
    assert (caught.value.line, caught.value.column) == (1, "inclusive_share_pct")


def test_extra_column(tmp_path):
    path = write(tmp_path, f"{HEADER},note\nА,1,2.0,x\n")
    with pytest.raises(RawDataError, match="unexpected column") as caught:
        read_csv_text(path, COLUMNS)
    assert (caught.value.line, caught.value.column) == (1, "note")


def test_duplicate_header_column(tmp_path):
    path = write(tmp_path, f"{HEADER},preschools_total\nА,1,2.0,1\n")
    with pytest.raises(RawDataError, match="column appears twice") as caught:
        read_csv_text(path, COLUMNS)
    assert (caught.value.line, caught.value.column) == (1, "preschools_total")


def test_header_only_file(tmp_path):
    path = write(tmp_path, f"{HEADER}\n\n")
    with pytest.raises(RawDataError, match="header but no data rows") as caught:
        read_csv_text(path, COLUMNS)
    assert caught.value.line == 2


@pytest.mark.parametrize("data", [b"", b"\n", b"  \n\n"])
def test_empty_file(tmp_path, data):
    path = write(tmp_path, data)
    with pytest.raises(RawDataError, match="the file is empty") as caught:
        read_csv_text(path, COLUMNS)
    assert caught.value.line is None
    assert caught.value.column is None


@pytest.mark.parametrize(("row", "fields"), [("А,1", 2), ("А,1,2.0,9", 4)])
def test_ragged_row(tmp_path, row, fields):
    path = write(tmp_path, f"{HEADER}\nБ,3,4.0\n{row}\nВ,5,6.0\n")
    with pytest.raises(RawDataError, match=f"row has {fields} fields, the header has 3") as caught:
        read_csv_text(path, COLUMNS)
    assert caught.value.line == 3
    # a short row is reported in its first missing column, a long one in its first extra field
    assert caught.value.column == (COLUMNS[fields] if fields < len(COLUMNS) else f"field {fields}")


def test_error_names_the_file(tmp_path):
    path = write(tmp_path, b"")
    with pytest.raises(RawDataError) as caught:
        read_csv_text(path, COLUMNS)
    assert str(caught.value).startswith(path.as_posix())


def test_bad_utf8_in_a_file(tmp_path):
    path = write(tmp_path, f"{HEADER}\nА,1,2.0\n".encode() + b"\xc1,3,4.0\n")
    with pytest.raises(RawDataError, match="not valid UTF-8") as caught:
        read_csv_text(path, COLUMNS)
    assert (caught.value.line, caught.value.column) == (3, "region_as_printed")


# --- decode_utf8 ---------------------------------------------------------------------------

def test_decode_utf8_names_line_and_column_of_a_bad_byte():
    data = b"a,b,c\nx,y,z\n1,\xff2,3\n"
    with pytest.raises(RawDataError, match=r"byte 0xff") as caught:
        decode_utf8(data, "some.csv")
    err = caught.value
    assert (err.file, err.line, err.column) == ("some.csv", 3, "b")
    assert str(err).startswith("some.csv, line 3, column 'b': not valid UTF-8")


def test_decode_utf8_bad_byte_in_the_header():
    with pytest.raises(RawDataError, match="byte 0xfe") as caught:
        decode_utf8(b"a,b\xfe\n1,2\n", "f.csv")
    assert caught.value.line == 1


def test_decode_utf8_bad_byte_beyond_the_header_fields():
    with pytest.raises(RawDataError) as caught:
        decode_utf8(b"a,b\n1,2,\xff\n", "f.csv")
    assert (caught.value.line, caught.value.column) == (2, "field 3")


def test_decode_utf8_removes_the_byte_order_mark():
    assert decode_utf8(b"\xef\xbb\xbfa,b\n1,2\n", "f.csv") == "a,b\n1,2\n"
    assert decode_utf8("ҚР,85,9\n".encode(), "f.csv") == "ҚР,85,9\n"


# --- csv_bytes -----------------------------------------------------------------------------

def test_csv_bytes_formats_floats_without_trailing_zero():
    frame = pd.DataFrame({"value": [513.0, 85.9, 0.1 + 0.2], "count": [1, 2, 3], "name": ["а", "b", "c"]})
    assert csv_bytes(frame) == "value,count,name\n513,1,а\n85.9,2,b\n0.3,3,c\n".encode()


def test_csv_bytes_uses_newline_line_ends_and_no_index():
    frame = pd.DataFrame({"a": [1.5, None], "b": ["x", "y"]}, index=[10, 11])
    data = csv_bytes(frame)
    assert b"\r" not in data
    assert data == b"a,b\n1.5,x\n,y\n"  # a missing value is an empty cell


# --- atomic_write_bytes --------------------------------------------------------------------

def test_atomic_write_creates_file_and_parent(tmp_path):
    target = tmp_path / "out" / "table.csv"
    assert atomic_write_bytes(target, b"a\n1\n") is True
    assert target.read_bytes() == b"a\n1\n"
    assert os.listdir(target.parent) == ["table.csv"]


def test_atomic_write_leaves_unchanged_file_untouched(tmp_path):
    target = tmp_path / "table.csv"
    target.write_bytes(b"a\n1\n")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))  # an old mtime: any rewrite would change it
    assert atomic_write_bytes(target, b"a\n1\n") is False
    assert target.stat().st_mtime_ns == 1_000_000_000
    assert os.listdir(tmp_path) == ["table.csv"]


def test_atomic_write_replaces_changed_file(tmp_path):
    target = tmp_path / "table.csv"
    target.write_bytes(b"a\n1\n")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert atomic_write_bytes(target, b"a\n2\n") is True
    assert target.read_bytes() == b"a\n2\n"
    assert target.stat().st_mtime_ns != 1_000_000_000
    assert os.listdir(tmp_path) == ["table.csv"]


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    target.write_bytes(b"old\n")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(fileio.os, "replace", fail)
    with pytest.raises(OutputError, match="table.csv: cannot write: disk full"):
        atomic_write_bytes(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["table.csv"]


def test_commit_all_returns_changed_paths_and_removes(tmp_path):
    same, changed, gone = tmp_path / "same.csv", tmp_path / "changed.csv", tmp_path / "gone.csv"
    same.write_bytes(b"x\n")
    changed.write_bytes(b"y\n")
    gone.write_bytes(b"old\n")
    assert fileio.commit_all({same: b"x\n", changed: b"z\n"}, remove=[gone]) == [changed]
    assert changed.read_bytes() == b"z\n" and not gone.exists()


def test_commit_all_writes_all_or_none(tmp_path, monkeypatch):
    first, second = tmp_path / "a.csv", tmp_path / "sub" / "b.csv"
    first.write_bytes(b"old\n")
    real = fileio.stage_bytes

    def stage(path, data):
        if path == second:
            raise OSError(28, "No space left on device")
        return real(path, data)
    monkeypatch.setattr(fileio, "stage_bytes", stage)
    with pytest.raises(OutputError, match="sub/b.csv: cannot write: No space left on device .errno 28.; nothing of"):
        fileio.commit_all({first: b"new\n", second: b"new\n"})
    assert first.read_bytes() == b"old\n", "the first file was staged, then withdrawn"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.csv"]



def test_outputs_handed_to_the_runner_come_back_as_they_were(tmp_path):
    folder = tmp_path / "outputs"
    folder.mkdir()
    files = {tmp_path / "results" / "a.csv": b"x\n", tmp_path / "results" / "b.png": b"\x89PNG"}
    fileio.stage(folder, files, [tmp_path / "results" / "old.csv"])
    assert fileio.staged(folder) == (files, [tmp_path / "results" / "old.csv"])
    assert fileio.staged(tmp_path / "nothing-handed-over") == ({}, [])


def test_a_full_temporary_folder_while_handing_over_outputs_names_it(tmp_path, monkeypatch):
    folder = tmp_path / "nbrun-1" / "outputs"
    folder.mkdir(parents=True)

    def full(self, data):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError, match=r"nbrun-1: cannot write: No space left on device \(errno 28\); nothing of "
                                          "this step was written"):
        fileio.stage(folder, {tmp_path / "a.csv": b"x\n"}, [])

# --- sha256_file ---------------------------------------------------------------------------

def test_sha256_file(tmp_path):
    path = write(tmp_path, b"abc")
    assert sha256_file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    binary = write(tmp_path, bytes(range(256)) * 3, "blob.bin")
    assert sha256_file(str(binary)) == hashlib.sha256(bytes(range(256)) * 3).hexdigest()


def test_atomic_write_removes_temporaries_an_interrupted_write_left(tmp_path):
    target = tmp_path / "out.csv"
    stale = tmp_path / ".out.csv.abc123.tmp"
    stale.write_bytes(b"half")
    other = tmp_path / ".other.csv.abc123.tmp"
    other.write_bytes(b"not ours")
    atomic_write_bytes(target, b"whole\n")
    assert target.read_bytes() == b"whole\n"
    assert not stale.exists() and other.exists()
