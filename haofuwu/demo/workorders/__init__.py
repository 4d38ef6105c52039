"""A year of realistic work orders for the demo estates: texts (``catalogue``), plain records (``records``), the pure
generator (``generator``) and the bulk write (``load``)."""
