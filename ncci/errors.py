"""The few NCCI errors, worded for the user; the CLI and the API translate them."""
from __future__ import annotations


class NcciError(Exception):
    """A problem with the NCCI tables, said in a sentence."""


class NcciFormatError(NcciError):
    """A file is not a CMS NCCI file in the expected layout (or it is cut short)."""


class NcciNotLoaded(NcciError):
    """No NCCI tables have been imported (or the database is from another version)."""


class NcciInputError(NcciError):
    """Bad codes, date or release given by the user. `code` is a stable name for it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
