"""The vocabulary tests import files the same way the import tests do."""

from tests.directory.imports.conftest import abbey, run_import, settings_var

__all__ = ["abbey", "run_import", "settings_var"]
