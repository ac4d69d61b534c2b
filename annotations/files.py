"""Files Claimdesk writes outside the workspace: exports, their dataset cards, bundles, backups.

Two rules keep the user's data whole. An output path is checked before any work is done: it may
not be the workspace (however the path is spelt: a symlink, `..`, other letter case), its `-wal`,
`-shm` or `-journal` file, an input of the same command, or any other SQLite database. And every
output is written under a temporary name beside its target (`NAME.partial`) and renamed over it
only when complete (`staged`): a full disk, a kill or an error leaves the earlier file as it was
and no `.partial` behind (one left by a killed run is cleared by the next).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from annotations.errors import EnvironmentProblem, OutputRefused

SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def is_sqlite_file(path: Path) -> bool:
    try:
        with Path(path).open("rb") as f:
            return f.read(16) == SQLITE_HEADER
    except OSError:
        return False


def _same_place(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same inode when both exist, else the same folder and a
    name equal but for letter case (on a case-insensitive disk they are one file)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        ra, rb = a.resolve(), b.resolve()
        return (ra.parent.exists() and rb.parent.exists() and os.path.samefile(ra.parent, rb.parent)
                and ra.name.casefold() == rb.name.casefold())
    except OSError:
        return False


def check_output(out: Path, workspace: Path | None = None, inputs: Iterable[Path] = (), what: str = "--out",
                 replaces_sqlite: bool = False) -> None:
    """Refuse an output path that would destroy data (see the module's rules), or whose folder is
    missing or cannot be written, before any work is done. A backup `replaces_sqlite`: an older
    backup, though never the workspace."""
    out = Path(out)
    if workspace is not None:
        for suffix in SQLITE_COMPANIONS:
            if _same_place(out, Path(f"{workspace}{suffix}")):
                whose = "the workspace itself" if not suffix else f"the workspace's {suffix[1:]} file"
                raise OutputRefused(f"{what} {out}: that is {whose} ({workspace}); writing there would destroy it")
    for source in inputs:
        if _same_place(out, Path(source)):
            raise OutputRefused(f"{what} {out}: that is the input {source}; give the output another name")
    if not replaces_sqlite and out.is_file() and is_sqlite_file(out):
        raise OutputRefused(f"{what} {out}: that is a SQLite database (perhaps a workspace); "
                            "an export never replaces one: give the output another name")
    folder = out.resolve().parent
    if not folder.is_dir():
        raise OutputRefused(f"{what} {out}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise OutputRefused(f"{what} {out}: the folder {folder} is read-only")


def remove(path: Path) -> None:
    """Remove a file or a folder of ours, if it is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def os_reason(e: OSError) -> str:
    """An OSError in the words of someone who has to act on it."""
    return {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
            errno.EROFS: "the disk is read-only", errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.ENOENT: "the folder does not exist", errno.ENAMETOOLONG: "the file name is too long"
            }.get(e.errno, e.strerror or str(e))


class Staged:
    """Outputs being written under temporary names; see `staged`."""

    def __init__(self):
        self._pending: dict[Path, Path] = {}  # target -> temporary name, in the order asked for

    def path(self, target: Path) -> Path:
        """The temporary name to write `target` under (a file, or a folder the writer makes)."""
        target = Path(target)
        tmp = target.with_name(target.name + ".partial")
        remove(tmp)  # left by a run that was killed
        self._pending[target] = tmp
        return tmp

    def move_in(self, *targets: Path) -> None:
        """Rename these outputs over their targets now, in this order (the rest follow at the end)."""
        for target in targets:
            tmp = self._pending.pop(Path(target))
            if tmp.is_dir() or Path(target).is_dir():
                aside = Path(target).with_name(Path(target).name + ".replaced")
                remove(aside)
                if Path(target).exists():
                    Path(target).rename(aside)
                tmp.rename(target)
                remove(aside)
            else:
                os.replace(tmp, target)

    def discard(self) -> None:
        for tmp in self._pending.values():
            with suppress(OSError):
                remove(tmp)
        self._pending.clear()


@contextmanager
def staged() -> Iterator[Staged]:
    """Write outputs under temporary names (`files.path(target)`); when the block completes they
    are renamed over their targets, and on any failure (a full disk, an error, Ctrl+C) removed,
    leaving the earlier files as they were. An OSError becomes a message naming the output."""
    files = Staged()
    try:
        yield files
        files.move_in(*files._pending)
    except OSError as e:
        name = str(e.filename or next(iter(files._pending), "the output")).removesuffix(".partial")
        files.discard()
        raise EnvironmentProblem(f"{name}: {os_reason(e)}; no output was replaced, and no partial file is left") from None
    except BaseException:
        files.discard()
        raise


def environment_problem(e: BaseException, workspace: Path | None = None) -> EnvironmentProblem | None:
    """A SQLite or OS error caused by the machine (a full disk, a read-only folder, a lock held too
    long) as a message that says what to do; None for anything else (a bug, to be shown as one)."""
    if isinstance(e, OSError):
        return EnvironmentProblem(f"{e.filename or workspace}: {os_reason(e)}")
    if not isinstance(e, sqlite3.Error) or workspace is None:
        return None
    message = str(e).lower()
    folder = Path(workspace).resolve().parent
    if "disk is full" in message:
        return EnvironmentProblem(f"{workspace}: the disk is full; the step under way was not stored (each step is one "
                                  "transaction), what was stored before it is kept. Free some space and run the command again")
    if "locked" in message or "busy" in message:
        return EnvironmentProblem(f"{workspace}: another program (another Claimdesk command or window) kept the workspace "
                                  "locked for longer than the busy timeout; nothing was changed. Run it again when that has finished")
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        if not folder.is_dir():
            return EnvironmentProblem(f"{workspace}: the folder {folder} does not exist")
        if not os.access(folder, os.W_OK):
            return EnvironmentProblem(f"{workspace}: the folder {folder} is read-only, and SQLite must create the workspace's "
                                      "-wal and -shm files beside it; copy the workspace to a folder you can write, or make this one writable")
        if Path(workspace).exists() and not os.access(workspace, os.W_OK):
            return EnvironmentProblem(f"{workspace}: the workspace file is read-only; make it writable to work in it")
        return EnvironmentProblem(f"{workspace}: cannot be written ({e})")
    if "disk i/o error" in message:
        return EnvironmentProblem(f"{workspace}: the disk failed to read or write (disk I/O error); nothing was changed")
    return None
