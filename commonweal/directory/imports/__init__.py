"""Imports into the directory: the Charity Commission register, another council's Open Referral UK feed,
our community groups CSV template, and vocabularies of service categories.

Reading is kept apart from writing: the parsers (charity_commission, oruk, groups, vocabulary_csv) turn bytes
into plain records and line-numbered problems without touching the database; `writing` matches those
records to what we have and saves every change in one transaction; `runner` ties them to an ImportRun and
the background task. Re-running a file updates what changed and never duplicates anything.
"""

from .reading import ImportRefused
from .runner import import_path, max_bytes, run_import, start_import

__all__ = ["ImportRefused", "import_path", "max_bytes", "run_import", "start_import"]
