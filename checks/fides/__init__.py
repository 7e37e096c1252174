"""Fides interoperability: seloste policies to fideslang manifests and back.

``taxonomy.yaml`` is the mapping table (read by ``taxonomy.py``), ``manifests.py`` reads a
directory of fideslang manifests with the place of every value, ``importer.py`` writes a
policy and bindings from them and ``exporter.py`` writes them from a policy. docs/fides.md
says what maps to what and what is lost each way.
"""
