"""From the raw files as printed to validated processed tables.

``gate``         the one gate every raw file passes: recorded sha256, schema, canonical text
``rawio``        strict reading: CSV as printed text, YAML and JSON, each error with its line
``canonical``    the canonical-text rules every text cell of a raw file must meet
``datapackage``  ``data/datapackage.json``: lookup, raw hashes (``make rehash``), another year
``corrections``  the recorded corrections of printing errors, applied by code
``regions``      the 20 first-level units, every spelling the article uses, the neighbour list
``tablespec``    the article's two printed tables and where their files are
``schemas``      validation of the cleaned tables with pandera
``statements``   the supplementary series of dated official statements
``clean``        the cleaning step (notebook 00): verify, read, correct, harmonise, parse, validate
``load``         the processed tables read back with the types the data package declares
"""
