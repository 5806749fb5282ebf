"""Writing the site: the only module that touches the output folder. Two modes:

- `write_site` (for `build`): the new site is written to a fresh staging folder beside the output folder and
  swapped in only when every file is written, so a failed build (bad content, a template error, a full
  disk) leaves yesterday's site exactly as it was.
- `update_site` (for a live preview): only files whose bytes changed are rewritten (each atomically), and
  files the site no longer has are removed, so a browser reloading mid-update never sees half a file.

The output folder carries a marker file; a folder without it is never deleted or replaced (an empty folder
may be used).

Choices, and why:

- **No instant without a site.** On Linux the staging folder and the output folder trade places in one
  system call, `renameat2(..., RENAME_EXCHANGE)` (called through ctypes), so the output path names the old
  site and then the new one, and is never missing. The old site is then in the staging name and is
  removed. Where the exchange is not available (another system, an old C library, a file system that
  answers EINVAL or EOPNOTSUPP) we fall back to two renames (output -> `<staging>.old`, staging -> output,
  putting the old site back if the second fails); only there is a short window with no output folder.
- **A symlinked output folder** (`_site -> /srv/www`) is written through: the link is resolved once per
  call, the staging folder is made beside the link's target (same file system, so the exchange works) and
  the swap happens at the target. The link is never changed and keeps naming the up-to-date folder; the
  target keeps its path, so a web server configured with `/srv/www` sees each new site too. Every refusal
  (root, protected folders, a folder not made by carepages) is judged on the target, and on the link's own
  place too. The folder holding the target must be writable by whoever builds. A link whose target does
  not exist (dangling, or a loop) is refused with a message naming the target: creating it could write the
  site onto the wrong disk when a volume is not mounted, and the fix (create the folder) is one command.
- **Permissions.** The staging folder is made with `os.mkdir` (mode 0777 less the umask, the parent's
  set-group-id and default ACLs applying as for any folder the user makes), not `tempfile.mkdtemp` (0700),
  and files and subfolders are created normally, so after every build the output reads as a folder the
  user made by hand would (0755/0644 under umask 022, 0750/0640 under 027). No umask is read or changed.
- **Staging folders that outlive a killed build.** Each build names its staging folder
  `.<output name>.carepages-staging-<pid>-<random>` and writes, *before* making it and removed only after
  it is gone, an owner file beside it (`<same name>.owner`, never published) that records the pid, host,
  boot id and the process's start time. The owner file sits beside the folder, not in it, so the proof of
  ownership exists at every step, also after the exchange, when the folder holds the old site. At the
  start of each `write_site` call, staging folders beside the output folder are removed only when their
  owner file is a regular file with our text, its name and pid agree, and its process is provably gone:
  another boot, no such pid, a pid since reused (start time differs), or an owner file older than
  `STALE_AFTER`. A folder without an owner file is never touched, nor one whose process may still run
  (on another host, only age counts). Removal is housekeeping: a failure there does not fail the build.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
import socket
import stat
import sys
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import Location, OutputError
from ..render.jobs import OutputFile
from ..result import Update
from ..terminal import shown_path

MARKER = ".carepages-output"
MARKER_TEXT = "This folder is written by carepages; each build replaces it. Do not edit files here.\n"
STAGING = "carepages-staging"
OWNER_SUFFIX = ".owner"
RETIRED_SUFFIX = ".old"  # the old site's name in the two-rename fallback
OWNER_TEXT = "carepages staging folder: a later build removes it once the process below has ended."
STALE_AFTER = 24 * 3600  # seconds; a build takes seconds, so an owner file this old is a leftover

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_EXCHANGE_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP}


def output_target(out_dir: Path) -> Path:
    """The folder a build replaces: `out_dir` itself, or, for a link, the folder it leads to (resolved once).

    Refuses a link that leads nowhere (dangling, or a loop)."""
    out = Path(os.path.abspath(out_dir))
    if not out.is_symlink():
        return out
    real = Path(os.path.realpath(out))
    if real.is_symlink():
        raise OutputError(f"the output folder '{out}' is a link that leads back to itself (a loop); point it at "
                          "a folder")
    if not os.path.lexists(real):
        raise OutputError(f"the output folder '{out}' is a link to '{real}', which does not exist; create that "
                          "folder (an empty one will do) or remove the link")
    return real


def check_output_dir(out_dir: Path, protected: Sequence[tuple[str, Path]]) -> Path:
    """Refuse an output folder that is `/`, a protected folder, inside content/, or a parent of any of them.

    For a link, the folder it leads to is judged (the link's own place must not be inside content/ either)."""
    out = Path(os.path.abspath(out_dir))
    target = output_target(out)
    shown = _shown(out, target)
    real_out = target.resolve()
    if real_out == Path(real_out.anchor):
        raise OutputError(f"refusing to use the file system root {shown} as the output folder")
    for name, folder in protected:
        real = folder.resolve()
        if real_out == real:
            raise OutputError(f"the output folder {shown} is the {name}; choose a separate folder such as _site")
        if real.is_relative_to(real_out):
            raise OutputError(f"the output folder {shown} contains the {name} ({folder}); building would "
                              "delete it")
        if name == "content folder" and (real_out.is_relative_to(real)
                                         or out.parent.resolve().is_relative_to(real)):
            raise OutputError(f"the output folder {shown} is inside the content folder; it would be read "
                              "back as content")
    _refuse_foreign(out, target)
    return out


def _shown(out: Path, target: Path) -> str:
    """How messages name the output folder: '_site', or '_site' (a link to '/srv/www')."""
    return f"'{out}'" if out == target else f"'{out}' (a link to '{target}')"


def _refuse_foreign(out: Path, target: Path) -> None:
    """A folder carepages did not make (no marker) is never replaced, unless it is empty."""
    shown = _shown(out, target)
    if os.path.lexists(target) and not target.is_dir():
        raise OutputError(f"the output path {shown} exists and is not a folder")
    if target.is_dir() and not (target / MARKER).is_file() and any(target.iterdir()):
        raise OutputError(f"refusing to replace {shown}: it is not empty and was not made by carepages "
                          f"(no {MARKER} file). Empty it or choose another output folder.")


def write_site(files: Iterable[OutputFile], out_dir: Path,
               before_swap: Callable[[Path], None] | None = None,
               written: Callable[[OutputFile, Path], None] | None = None) -> int:
    """Write every file into a staging folder, then swap it in. Returns the number of files written.

    `before_swap(staging)` runs on the complete staged site before it goes live (the search indexer); an
    error it raises leaves the previous site in place, like any other failed build. `written(file, path)` is
    told of each file once it is in the staging folder (the cache keeps a rendered page from there).
    """
    out = Path(os.path.abspath(out_dir))
    target = output_target(out)
    _refuse_foreign(out, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(target)
        staging = _make_staging(target)
    except OSError as exc:
        blocker = file_in_the_way(target)
        why = f"'{shown_path(blocker)}' is a file, not a folder" if blocker else exc.strerror or str(exc)
        raise OutputError(f"cannot create the output folder: {why}", Location(out), rule="output/write") from None
    try:
        count = _write_all(files, staging, written)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        if before_swap is not None:
            before_swap(staging)
        _swap(staging, target)
    except OSError as exc:
        _discard(staging, target)
        raise OutputError(f"cannot write the site: {exc.strerror or exc}", Location(_failed_at(exc, staging, out)),
                          rule="output/write") from None
    except BaseException:
        _discard(staging, target)
        raise
    _discard(staging, target)  # it now holds the previous site, if there was one
    return count


def _failed_at(exc: OSError, staging: Path, out: Path) -> Path:
    """The file a failed write names: the one being written (a copy's error names its source first), under
    the output folder's name rather than the staging folder's, which is gone by the time the user reads it."""
    named = getattr(exc, "filename2", None) or getattr(exc, "filename", None)
    if not named:
        return out
    path = Path(os.fsdecode(named))
    try:
        return out / path.relative_to(staging)
    except ValueError:
        return path


def file_in_the_way(path: Path) -> Path | None:
    """The nearest of the folders above `path` that is a file instead (so `path` cannot be made), or None."""
    return next((above for above in path.parents if os.path.lexists(above) and not above.is_dir()), None)


def _write_all(files: Iterable[OutputFile], staging: Path,
               written: Callable[[OutputFile, Path], None] | None = None) -> int:
    count = 0
    folders: set[Path] = set()
    for item in files:
        # Places already refuse '..'; belt and braces. (The staging folder is new and we make no links in it,
        # so a relative path without '..' stays inside it.)
        if item.output.is_absolute() or ".." in item.output.parts or not item.output.parts:
            raise OutputError(f"refusing to write outside the output folder: {item.route}")
        target = staging / item.output
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        if item.same_as is not None and _linked(item.same_as, target):
            pass
        elif item.data is not None:
            target.write_bytes(item.data)
        elif item.source is not None or item.same_as is not None:
            # contents only: the mode comes from the umask, as for data
            shutil.copyfile(item.source or item.same_as, target)  # type: ignore[arg-type]
        if written is not None:
            written(item, target)
        count += 1
    return count


def _linked(existing: Path, target: Path) -> bool:
    """Give `existing` (a cache entry) the name `target` too; False where the file system cannot."""
    try:
        os.link(existing, target)
    except OSError:
        return False
    return True


# --- the swap ---------------------------------------------------------------------------------------------

def _swap(staging: Path, target: Path) -> None:
    """Put `staging` at `target`; the previous site, if any, ends up at the staging name or its `.old`."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        return
    retired = _retired(staging)  # no exchange here: two renames, with a short window between them
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(retired, target)  # put the previous site back before reporting the failure
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False (nothing changed) where the system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (glibc before 2.28, some musl)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _EXCHANGE_UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(b))


# --- staging folders and their owner files ---------------------------------------------------------------

def _owner(staging: Path) -> Path:
    return staging.with_name(staging.name + OWNER_SUFFIX)


def _retired(staging: Path) -> Path:
    return staging.with_name(staging.name + RETIRED_SUFFIX)


def _make_staging(target: Path) -> Path:
    """A new staging folder beside `target`, its owner file written first so that it is never unowned."""
    for _ in range(10):
        staging = target.with_name(f".{target.name}.{STAGING}-{os.getpid()}-{secrets.token_hex(4)}")
        owner = _owner(staging)
        try:
            fd = os.open(owner, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(_owner_record())
            os.mkdir(staging)  # 0777 less the umask, like any folder the user makes (mkdtemp would give 0700)
        except FileExistsError:  # someone else's folder with that name: not ours, leave it
            owner.unlink()
            continue
        except BaseException:
            owner.unlink(missing_ok=True)
            raise
        return staging
    raise FileExistsError(errno.EEXIST, "no free name for a staging folder", str(target.parent))


def _discard(staging: Path, target: Path) -> bool:
    """Remove a staging folder (and a retired old site), then its owner file once both are gone.

    A retired old site goes back to `target` instead if the target is missing (a build stopped between the
    fallback's two renames). Returns whether everything went; never raises (what stays is retried later)."""
    retired = _retired(staging)
    folders = [f for f in (staging, retired) if os.path.lexists(f)]
    if any(f.is_symlink() or not f.is_dir() for f in folders):
        return False  # we only ever make folders there: something else has taken the name
    try:
        if retired in folders and not os.path.lexists(target):
            os.rename(retired, target)
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        if any(os.path.lexists(f) for f in folders):
            return False
        _owner(staging).unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _owner_record() -> str:
    pid = os.getpid()
    fields = {"pid": str(pid), "host": socket.gethostname(), "boot": _boot_id() or "-",
              "start": _start_time(pid) or "-"}
    return OWNER_TEXT + "\n" + "".join(f"{key} {value}\n" for key, value in fields.items())


def remove_stale_staging(target: Path, *, now: float | None = None) -> list[Path]:
    """Remove the staging folders beside `target` that provably belong to a carepages build that has ended.

    Returns the folders removed. Never raises: this is housekeeping, and an error leaves the folder for later."""
    pattern = re.compile(re.escape(f".{target.name}.{STAGING}-") + r"(\d+)-[0-9a-f]+" + re.escape(OWNER_SUFFIX))
    now = time.time() if now is None else now
    removed = []
    try:
        entries = sorted(target.parent.iterdir())
    except OSError:
        return removed
    for owner in entries:
        match = pattern.fullmatch(owner.name)
        if not match or not _is_stale(owner, int(match.group(1)), now):
            continue
        staging = owner.with_name(owner.name[:-len(OWNER_SUFFIX)])
        if _discard(staging, target):
            removed.append(staging)
    return removed


def _is_stale(owner: Path, pid_in_name: int, now: float) -> bool:
    """True only when the owner file is ours and its build has certainly ended."""
    try:
        info = owner.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > 4096:
            return False
        lines = owner.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    if not lines or lines[0] != OWNER_TEXT:
        return False
    record = dict(line.split(" ", 1) for line in lines[1:] if " " in line)
    if record.get("pid") != str(pid_in_name) or pid_in_name <= 0:
        return False
    if now - info.st_mtime > STALE_AFTER:
        return True
    if record.get("host") != socket.gethostname() or os.name != "posix":
        return False  # a pid from another machine (or one we cannot probe safely) says nothing here
    boot = _boot_id()
    if boot and record.get("boot") not in (None, "-", boot):
        return True  # the machine has restarted since: every process of that boot has ended
    if not _pid_alive(pid_in_name):
        return True
    start = _start_time(pid_in_name)
    return bool(start and record.get("start") not in (None, "-", start))  # the pid now names another process


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # PermissionError: alive, another user's; when unsure, alive
        return True
    return _proc_stat(pid)[0] != "Z"  # a zombie has ended; only its exit status is left


def _start_time(pid: int) -> str | None:
    return _proc_stat(pid)[1]


def _proc_stat(pid: int) -> tuple[str | None, str | None]:
    """(state, start time in clock ticks since boot) from /proc on Linux; (None, None) elsewhere."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None, None
    fields = text[text.rfind(")") + 2:].split()  # the name before ')' may hold spaces
    return (fields[0], fields[19]) if len(fields) > 19 else (None, None)


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip() or None
    except OSError:
        return None


# --- update in place -------------------------------------------------------------------------------------


def update_site(files: Iterable[OutputFile], out_dir: Path, *, keep: Collection[str] = ()) -> Update:
    """Bring an existing output folder up to date, touching only what changed; a new folder is written whole.

    Follows a symlinked output folder to its target, as `write_site` does; new files and folders get the
    umask's modes. The top-level folders named in `keep` are left as they are (the preview's search bundle,
    which it indexes after the page is shown and brings in with `update_folder`)."""
    out = Path(os.path.abspath(out_dir))
    target_dir = output_target(out)
    files = list(files)
    if not (target_dir / MARKER).is_file():
        write_site(files, out)  # refuses a folder that carepages did not make
        return Update(tuple(f.route for f in files), (), 0)
    try:
        written, unchanged, seen = _write_changed(((f.route, f.output, _data(f)) for f in files), target_dir)
        removed = _remove_others(target_dir, seen | {MARKER}, keep_folders=set(keep))
    except OSError as exc:
        raise OutputError(f"cannot update the site: {exc.strerror or exc}", Location(
            Path(exc.filename) if getattr(exc, "filename", None) else out), rule="output/write") from None
    return Update(tuple(written), tuple(removed), unchanged)


def write_files(files: Iterable[OutputFile], out_dir: Path) -> Update:
    """Write these files into an existing output folder that carepages made, each only if its bytes differ
    (each replaced whole, never half-written); nothing else in the folder is touched."""
    out = Path(os.path.abspath(out_dir))
    target_dir = output_target(out)
    if not (target_dir / MARKER).is_file():
        raise OutputError("the output folder was not made by carepages", Location(out), rule="output/refused")
    try:
        written, unchanged, _ = _write_changed(((f.route, f.output, _data(f)) for f in files), target_dir)
    except OSError as exc:
        raise OutputError(f"cannot update the site: {exc.strerror or exc}", Location(
            Path(exc.filename) if getattr(exc, "filename", None) else out), rule="output/write") from None
    return Update(tuple(written), (), unchanged)


def update_folder(source: Path, out_dir: Path, name: str) -> Update:
    """Make the folder `name` of an output folder a copy of the folder `source`, as `update_site` does for the
    whole site: only files whose bytes differ are rewritten (each atomically), new files are in place before
    the old ones go. For the preview's search bundle, indexed from a copy of the site while it is served."""
    out = Path(os.path.abspath(out_dir))
    target_dir = output_target(out)
    if not (target_dir / MARKER).is_file():
        raise OutputError(f"refusing to update '{out}': it was not made by carepages (no {MARKER} file)",
                          Location(out), rule="output/write")
    folder = PurePosixPath(name)
    if folder.is_absolute() or len(folder.parts) != 1 or folder.name in {"", ".", ".."}:
        raise ValueError(f"not a folder name: {name!r}")
    bundle = target_dir / folder
    try:
        files = sorted(p for p in source.rglob("*") if p.is_file() and not p.is_symlink())
        rels = [PurePosixPath(p.relative_to(source).as_posix()) for p in files]
        written, unchanged, _ = _write_changed(
            ((f"{folder}/{rel}", folder / rel, path.read_bytes()) for path, rel in zip(files, rels, strict=True)),
            target_dir)
        removed = _remove_others(bundle, {rel.as_posix() for rel in rels}) if bundle.is_dir() else []
    except OSError as exc:
        raise OutputError(f"cannot update the site: {exc.strerror or exc}", Location(
            Path(exc.filename) if getattr(exc, "filename", None) else out), rule="output/write") from None
    return Update(tuple(written), tuple(f"{folder}/{rel}" for rel in removed), unchanged)


@dataclass(frozen=True)
class Staged:
    """A file's new bytes written beside it (`stage_beside`), to be put in its place (`put_in_place`) or
    removed (`discard`) once every file of the update is known to be ready."""

    rel: PurePosixPath  # the file, in the output folder
    temporary: str | None  # where the new bytes are; None: the file holds them already


def stage_beside(target_dir: Path, rel: PurePosixPath, data: bytes) -> Staged:
    """Write `data` beside the file `rel` of an output folder carepages made (`output_target`), under a
    temporary name, unless the file holds exactly these bytes. For many processes updating one folder at
    once: nothing visible changes until `put_in_place`. Raises `OutputError` for a folder that leads out of
    the output folder, `OSError` when writing fails."""
    target = target_dir / rel
    folder, root = os.path.realpath(os.path.dirname(target)), os.path.realpath(target_dir)
    if folder != root and not folder.startswith(root + os.sep):
        raise OutputError(f"refusing to write outside the output folder: {rel}", Location(target))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    return Staged(rel, None if _holds(target, data) else _write_beside(target, data))


def holds(target: Path, item: OutputFile) -> bool:
    """Whether the file `target` holds exactly `item`'s bytes. Raises `OSError` when `item`'s bytes (a file it
    names) cannot be read."""
    return _holds(target, _data(item))


def _holds(target: Path, data: bytes) -> bool:
    """Whether `target` is a file holding exactly `data` (read only when the sizes match)."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == len(data) and target.read_bytes() == data


def replace_whole(target: Path, data: bytes) -> None:
    """Give the file `target` the bytes `data` in one step: a reader sees the old bytes or the new ones, and a
    failed write (a full disk) leaves the old file as it was and nothing beside it. Raises `OSError`."""
    temporary = _beside(target)
    try:
        with open(temporary, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _write_beside(target: Path, data: bytes) -> str:
    """Write `data` under a temporary name in `target`'s folder, to replace it whole; returns that name."""
    temporary = _beside(target)
    with open(temporary, "wb") as out:
        out.write(data)
    return temporary


def _beside(target: Path) -> str:
    return f"{os.path.dirname(target)}/.{target.name}.carepages-tmp"


def put_in_place(target_dir: Path, staged: Iterable[Staged]) -> None:
    """Each staged file replaces its file, whole (a reader sees the old bytes or the new ones)."""
    for item in staged:
        if item.temporary is not None:
            os.replace(item.temporary, target_dir / item.rel)


def discard(staged: Iterable[Staged]) -> None:
    """Remove the staged files of an update that will not be put in place (its files stay as they were)."""
    for item in staged:
        if item.temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(item.temporary)


def _data(item: OutputFile) -> bytes:
    return item.data if item.data is not None else (item.source or item.same_as).read_bytes()  # type: ignore[union-attr]


def _write_changed(items: Iterable[tuple[str, PurePosixPath, bytes]],
                   target_dir: Path) -> tuple[list[str], int, set[str]]:
    """Write each (route, output path, bytes) whose file differs; return the routes written, the number left
    as they were, and every output path seen."""
    root = target_dir.resolve()
    written, unchanged, seen = [], 0, set()
    checked: set[str] = set()  # folders found inside the output folder (each looked at once)
    for route, rel, data in items:
        seen.add(rel.as_posix())
        target = target_dir / rel
        folder = os.path.dirname(target)
        if folder not in checked:
            if not Path(folder).resolve().is_relative_to(root):  # a linked subfolder leading out
                raise OutputError(f"refusing to write outside the output folder: {route}")
            os.makedirs(folder, exist_ok=True)
            checked.add(folder)
        if _holds(target, data):
            unchanged += 1
            continue
        replace_whole(target, data)
        written.append(route)
    return written, unchanged, seen


def _remove_others(out: Path, keep: set[str], *, keep_folders: set[str] | None = None) -> list[str]:
    removed = []
    for path in sorted(out.rglob("*"), reverse=True):  # files before the folders that hold them
        rel = path.relative_to(out).as_posix()
        if keep_folders and rel.split("/", 1)[0] in keep_folders:
            continue
        if path.is_file() or path.is_symlink():
            if rel not in keep:
                path.unlink()
                removed.append(rel)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return removed
