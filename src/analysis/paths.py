"""Every location the compendium uses, defined once.

Notebooks run with different working directories (papermill runs in the caller's directory,
nbval and JupyterLab in the notebook's), so nothing may be resolved against the working
directory: relative paths are resolved against :data:`PROJECT_ROOT`.
"""

from __future__ import annotations

from pathlib import Path

#: The repository root (``src/analysis/paths.py`` -> two levels up from ``src``).
PROJECT_ROOT: Path = Path(__file__).resolve().parents[2]

DATA: Path = PROJECT_ROOT / "data"
RAW: Path = DATA / "raw"
PROCESSED: Path = DATA / "processed"
#: Frictionless Data Package describing raw (with sha256) and processed resources.
DATAPACKAGE: Path = DATA / "datapackage.json"
#: Recorded corrections of printing errors in the raw extracts.
CORRECTIONS: Path = RAW / "corrections.yml"
NOTEBOOKS: Path = PROJECT_ROOT / "notebooks"
RESULTS: Path = PROJECT_ROOT / "results"
#: Where a failed notebook run leaves its partial output (never over the stored notebook).
FAILED_RUNS: Path = PROJECT_ROOT / "build" / "failed"

#: The year of the NEDB extracts the article publishes: the only year the stored outputs
#: (``data/processed``, ``results``) hold. Other years run into folders of their own.
ARTICLE_YEAR: int = 2023
#: Where ``make reproduce YEAR=<year>`` writes another year's processed data, results and notebooks.
YEARS: Path = PROJECT_ROOT / "build" / "years"



def year_folders(year: int | str) -> dict[str, Path]:
    """Where another year's run writes: its processed data, results and executed notebooks."""
    root = YEARS / str(year)
    return {"processed": root / "processed", "results": root / "results", "notebooks": root / "notebooks"}


def foreign_project(folder: str | Path | None = None) -> Path | None:
    """The project ``folder`` (default: the working directory) lies in, if that is not the one
    this code belongs to: a copied or moved project whose Python still imports the original's
    ``analysis`` (its ``.venv`` was made there). None when they are the same, or outside any."""
    here = Path(folder or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "src" / "analysis" / "paths.py").is_file():
            return None if candidate == PROJECT_ROOT else candidate
    return None


def resolve(path: str | Path) -> Path:
    """Absolute path for ``path``; relative paths are taken from the project root."""
    path = Path(path)
    return path if path.is_absolute() else PROJECT_ROOT / path


def shown(path: str | Path) -> str:
    """``path`` as shown to people and stored in outputs: relative to the project root when
    inside it (so outputs do not depend on where the repository was cloned). A relative ``path``
    is taken from the project root, like everywhere else."""
    path = resolve(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.as_posix()
