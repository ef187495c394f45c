"""A citable archive: CITATION.cff and .zenodo.json agree and carry what a repository needs, the
RO-Crate (ro-crate-metadata.json, written with the rocrate library) validates and is current, and
two archives of the same repository have the same bytes."""

from __future__ import annotations

import hashlib
import json

import pytest

from analysis import paths
from analysis.errors import RawDataError
from analysis.ingest.rawio import read_yaml

ROOT = paths.PROJECT_ROOT
CFF, _ = read_yaml(ROOT / "CITATION.cff")
ZENODO = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))


def test_citation_and_zenodo_agree_and_name_the_article():
    assert CFF["title"] and CFF["version"] and CFF["date-released"] and CFF["license"]
    assert (ZENODO["title"], ZENODO["version"], ZENODO["publication_date"], ZENODO["license"]) == (
        CFF["title"], str(CFF["version"]), str(CFF["date-released"]), CFF["license"])
    doi = CFF["preferred-citation"]["doi"]
    assert any(r.get("doi") == doi for r in CFF["references"]), "the article is among the references"
    assert any(r["identifier"] == doi for r in ZENODO["related_identifiers"])
    assert "MAINTAINERS" in json.dumps(CFF["authors"]).upper() and "MAINTAINERS" in json.dumps(ZENODO["creators"]).upper(), \
        "the author entries are marked for the maintainers to fill in"



def test_a_hand_edited_citation_with_a_duplicate_key_is_refused_naming_its_line(tmp_path):
    from tools import archive

    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    (tmp_path / "CITATION.cff").write_text(text.replace("\nversion: ", "\nversion: 9.9.9\nversion: ", 1), encoding="utf-8")
    line = text[: text.index("\nversion: ")].count("\n") + 2  # the first version line
    with pytest.raises(RawDataError, match=rf"CITATION.cff, line {line + 1}, character 1: key 'version' appears twice "
                                           rf"in one mapping \(also on line {line}\)"):
        archive.citation(tmp_path)

def test_the_ro_crate_validates_and_is_current():
    pytest.importorskip("rocrate", reason="rocrate is in the test group of the lock; make test installs it")
    from tools import archive

    assert archive.problems() == []
    crate = json.loads((ROOT / archive.METADATA).read_text(encoding="utf-8"))
    top = next(e for e in crate["@graph"] if e["@id"] == "./")
    assert top["version"] == str(CFF["version"]) and top["datePublished"] == str(CFF["date-released"])
    parts = {p["@id"] for p in top["hasPart"]}
    assert {"data/raw/", "notebooks/", "results/", "src/"} <= parts
    assert any(e.get("@type") == "CreateAction" for e in crate["@graph"]), "the run is described"


def test_two_archives_have_the_same_bytes(tmp_path):
    from tools import archive

    first = archive.archive(tmp_path / "a")
    second = archive.archive(tmp_path / "b")
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)]
    assert digest[0] == digest[1]
    import zipfile

    with zipfile.ZipFile(first) as zf:
        names = zf.namelist()
        assert names == sorted(names) and any(n.endswith("/ro-crate-metadata.json") for n in names)
        assert all(i.date_time[:3] == tuple(int(x) for x in str(CFF["date-released"]).split("-")) for i in zf.infolist())
