"""Replace ``generated/<package>`` with a verified staging directory atomically.

On Linux the two directories are exchanged with ``renameat2(RENAME_EXCHANGE)``: a single system call,
so no interruption can leave a half-old, half-new package. Where that call is missing, the fallback
renames the old package aside first and restores it if the second rename fails.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call; ``False`` if the platform cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        errno = ctypes.get_errno()
        if errno in (38, 22, 95):  # ENOSYS, EINVAL, EOPNOTSUPP: filesystem or kernel cannot exchange
            return False
        raise OSError(errno, os.strerror(errno), str(a))
    return True


def swap_in(staged: Path, target: Path) -> None:
    """Make ``staged`` become ``target``; the previous ``target`` is deleted afterwards."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.rename(staged, target)
        return
    if _exchange(staged, target):
        shutil.rmtree(staged)  # now holds the old package
        return
    aside = target.with_name(f".{target.name}.old")
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(target, aside)
    try:
        os.rename(staged, target)
    except BaseException:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside)
