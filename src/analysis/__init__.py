"""Analysis code of the compendium for Tamabayeva, Abildina and Zhekibayeva (2025).

Inclusive education in the Republic of Kazakhstan: legal framework and current state.
Bulletin of Abylai Khan KazUIRWL, Pedagogical Sciences, 2025, 3 (78). doi:10.48371/PEDS.2025.78.3.005

Modules: ``paths`` (every location, defined once), ``rawio`` (hashes, strict CSV reading, atomic
writes), ``regions`` (the 20 first-level units and the article's spellings), ``corrections``
(recorded fixes of printing errors), ``schemas`` (validation), ``clean`` (the cleaning step),
``notebook_runner`` (papermill, in place, deterministic), ``environment`` (lock and conda file).
"""

__version__ = "0.1.0"
