"""Jinja2 templates: the site's own `templates/` first, then the project's, file by file.

Autoescaping is always on and undefined names are errors, so a typo in a template fails the build with the
template's file and line instead of quietly printing nothing.

One `Templates` compiles each template once per build (Jinja2 keeps it), before worker processes are started,
so they inherit it compiled; with a `bytecode_cache` (the build cache's), a build does not compile a template
whose source has not changed since the last one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from ..errors import Location, TemplateError

_PYTHON_OBJECT = re.compile(r"'(?:[\w]+\.)*(\w+) object'")

Named = frozenset[str] | None  # the templates one template extends, includes or imports (None: one named by a value)
# `remember(digest of a template's source, find)`: what `find()` says the template names, or what it said
# before for the same source (a build keeps them in its cache, and parses only the templates edited since)
RememberNamed = Callable[[str, Callable[[], Named]], Named]


class Templates:
    def __init__(self, folders: Sequence[Path], remember: RememberNamed | None = None) -> None:
        self.folders = [f for f in folders if f.is_dir()]
        self._remember: RememberNamed = remember or (lambda _, find: find())
        self.env = jinja2.Environment(
            cache_size=-1,  # never evict a compiled template
            loader=jinja2.FileSystemLoader([str(f) for f in self.folders]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )

    @functools.cached_property
    def digest(self) -> str:
        """Of every template a page could use (they include each other, so any change may matter)."""
        hasher = hashlib.sha256()
        seen: set[str] = set()
        for folder in self.folders:
            for path in sorted(folder.rglob("*")):
                name = path.relative_to(folder).as_posix()
                if path.is_file() and name not in seen:  # an earlier folder's file hides a later one's
                    seen.add(name)
                    hasher.update(name.encode() + b"\x00" + path.read_bytes() + b"\x00")
        return hasher.hexdigest()

    def digest_for(self, name: str) -> str:
        """Of the template `name` and every template it extends, includes or imports, however deep: what a
        page rendered with it depends on. A change to another template leaves it the same. Where a template
        names another by a value only known when it renders, this is `digest` (any template may matter)."""
        return self._closure_digests.get(name) or self.digest

    @functools.cached_property
    def _closure_digests(self) -> dict[str, str]:
        sources: dict[str, str] = {}  # the templates found, by name (the first folder holding it wins)
        for folder in reversed(self.folders):
            for path in folder.rglob("*"):
                if path.is_file():
                    sources[path.relative_to(folder).as_posix()] = str(path)
        references: dict[str, Named] = {}
        contents: dict[str, bytes] = {}
        for name, path in sources.items():
            try:
                contents[name] = Path(path).read_bytes()
            except OSError:
                references[name] = None  # it cannot be read: rendering says why; meanwhile anything may matter
                continue
            references[name] = self._remember(hashlib.sha256(contents[name]).hexdigest(),
                                              functools.partial(self._named, contents[name]))
        digests = {}
        for name in sources:
            closure, todo, dynamic = set(), [name], False
            while todo and not dynamic:
                current = todo.pop()
                if current in closure:
                    continue
                closure.add(current)
                named = references.get(current, frozenset())  # a missing template: its name alone
                dynamic = named is None
                todo.extend(named or ())
            if dynamic:
                continue
            hasher = hashlib.sha256()
            for member in sorted(closure):
                hasher.update(member.encode() + b"\x00" + contents.get(member, b"") + b"\x00")
            digests[name] = hasher.hexdigest()
        return digests

    def _named(self, source: bytes) -> Named:
        try:
            found = tuple(jinja2.meta.find_referenced_templates(self.env.parse(source.decode("utf-8"))))
        except (UnicodeDecodeError, jinja2.TemplateError):
            return None  # it cannot be parsed: rendering says why; meanwhile anything may matter
        return None if None in found else frozenset(n for n in found if n is not None)

    def keep_compiled(self, bytecode_cache: jinja2.BytecodeCache) -> None:
        """Keep compiled templates in `bytecode_cache` between builds (unless one is already set)."""
        if self.env.bytecode_cache is None:
            self.env.bytecode_cache = bytecode_cache

    def load(self, names: Iterable[str]) -> None:
        """Compile these templates now (errors are raised when a page uses one)."""
        for name in names:
            with contextlib.suppress(jinja2.TemplateError):
                self.env.get_template(name)

    def render(self, name: str, **context: Any) -> str:
        try:
            template = self.env.get_template(name)
            return template.render(**context)
        except jinja2.TemplateSyntaxError as exc:
            path = Path(exc.filename) if exc.filename else self._find(exc.name or name)
            raise TemplateError(f"template syntax error: {exc.message}", Location(path, exc.lineno),
                                rule="template/syntax") from None
        except jinja2.TemplateNotFound as exc:
            searched = ", ".join(str(f) for f in self.folders) or "no template folders"
            raise TemplateError(f"template '{exc.name}' not found (looked in {searched})",
                                Location(self._find(name)), rule="template/missing") from None
        except TemplateError:
            raise
        except Exception as exc:  # any runtime failure inside a template is the template's error
            raise TemplateError(f"error while rendering template '{name}': {_describe(exc)}",
                                _template_frame(exc) or Location(self._find(name)), rule="template/render") from exc

    def _find(self, name: str) -> Path | None:
        for folder in self.folders:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        return None


def _describe(exc: Exception) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        # "'carepages.render.views.ArticleView object' has no attribute 'x'" -> "'ArticleView' has no ...":
        # a theme author needs the view's name, not where the engine keeps it.
        message = _PYTHON_OBJECT.sub(lambda m: f"'{m.group(1)}'", exc.message or "")
        return f"{message} (a name used in the template does not exist)"
    return f"{type(exc).__name__}: {exc}"


def _template_frame(exc: BaseException) -> Location | None:
    """The innermost traceback frame that belongs to a template file (Jinja rewrites frames so they do)."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2", ".jinja")):
            found = Location(Path(frame.filename), frame.lineno)
    return found


class TemplateBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's compiled templates kept in the cache folder, so a build does not compile them again. Jinja
    checks each entry against its template's source; an unreadable one is compiled again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
