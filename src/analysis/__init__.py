"""Analysis code of the compendium for Tamabayeva, Abildina and Zhekibayeva (2025).

Inclusive education in the Republic of Kazakhstan: legal framework and current state.
Bulletin of Abylai Khan KazUIRWL, Pedagogical Sciences, 2025, 3 (78). doi:10.48371/PEDS.2025.78.3.005

The notebooks call this package, one call per analysis. Its layers, top to bottom (a module
imports only from layers below its own; ``make lint`` checks it):

``session``    what a notebook calls: run as its step, load its inputs, write its outputs
``pipeline``   the step graph (``steps.yml``), the Makefile's rules, the runner of one notebook, the manifest
``report``     the reviewer's report: index pages, annotated article, notebooks as HTML, errata
``claims``     the registry of the article's numbers and legal facts, the checks, the verdicts
``figures``    the article's figures and those of the statistics, one style, one ``Figure`` type
``tables``     Tables 1 and 2 rebuilt, compared cell by cell with the printed ones, localised
``stats``      the statistical methods of notebooks 40-42 and their plain-language summaries
``resultschema`` the columns of every results CSV (``results_schema.yml``) and their data package
``ingest``     the raw-file gate, reading, corrections, regions, validation, cleaning, loading
``i18n``       every label and text in Kazakh, Russian and English, numbers in each language's way
``precision``  the precision policy: printed numbers checked, written numbers rounded
``lockfile``   the exact package versions, read from ``requirements.lock``
``fileio``     atomic writes, hashes and the CSV form of every output
``errors``     the errors a user can cause, each naming the file and where in it
``paths``      every location, defined once, relative to the project root
"""

__version__ = "0.1.0"
