"""A citable archive of the compendium: the RO-Crate that describes it and a zip a repository
(Zenodo, any DOI-issuing repository) accepts.

- :func:`crate` describes, with the ``rocrate`` library, the repository as an RO-Crate: its folders
  of data (raw, as printed; processed), notebooks, code, outputs and tests, its top files, and the
  run that makes the outputs
  (``make reproduce``), with the compendium's title, version, date and licence from
  ``CITATION.cff`` and the article it reproduces; :func:`write_crate` writes it as
  ``ro-crate-metadata.json`` (deterministic: entities sorted, no clock);
- :func:`problems` validates a crate (the RO-Crate 1.1/1.2 structure: the metadata descriptor, the
  root dataset with its required properties, every file it names present);
- :func:`archive` writes ``<name>-<version>.zip``: every file of the repository (git's list of
  tracked files) and the crate, in a fixed order, stored (not compressed, so no library version
  changes a byte), every entry dated from ``CITATION.cff``'s release date. Two runs on the same
  inputs give the same bytes.

``python tools/archive.py crate|zip OUT_DIR|check`` (``make archive``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from analysis import paths
from analysis.fileio import atomic_write_bytes
from analysis.ingest.rawio import read_yaml

ROOT = paths.PROJECT_ROOT
METADATA = "ro-crate-metadata.json"
#: What is never archived (built or installed locally).
EXCLUDED = (".venv/", ".make/", "build/", ".git/", "__pycache__/", ".pytest_cache/", ".ruff_cache/", ".ipynb_checkpoints/")
#: The parts of the repository the crate describes: folders (Datasets: a file added to one leaves the
#: crate valid) and the files at the top that say what the compendium is and how it runs.
FOLDERS = (("data/raw/", "Raw data: the article's tables and texts transcribed exactly as printed, the claims registry, the legal facts with their sources, and the reference tables"),
           ("data/processed/", "Processed data written by notebook 00 (corrections applied by code, logged)"),
           ("notebooks/", "The notebooks of the analysis, run by papermill in the order src/analysis/pipeline/steps.yml declares"),
           ("src/", "The package analysis: the code every notebook calls"),
           ("results/", "The outputs: tables, figures, statistics, the claims check, the errata letter and the report pages (results/index.html)"),
           ("tests/", "The tests of make test"))
TOP_FILES = (("README.md", "What the compendium is, its two commands and its findings"),
             ("METHODS.md", "The methods, formulas, assumptions and references"),
             ("CITATION.cff", "How to cite the compendium and the article"), ("LICENSE", "The licence"),
             ("Makefile", "make reproduce and make test, and the targets letter and archive"),
             ("requirements.lock", "The locked package versions"), ("environment.yml", "The environment for Binder"),
             ("data/datapackage.json", "The Frictionless data package describing every raw and processed file"))


def citation(root: Path = ROOT) -> dict:
    """CITATION.cff, parsed strictly (people edit it: duplicate keys, anchors and tags refused)."""
    return read_yaml(root / "CITATION.cff")[0]


def files(root: Path = ROOT) -> list[str]:
    """The repository's files (git's tracked files when git is there, else every file but the
    local ones), as sorted POSIX paths, without the crate's own metadata file."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, check=True, capture_output=True).stdout.decode("utf-8")
        names = [n for n in listed.split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    return sorted(n for n in names if n != METADATA and not any(n.startswith(x) or f"/{x}" in n for x in EXCLUDED)
                  and (root / n).is_file())


def crate(root: Path = ROOT):
    """The RO-Crate of the repository (a ``rocrate.rocrate.ROCrate``), every entity from the inputs."""
    from rocrate.model.contextentity import ContextEntity
    from rocrate.rocrate import ROCrate

    cff = citation(root)
    rc = ROCrate()
    root_entity = rc.root_dataset
    article = rc.add(ContextEntity(rc, f"https://doi.org/{cff['preferred-citation']['doi']}", properties={
        "@type": "ScholarlyArticle", "name": cff["preferred-citation"]["title"],
        "author": [f"{a['family-names']} {a['given-names']}" for a in cff["preferred-citation"]["authors"]],
        "datePublished": str(cff["preferred-citation"]["year"]),
        "isPartOf": cff["preferred-citation"]["journal"]}))
    authors = []
    for i, person in enumerate(cff["authors"]):
        name = person.get("name") or f"{person.get('given-names', '')} {person.get('family-names', '')}".strip()
        ident = person.get("orcid") or f"#author-{i + 1}"
        authors.append(rc.add(ContextEntity(rc, ident, properties={"@type": "Person" if "family-names" in person else "Organization",
                                                                     "name": name})))
    licence = rc.add(ContextEntity(rc, f"https://spdx.org/licenses/{cff['license']}", properties={
        "@type": "CreativeWork", "name": f"{cff['license']} License", "identifier": cff["license"]}))
    root_entity.properties().update({
        "name": cff["title"], "description": " ".join(str(cff.get("abstract", cff["title"])).split()),
        "version": str(cff["version"]), "datePublished": str(cff["date-released"]),
        "license": {"@id": licence.id}, "author": [{"@id": a.id} for a in authors], "citation": {"@id": article.id},
        "keywords": list(cff.get("keywords", []))})
    parts = {}
    for folder, text in FOLDERS:
        parts[folder] = rc.add_dataset(root / folder, dest_path=folder, properties={"name": folder.rstrip("/"), "description": text})
    for name, text in TOP_FILES:
        if (root / name).exists():
            parts[name] = rc.add_file(root / name, dest_path=name, properties={"name": name, "description": text})
    makefile = parts["Makefile"]
    raw, results = [{"@id": parts["data/raw/"].id}], [{"@id": parts["results/"].id}]
    instrument = rc.add(ContextEntity(rc, "#make-reproduce", properties={
        "@type": "SoftwareApplication", "name": "make reproduce",
        "description": "Runs every notebook of src/analysis/pipeline/steps.yml in order from the raw data; make test runs every test"}))
    rc.add(ContextEntity(rc, "#run", properties={
        "@type": "CreateAction", "name": "The run that makes every output",
        "instrument": [{"@id": instrument.id}, {"@id": makefile.id}], "object": raw, "result": results,
        "endTime": str(cff["date-released"])}))
    return rc


def metadata_json(rc) -> str:
    """The crate's metadata as JSON text: the graph sorted by @id, so that it is deterministic."""
    data = rc.metadata.generate()
    descriptor = [e for e in data["@graph"] if e["@id"] == METADATA]
    rest = sorted((e for e in data["@graph"] if e["@id"] != METADATA), key=lambda e: (e["@id"] != "./", e["@id"]))
    data["@graph"] = descriptor + rest
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_crate(root: Path = ROOT) -> Path:
    """Write ``ro-crate-metadata.json`` at the repository's top."""
    path = root / METADATA
    atomic_write_bytes(path, metadata_json(crate(root)).encode("utf-8"))
    return path


def problems(root: Path = ROOT) -> list[str]:
    """What makes the stored crate invalid (an empty list: it validates)."""
    out = []
    try:
        data = json.loads((root / METADATA).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        return [f"{METADATA}: {err}"]
    graph = {e.get("@id"): e for e in data.get("@graph", [])}
    if "ro/crate" not in json.dumps(data.get("@context", "")):
        out.append("the @context is not RO-Crate's")
    descriptor = graph.get(METADATA, {})
    if descriptor.get("about", {}).get("@id") != "./" or "w3id.org/ro/crate/" not in descriptor.get("conformsTo", {}).get("@id", ""):
        out.append("the metadata descriptor does not describe ./ or conform to an RO-Crate version")
    top = graph.get("./", {})
    for key in ("@type", "name", "description", "datePublished", "license", "hasPart"):
        if key not in top:
            out.append(f"the root dataset has no {key}")
    for part in top.get("hasPart", []):
        ident = part.get("@id", "")
        if ident not in graph:
            out.append(f"{ident}: named in hasPart but not described")
        elif not (root / ident).exists():
            out.append(f"{ident}: described but not in the repository")
    expected = {folder for folder, _ in FOLDERS} | {name for name, _ in TOP_FILES if (root / name).exists()}
    listed = {p.get("@id") for p in top.get("hasPart", [])}
    if expected - listed:
        out.append(f"parts not in the crate (run make archive): {sorted(expected - listed)}")
    stored = (root / METADATA).read_text(encoding="utf-8")
    if stored != metadata_json(crate(root)):
        out.append(f"{METADATA} is not what CITATION.cff and the repository give now (run make archive)")
    return out


def archive(out_dir: Path, root: Path = ROOT) -> Path:
    """``<out_dir>/<name>-<version>.zip`` of the repository and its crate: fixed order, dates and
    permissions, stored entries; its bytes depend only on the files."""
    cff = citation(root)
    stamp = tuple(int(part) for part in str(cff["date-released"]).split("-")) + (0, 0, 0)
    name = f"kz-inclusive-education-compendium-{cff['version']}"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.zip"
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as zf:
        for relative in sorted({*files(root), METADATA}):
            source = root / relative
            info = zipfile.ZipInfo(f"{name}/{relative}", date_time=stamp)
            info.external_attr = (0o100755 if source.stat().st_mode & 0o111 else 0o100644) << 16
            info.create_system = 3
            zf.writestr(info, source.read_bytes(), compress_type=zipfile.ZIP_STORED)
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["crate"]:
        print(f"==> {write_crate().relative_to(ROOT)}: the RO-Crate of {len(files())} files")
        return 0
    if argv == ["check"]:
        found = problems()
        print("\n".join(found) or f"==> {METADATA} validates")
        return 1 if found else 0
    if len(argv) == 2 and argv[0] == "zip":
        print(f"==> {archive(Path(argv[1]))}")
        return 0
    print("usage: python tools/archive.py crate | check | zip OUT_DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
