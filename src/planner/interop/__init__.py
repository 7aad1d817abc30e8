"""Importers and exporters, one module per format, over plain records (``records``).

Every format module implements :class:`planner.interop.formats.InterchangeFormat` once and is
named once in ``formats.FORMAT_MODULES``; none of them touches the database or the services.
The interchange service resolves the records against the store, validates the whole batch and
writes it in one unit of work. This package imports nothing itself, so a command that never
reads or writes a file pays nothing for it.
"""
