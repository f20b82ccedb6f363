"""Writing output files so that no reader ever sees half of one."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from campaign_letters.errors import OutputError


def write_atomically(path: Path, data: bytes) -> None:
    """Write under a temporary name in the same folder, then rename.

    An interruption (Ctrl-C, kill -9, a full disk) leaves the old file or none, never a
    half-written one; a killed run's ``.<name>.<pid>.tmp`` files are swept by ``pack``.
    Raises OutputError naming the path when the file cannot be written.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:  # open() honours the umask, unlike mkstemp
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(tmp) else ""
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}{where}; "
                            "choose another output path") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # e.g. its folder is a file: then it never existed
        path.unlink(missing_ok=True)
