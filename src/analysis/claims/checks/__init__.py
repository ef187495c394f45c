"""The named checks. The registry (``data/raw/claims.yml``) names one per claim with its
arguments; :data:`CHECKS` maps each name to its function. Every function takes the claim, the
:class:`~analysis.claims.model.Context` and the registry arguments, and returns a
:class:`~analysis.claims.model.Result`: ``consistent``, ``inconsistent`` (with the reported and
recomputed values and their difference) or ``not_checkable`` (saying what data would make it
checkable). Arithmetic is exact (:mod:`decimal`); a printed rounded number is compared at its
printed precision with :func:`analysis.precision.consistent_at_precision`, which accepts both
rounding directions at an exact half.

The pure helpers (:func:`grim_counts`, :func:`complementary_counts`, :func:`grim_discriminates`,
:func:`rank_table`) are tested on their own.
"""

from __future__ import annotations

from analysis.claims.checks import arithmetic, comparison, legal  # noqa: F401  (registers the checks)
from analysis.claims.checks.arithmetic import complementary_counts, grim_counts, grim_discriminates
from analysis.claims.checks.base import CHECKS, check
from analysis.claims.checks.comparison import rank_table

__all__ = ["CHECKS", "check", "complementary_counts", "grim_counts", "grim_discriminates", "rank_table"]
