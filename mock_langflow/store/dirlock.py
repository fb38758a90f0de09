"""Who may use a data dir: one server at a time, and one process at a time setting it up.

A server that starts cleans up after the last one: it removes upload bytes no row points at and marks the jobs
left queued or running as failed. Beside a live server that is wrong (its uploads in flight lose their bytes,
its running jobs turn "failed"), and two processes setting up one fresh data dir at once both create the
schema, the superuser and the examples (a traceback, or the examples twice). So:

- a process sets a data dir up (schema, superuser, examples, keys, seeds) holding `setup.lock`, waiting for
  another one doing the same;
- a server holds `server.lock` for as long as it serves; a second server on the same data dir stops with
  DataDirInUse, naming the first;
- a one-shot command (`mock-langflow api-key`, `seed`) may run beside a server: it finds `server.lock` held and
  leaves the clean-up to the server.

The locks are the operating system's (flock), held through an open file: a process that ends, even killed with
-9, lets go of them, so a lock file left behind means nothing. On a file system that cannot lock (some network
mounts) the mock goes on without, as before these locks.
"""

from __future__ import annotations

import errno
import os
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

SERVER_LOCK = "server.lock"
SETUP_LOCK = "setup.lock"
# Setting a data dir up takes well under a second; a process holding the setup lock this long is stuck.
SETUP_WAIT_S = 60.0
_POLL_S = 0.02
_HELD = (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK)


class DataDirInUse(RuntimeError):
    """Another live process owns the data dir."""


class DirLock:
    """An exclusive lock on one file of the data dir, held until release() or until this object is collected."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._close: weakref.finalize | None = None

    def try_acquire(self) -> bool:
        """Take the lock if it is free. True when taken, and when this file system has no locks to take."""
        if self._fd is not None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return True  # a data dir we cannot write to fails at its database, as before, with that error
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            return exc.errno not in _HELD
        self._fd = fd
        self._close = weakref.finalize(self, os.close, fd)
        return True

    def acquire(self, *, wait_s: float) -> bool:
        """Take the lock, waiting up to `wait_s` for whoever holds it."""
        deadline = time.monotonic() + wait_s
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                return False
            time.sleep(_POLL_S)
        return True

    def release(self) -> None:
        """Let go (closing the file lets go of the lock). The file stays: removing it could race a process
        that has just opened it."""
        if self._close is not None:
            self._close()
        self._fd = self._close = None

    def write_holder(self, text: str) -> None:
        """Say who holds the lock, for the message another process shows."""
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, text.encode())
        except OSError:
            pass

    def holder(self) -> str:
        """What the holder wrote, or "" if nothing could be read."""
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:  # pragma: no cover - Windows: a lock on the first byte, per open file
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)


@contextmanager
def setting_up(data_dir: Path | None) -> Iterator[None]:
    """Hold the data dir's setup lock for the block (nothing to hold for an ephemeral store: None)."""
    if data_dir is None:
        yield
        return
    lock = DirLock(data_dir / SETUP_LOCK)
    if not lock.acquire(wait_s=SETUP_WAIT_S):
        raise DataDirInUse(f"data dir {data_dir}: another process has been setting it up for over "
                           f"{SETUP_WAIT_S:.0f} s; is one stuck?")
    try:
        yield
    finally:
        lock.release()


def claim(data_dir: Path, *, serving: bool, holder: str) -> DirLock | None:
    """The data dir's server lock, if no other server holds it. A server (`serving`) that finds it held stops
    with DataDirInUse; a one-shot command gets None and leaves the server's clean-up alone."""
    lock = DirLock(data_dir / SERVER_LOCK)
    if lock.try_acquire():
        lock.write_holder(holder)
        return lock
    if not serving:
        return None
    other = lock.holder()
    raise DataDirInUse(f"data dir {data_dir} is in use by another mock-langflow server"
                       f"{f' ({other})' if other else ''}; give each server its own --data-dir "
                       "(MOCK_LANGFLOW_DATA_DIR), or use --ephemeral")
