"""Skip one slow optional import in the processes that read and run notebooks.

nbformat imports jsonschema, and jsonschema imports ``rfc3987_syntax`` when it is installed
(jupyter-events brings it in, for JupyterLab) to check the ``iri`` string format; that module
builds a parser at import time, about a second of every such process's start-up. nbformat validates
notebooks with fastjsonschema and never checks that format, so the notebook runners (and the
test processes) mark the module absent before nbformat is imported; jsonschema then simply does not
register the ``iri`` check (it guards that import with ``suppress(ImportError)``). Import this
module first; it changes nothing if ``rfc3987_syntax`` was already imported. In kernels, the
report's module (:mod:`analysis.report.notebooks`, the one that imports nbformat there) imports it
first too, so an ordinary kernel and a warm kernel's template (which preloads that module) skip the
same import and start alike.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("rfc3987_syntax", None)
