"""The one shape of a failure that the edge explains: a closed ``code`` and a ``detail``.

Each layer subclasses :class:`CodedError` with its own ``Literal`` of codes, so an
unknown code is a type error where the error is raised, and the handlers and the
command line choose their text by the code, never by parsing a message.
"""

from __future__ import annotations


class CodedError(Exception):
    """A failure with a machine-readable ``code`` and a ``detail`` for logs and admins."""

    code: str

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
