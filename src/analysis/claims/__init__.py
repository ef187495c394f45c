"""The reviewer's verification report: every number the article states, registered and checked.

- :mod:`analysis.claims.model`: printed numbers, the claim, the check result, the data a check
  may look at (:class:`~analysis.claims.model.Context`) and how a registry reference to a value
  is resolved;
- :mod:`analysis.claims.checks`: the named check functions (the registry names one per claim;
  nothing from the registry is evaluated as code);
- :mod:`analysis.claims.registry`: reading and validating ``data/raw/claims.yml`` and the
  reference table of legal acts, building the context from the processed data;
- :mod:`analysis.claims.render`: running every check, the CSV table, the offline HTML report,
  the errata (English, Kazakh) and the summary;
- :mod:`analysis.claims.tokens`: the number tokens of the article and the coverage rule.
"""
