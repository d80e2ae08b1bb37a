"""Feedback errors, worded for the user; `web/` maps them to HTTP statuses and exit codes."""


class FeedbackError(Exception):
    pass


class FeedbackMissing(FeedbackError):
    """No feedback database yet: nothing has been recorded."""


class FeedbackUnavailable(FeedbackError):
    """The database could not be read or written (locked, damaged, disk full)."""
