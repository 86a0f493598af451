"""Output files written whole or not at all: to ``FILE.part``, renamed to ``FILE`` once complete.

A crash, a full disk or Ctrl-C while an output is written never leaves a partial ``FILE`` that
looks complete: the ``.part`` is removed on any failure (a ``FILE`` of an earlier run stays as it
was), and a process killed outright leaves only ``FILE.part``, named for what it is. Every writer
of an output file goes through here (``-o`` of check, SARIF parts, HTML pages, export).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from typing import TextIO

SUFFIX = ".part"


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[str]:
    """The name to write ``path``'s content to; it becomes ``path`` when the block ends without
    an exception, and is removed when it does not. A ``path`` that is not a regular file
    (``/dev/null``, ``/dev/stdout``, a FIFO) is written as it is: nothing can be renamed onto
    it. A symbolic link keeps pointing where it did: the file it names is replaced."""
    target = os.fspath(path)
    try:
        st: os.stat_result | None = os.stat(target)
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        yield target
        return
    if os.path.islink(target):
        target = os.path.realpath(target)
    part = target + SUFFIX
    try:
        yield part
        if st is not None:
            os.chmod(part, stat.S_IMODE(st.st_mode))  # the file keeps its permissions
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise


@contextlib.contextmanager
def atomic_open(
    path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[TextIO]:
    """``path`` opened to write text, through :func:`replacing`: closed, then renamed."""
    with replacing(path) as part, open(part, "w", encoding=encoding, newline=newline) as fh:
        yield fh
