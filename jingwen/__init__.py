"""The ``jingwen`` command line: a thin layer over :mod:`service` and :mod:`training`."""
