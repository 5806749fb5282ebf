"""The build cache: a folder of entries that lets a rebuild skip the parses and renders whose inputs did not
change (and that CI can keep between runs).

Each entry is one file named by the digest of exactly the inputs of the work it saves (a page's parse, a
render job); every key includes `engine_fingerprint()`, so a cache written by another version of carepages or
of its libraries is never read, only left to be pruned. An entry starts with a header (format, its own key,
the payload's length and SHA-256), and anything that does not match it, truncated, corrupt or copied under
another name, is ignored and deleted: the work is done again. Values are pickled and read back by an
unpickler that only knows the few plain classes a parse result is made of, so an entry cannot run code. A
value may name parts kept once elsewhere by an id (`write_value`'s `shared_id`); it is read back only
with those parts (`read_value`'s `shared`), and an id not among them makes it unreadable, like damage.

A rendered page is kept differently (`link`, `linked`): its entry is a second name (a hard link) for the
file the build wrote into the output, so keeping 2,000 pages costs 2,000 names, not another copy of them;
where the file system cannot link, the entry is a plain copy. Such an entry has no header: the space's
index (one headed entry, `index/<space>`) records, when it is made, each entry's SHA-256 and its file
identity (device, inode, size and modification time). An entry that is still that very file is used as it
is; one whose identity changed (a cache folder restored by CI is a new set of files) is read and used only
if its bytes still have the recorded digest, and its new identity is recorded. Anything else (written into,
also through the output file it shares, truncated, or another entry copied over it) is ignored and removed,
and the page is rendered again.

Nothing here raises for a cache problem: a folder that cannot be read or written only costs time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import importlib.util
import io
import os
import pickle
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

DEFAULT_FOLDER = ".carepages-cache"
_MAGIC = b"carepages-cache 1\n"
# (with the PDF writer of handouts, when it is installed: a no-op build does not make them again)
_LIBRARIES = ("markdown_it", "mdit_py_plugins", "jinja2", "markupsafe", "nh3", "weasyprint", "pydyf")
_PACKAGE = Path(__file__).resolve().parent


def engine_fingerprint() -> str:
    """Of the code that turns inputs into outputs: carepages' own source files, the libraries it renders with
    (each package's first file, which holds its version, found without importing it), and Python's version.
    Part of every key: a new version never reads an old one's entries."""
    hasher = hashlib.sha256(sys.version.encode())
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin) if spec and spec.origin else None
        hasher.update(f"{name}={origin}\x00".encode())
        if origin and origin.is_file():
            hasher.update(origin.read_bytes())
    for path in sorted(_PACKAGE.rglob("*.py")):
        hasher.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\x00" + path.read_bytes() + b"\x00")
    return hasher.hexdigest()


class Cache:
    """Entries under `folder` (None: no cache; every lookup misses and nothing is written)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: dict[str, set[str]] = {}  # space -> keys read or written by this build
        self.indexes: dict[str, dict[str, Identity]] = {}  # space -> key -> identity of its linked entry
        self._folders: set[Path] = set()  # entry folders known to exist
        self._classes: dict[tuple[str, str], type | None] = {}  # (module, name) -> `_own_data_class`

    def read(self, space: str, key: str) -> bytes | None:
        if self.folder is None:
            return None
        path = self._path(space, key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        payload = _payload(data, key)
        if payload is None:
            _remove(path)  # truncated, corrupt or not this key's: never trusted
            return None
        self.used.setdefault(space, set()).add(key)
        return payload

    def write(self, space: str, key: str, payload: bytes) -> None:
        if self.folder is None:
            return
        path = self._path(space, key)
        header = _MAGIC + f"{key}\n{len(payload)}\n{hashlib.sha256(payload).hexdigest()}\n".encode()
        try:
            self._make_folder(path.parent)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(header)
                out.write(payload)
            os.replace(temporary, path)  # readers see the whole entry or none
        except OSError:
            return
        self.used.setdefault(space, set()).add(key)

    def read_value(self, space: str, key: str, allowed: Iterable[type],
                   shared: Mapping[Any, Any] | None = None) -> Any | None:
        """The value kept for `key`, made of the `allowed` classes; `shared`: the values `write_value`'s
        `shared_id` named by an id (a value naming an id not there is not read)."""
        payload = self.read(space, key)
        if payload is None:
            return None
        try:
            return _Unpickler(io.BytesIO(payload), allowed, shared, self._classes).load()
        except Exception:  # a well-formed entry we cannot read back (a class that changed): done again
            _remove(self._path(space, key))
            return None

    def write_value(self, space: str, key: str, value: Any,
                    shared_id: Callable[[Any], Any] | None = None) -> bool:
        """False when the value cannot be kept (it holds something pickle cannot write, such as a function).
        `shared_id(part)`: an id for a part of the value that is kept elsewhere once for many values (written
        as that id alone, and read back from `read_value`'s `shared`), or None."""
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
        if shared_id is not None:
            pickler.persistent_id = shared_id  # type: ignore[method-assign]
        try:
            pickler.dump(value)
        except (pickle.PicklingError, TypeError, AttributeError):
            return False
        self.write(space, key, out.getvalue())
        return True

    def made_value(self, space: str, key: str, allowed: Iterable[type], valid: Callable[[Any], bool],
                   make: Callable[[], Any]) -> Any:
        """The value kept for `key`, if `valid` accepts it; else `make()`, kept for the next build."""
        kept = self.read_value(space, key, allowed)
        if kept is not None and valid(kept):
            return kept
        made = make()
        self.write_value(space, key, made)
        return made

    def keep_value(self, space: str, key: str, value: Any, shared_id: Callable[[Any], Any] | None = None) -> bool:
        """`keep` the entry for `key` if it is there, else `write_value` it; False when it cannot be kept."""
        return self.keep(space, key) or self.write_value(space, key, value, shared_id)

    def mark(self, space: str, key: str) -> None:
        """Count an entry as used by this build (one another process wrote for it)."""
        self.used.setdefault(space, set()).add(key)

    def remove_all(self, space: str, keys: Iterable[str]) -> None:
        for key in keys:
            self.remove(space, key)

    def remove(self, space: str, key: str) -> None:
        """Remove the entry for `key`: an entry a build has replaced by another (a later build that asks for it
        does the work again). A build that is not a full one (which prunes what it did not use) removes what
        it replaced, so that the cache does not grow by the pages of every edit."""
        if self.folder is None:
            return
        _remove(self._path(space, key))
        if space in self.indexes:
            self.indexes[space].pop(key, None)
        self.used.get(space, set()).discard(key)

    def has(self, space: str, key: str) -> bool:
        """Whether an entry is there (not whether it is sound: `read` says that)."""
        return self.folder is not None and self._path(space, key).is_file()

    def keep(self, space: str, key: str) -> bool:
        """Count an entry as used by this build without reading it (so pruning keeps it); False if it is not
        there."""
        if not self.has(space, key):
            return False
        self.mark(space, key)
        return True

    def link(self, space: str, key: str, data: bytes, path: Path | None = None) -> None:
        """Keep `data` as the entry for `key`: a second name for `path` (a file this build has just written
        with exactly these bytes) where the file system allows, else a copy. See the module docstring."""
        self._keep(space, key, path, hashlib.sha256(data).hexdigest(), data)

    def make_link(self, space: str, key: str, path: Path, sha256: str) -> Identity | None:
        """`link` for a file whose bytes are not at hand (another process wrote it), given their SHA-256, and
        without recording the entry: returns its identity, for `record_link` in the process that keeps the
        space's index (a worker makes the entry, the main process records it), or None if it was not made. An
        entry made and never recorded is not trusted: a later build makes it again."""
        return self._make(space, key, path, sha256, None)

    def record_link(self, space: str, key: str, identity: Identity) -> None:
        """Record an entry `make_link` made, as `link` does: it is trusted from now on and used by this build."""
        self._index(space)[key] = identity
        self.used.setdefault(space, set()).add(key)

    def _keep(self, space: str, key: str, path: Path | None, sha256: str, data: bytes | None) -> None:
        identity = self._make(space, key, path, sha256, data)
        if identity is not None:
            self.record_link(space, key, identity)

    def _make(self, space: str, key: str, path: Path | None, sha256: str, data: bytes | None) -> Identity | None:
        if self.folder is None:
            return None
        entry = self._path(space, key)
        temporary = entry.with_name(f".tmp-{os.getpid()}-{key}")
        try:
            self._make_folder(entry.parent)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            if path is None or not _made_link(path, temporary):  # another file system, or no links: a copy
                if data is None:
                    shutil.copyfile(path, temporary)  # type: ignore[arg-type]
                else:
                    with open(temporary, "wb") as out:
                        out.write(data)
            os.replace(temporary, entry)
            info = os.stat(entry)
        except OSError:
            _remove(temporary)
            return None
        return (*_identity(info), sha256)

    def linked(self, space: str, key: str) -> Path | None:
        """The entry `link` made for `key`, if it is still the file it recorded or holds the same bytes (else
        None, and the entry is removed); counted as used."""
        index = self._index(space)
        known = index.get(key)
        if known is None:
            return None
        entry = self._path(space, key)
        try:
            info = os.lstat(entry)
            if not stat.S_ISREG(info.st_mode) or info.st_size != known[2]:
                raise ValueError
            if _identity(info) != known[:4]:  # another file now (restored, copied): trusted by its bytes
                with open(entry, "rb") as handle:
                    if hashlib.sha256(handle.read()).hexdigest() != known[4]:
                        raise ValueError
                index[key] = (*_identity(info), known[4])
        except FileNotFoundError:
            del index[key]
            return None
        except (OSError, ValueError):
            _remove(entry)  # written into, truncated or replaced since: never trusted
            del index[key]
            return None
        self.used.setdefault(space, set()).add(key)
        return entry

    def save_index(self, space: str) -> None:
        """Keep the identities of the space's linked entries for the next build (its entries are not trusted
        without them)."""
        if self.folder is not None and space in self.indexes:
            self.write_value(INDEX, space, dict(sorted(self.indexes[space].items())))

    def keys(self, space: str, since: float = 0.0) -> list[str]:
        """The keys of the entries in `space` written at or after `since` (seconds since the epoch), sorted."""
        if self.folder is None:
            return []
        found = []
        for path in (self.folder / space).glob("*/*"):
            with contextlib.suppress(OSError):
                if not path.name.startswith(".") and path.stat().st_mtime >= since:
                    found.append(path.name)
        return sorted(found)

    def touch(self, space: str, key: str) -> None:
        """Mark an entry as written now (`keys` counts from when an entry was written), without rewriting it."""
        if self.folder is not None:
            with contextlib.suppress(OSError):
                os.utime(self._path(space, key))

    def forget_before(self, space: str, before: float, keep: str | None = None) -> int:
        """Remove the entries of `space` last written before `before` (seconds since the epoch), but `keep`.
        Returns how many were removed."""
        if self.folder is None:
            return 0
        removed = 0
        for path in (self.folder / space).glob("*/*"):
            with contextlib.suppress(OSError):
                if path.name != keep and not path.name.startswith(".") and path.stat().st_mtime < before:
                    _remove(path)
                    removed += 1
        return removed

    def prune(self, space: str) -> int:
        """Remove the entries of `space` this build did not use (a site's cache stays the size of one build).
        Returns how many were removed."""
        if self.folder is None:
            return 0
        keep = self.used.get(space, set())
        removed = 0
        for path in (self.folder / space).glob("*/*"):
            if path.name not in keep:
                _remove(path)
                removed += 1
        if space in self.indexes:
            self.indexes[space] = {key: found for key, found in self.indexes[space].items() if key in keep}
            self.save_index(space)
        return removed

    def _index(self, space: str) -> dict[str, Identity]:
        index = self.indexes.get(space)
        if index is None:
            found = self.read_value(INDEX, space, ()) if self.folder is not None else None
            index = {key: tuple(value) for key, value in found.items()
                     if isinstance(key, str) and _is_identity(value)} if isinstance(found, dict) else {}
            self.indexes[space] = index
        return index

    def _make_folder(self, folder: Path) -> None:
        if folder in self._folders:
            return
        assert self.folder is not None
        folder.mkdir(parents=True, exist_ok=True)
        _ignore_folder(self.folder)
        self._folders.add(folder)

    def _path(self, space: str, key: str) -> Path:
        assert self.folder is not None
        return Path(f"{self.folder}/{space}/{key[:2]}/{key}")  # one path made, not three (thousands a build)


INDEX = "index"  # the space of the linked entries' indexes (one entry per space, named after it)
Identity = tuple[int, int, int, int, str]  # device, inode, size, modification time (ns); SHA-256 of the bytes


def _made_link(existing: Path, name: Path) -> bool:
    try:
        os.link(existing, name)
    except OSError:
        return False
    return True


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _is_identity(value: Any) -> bool:
    return (isinstance(value, tuple) and len(value) == 5 and all(type(item) is int for item in value[:4])
            and isinstance(value[4], str))


def _payload(data: bytes, key: str) -> bytes | None:
    if not data.startswith(_MAGIC):
        return None
    lines = data[len(_MAGIC):].split(b"\n", 3)
    if len(lines) != 4:
        return None
    stored_key, length, checksum, payload = lines
    if stored_key.decode("ascii", "replace") != key or length != str(len(payload)).encode():
        return None
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    return payload


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def unusable(folder: Path) -> str | None:
    """Why `folder` cannot hold the cache (it cannot be made, or a file cannot be written in it); None if it can.
    (Without this, every entry would fail to be written, quietly, and each build would do all its work.)"""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _ignore_folder(folder)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _ignore_folder(folder: Path) -> None:
    """A .gitignore inside the cache folder keeps it out of git wherever it is."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("# the carepages build cache: safe to delete\n*\n", encoding="utf-8")


class _Unpickler(pickle.Unpickler):
    """Reads back only the classes listed (and plain data): no other global can be named by an entry."""

    def __init__(self, file: io.BytesIO, allowed: Iterable[type], shared: Mapping[Any, Any] | None = None,
                 own: dict[tuple[str, str], type | None] | None = None) -> None:
        super().__init__(file)
        self.allowed = {(kind.__module__, kind.__qualname__): kind for kind in allowed}
        self.shared = shared or {}
        self.own = {} if own is None else own  # carepages' classes looked up so far (`_own_data_class`)

    def persistent_load(self, pid: Any) -> Any:
        try:
            return self.shared[pid]
        except (KeyError, TypeError):
            raise pickle.UnpicklingError(f"{pid!r} is not among the values shared with this entry") from None

    def find_class(self, module: str, name: str) -> Any:
        kind = self.allowed.get((module, name))
        if kind is None and OWN_DATA in self.allowed.values():
            if (module, name) not in self.own:
                self.own[module, name] = _own_data_class(module, name)
            kind = self.own[module, name]
        if kind is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")
        return kind


class OWN_DATA:
    """Allowed among an entry's classes: any plain data class of carepages itself (a dataclass or an enum
    defined in one of its modules), so that a kept render job can be read back. Building one runs no code
    but setting its fields."""


def _own_data_class(module: str, name: str) -> type | None:
    if module != "carepages" and not module.startswith("carepages."):
        return None
    try:
        kind = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    if not isinstance(kind, type) or kind.__module__ != module or kind.__qualname__ != name:
        return None
    if dataclasses.is_dataclass(kind) or issubclass(kind, enum.Enum):
        return kind
    return None
