"""The errors `index` raises, worded for the person who has to fix them."""


class KBError(Exception):
    """Base class: something about the knowledge base or the index is wrong."""


class ArticleError(KBError):
    """An article cannot be read; names the file and the field."""

    def __init__(self, path, field, message):
        self.path, self.field, self.message = str(path), field, message
        super().__init__(f"{self.path}: {field}: {message}" if field else f"{self.path}: {message}")


class LintError(KBError):
    """The knowledge base has problems that stop a build."""

    def __init__(self, problems):
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the knowledge base:\n{lines}")


class IndexMissing(KBError):
    """No index directory (or no manifest) where one was expected."""


class IndexMismatch(KBError):
    """The index was built with another model, format or knowledge base."""


class IndexCorrupt(KBError):
    """The index directory exists but a file in it cannot be read."""


class ModelError(KBError):
    """The embedding model cannot be found or loaded."""
