"""Helpers for the browser tests: serving a built site, a watched browser context, axe, and the page audit.

The fixtures that use them (`browser`, `starter_site`) are in conftest.py and are shared by the whole session:
one Chromium and one build of the starter site for every browser test file.
"""

from __future__ import annotations

import re
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from carepages.server import make_server

from .sitekit import ROOT

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def npm_tool(path: Path) -> Path:
    assert path.exists(), (f"{path.relative_to(ROOT)} is missing: run 'make test', or 'npm ci --ignore-scripts' "
                           "in the repository (package.json lists the test tools)")
    return path


@dataclass(frozen=True)
class Served:
    origin: str  # http://127.0.0.1:port
    base: str  # the site's base path: /patient-info/ or /
    out: Path

    def url(self, path: str = "") -> str:
        """The address of a page given by its path below the base: url('articles/x/')."""
        return self.origin + self.base + path.lstrip("/")

    def pages(self) -> list[str]:
        """Every page of the built site as a path below the base ('', 'articles/x/', ...), and a missing one
        (the server answers it with the 404 page)."""
        found = sorted(str(p.parent.relative_to(self.out)).removeprefix(".") for p in self.out.rglob("index.html")
                       if "pagefind" not in p.parts)
        return [f"{p}/".lstrip("/") for p in found] + ["no-such-page/"]


@contextmanager
def serve(out: Path, base_path: str) -> Iterator[Served]:
    server = make_server(out, base_path, port=0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_address[1]}", base_path, out)
    finally:
        server.shutdown()
        server.server_close()


def site_headers(out: Path) -> dict[str, str]:
    """The headers a built site's `_headers` file gives every page (its one `/*` block), lower-cased names."""
    lines = (out / "_headers").read_text(encoding="utf-8").splitlines()
    assert "/*" in lines, "the _headers file has no block for every path"
    block = lines[lines.index("/*") + 1:]
    return {name.strip().lower(): value.strip()
            for name, value in (line.split(":", 1) for line in block if line.startswith("  "))}


# Runs in every page before its own scripts (and outside its CSP): a storage write or a CSP violation becomes
# a console error, which the watch below records with the page's address.
WATCH_SCRIPT = """
(() => {
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    console.error('storage write: ' + (this === window.localStorage ? 'localStorage' : 'sessionStorage')
                  + '.setItem(' + key + ')');
    return setItem.call(this, key, value);
  };
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline code'));
  });
})();
"""


@dataclass
class Watch:
    """What a browser context did that a patient's privacy or a clean console forbids."""

    origin: str
    outside: list[str] = field(default_factory=list)  # requests to anywhere but the local server
    console: list[str] = field(default_factory=list)  # console errors and warnings, and uncaught exceptions

    def clear(self) -> None:
        self.outside.clear()
        self.console.clear()


# Playwright's words for a request whose page has gone or moved on before its answer arrived.
_ABANDONED = ("has been disposed", "has been closed", "Route is already handled",
              "Request context disposed")  # (a request still in flight when its context is closed)


def watched_context(browser, served: Served, *, headers: bool = True, **options):
    """A new browser context that records requests leaving the local server, console errors and warnings,
    uncaught errors and storage writes (on `context.watch`). With `headers`, every response from the local
    server carries the headers of the site's own `_headers` file, as a host that reads it would send them."""
    context = browser.new_context(**options)
    watch = Watch(served.origin)
    context.watch = watch
    context.on("request", lambda request: None if request.url.startswith(served.origin + "/")
               else watch.outside.append(request.url))

    def on_console(page, message) -> None:
        if message.type not in ("error", "warning"):
            return
        # Chromium logs the status of a page answered 404 (a missing address shows the site's 404 page): the
        # server's correct answer, not a fault of the page. A missing file the page asks for is still logged.
        if message.location.get("url") == page.url and "status of 404" in message.text:
            return
        watch.console.append(f"{page.url}: {message.type}: {message.text} ({message.location.get('url')})")

    def on_page(page) -> None:
        page.on("console", lambda message: on_console(page, message))
        page.on("pageerror", lambda error: watch.console.append(f"{page.url}: uncaught: {error}"))

    context.on("page", on_page)
    context.add_init_script(WATCH_SCRIPT)
    if headers:
        extra = site_headers(served.out)

        def with_headers(route) -> None:
            try:
                response = route.fetch()
                route.fulfill(response=response, headers={**response.headers, **extra})
            except PlaywrightError as error:
                # A request the page abandoned (a navigation or a closed page cancels it mid-fetch) has no one
                # left to answer; any other failure is the test's business.
                if not any(gone in str(error) for gone in _ABANDONED):
                    raise

        context.route(served.origin + "/**", with_headers)
    return context


def inject_axe(page) -> None:
    page.evaluate(npm_tool(AXE_JS).read_text(encoding="utf-8"))


def run_axe(page, rules: list[str] | None = None) -> list[str]:
    """axe-core from npm (see package.json) on the page as it is now: its violations, described. Injected
    when the page does not have it yet (a navigation drops it)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        inject_axe(page)
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate("async (only) => await axe.run(document, {runOnly: only, resultTypes: ['violations']})",
                           only)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']}: "
            f"{v['nodes'][0]['failureSummary']})" for v in result["violations"]]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "home"


# How far the page scrolls sideways, as the audit below words it
SIDEWAYS_JS = """() => { const de = document.documentElement;
  return de.scrollWidth > de.clientWidth ? [`by ${de.scrollWidth - de.clientWidth} px`] : []; }"""

# Everything a user can tap, click or reach with Tab
INTERACTIVE = ('a[href], button, input:not([type=hidden]), select, textarea, summary, '
               '[tabindex]:not([tabindex="-1"])')

# What a phone user meets on one page, measured in the page (one call, no navigation): each key lists
# problems, empty when there are none.
#
# Target size (WCAG 2.2, 2.5.8 AA): every link, button, field and question is at least 24 by 24 CSS px,
# meaning a 24 px square fits in one of its boxes (a link that wraps has a box per line). The spec's inline
# exception is applied as it is written: a link inside a sentence, whose size the line height of the text
# around it decides. Here that is a link displayed inline in a block whose own text, outside links and
# buttons, has at least four words. Labels before a list of links ("Back to text: 1 2 3", "Phone:") are
# not sentences, so those links must be 24 px themselves. The spacing exception is not used: every other
# target is made 24 px.
AUDIT_JS = r"""
(TARGETS) => {
  const de = document.documentElement;
  const name = (el) => {
    const text = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().replace(/\s+/g, ' ');
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} "${text.slice(0, 50)}"`;
  };
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true})
    && [...el.getClientRects()].some((r) => r.width > 1 && r.height > 1);
  const targets = [...document.querySelectorAll(TARGETS)].filter(shown);
  const isTarget = (el) => el.matches(TARGETS);

  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && ['inline', 'contents'].includes(getComputedStyle(node).display)) node = node.parentElement;
    return node || document.body;
  };
  const ownWords = (block) => {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let text = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent.closest(TARGETS) || !shown(parent)) continue;
      text += ' ' + node.textContent;
    }
    return (text.match(/\p{L}[\p{L}'’-]*/gu) || []).length;
  };
  const inSentence = (el) => getComputedStyle(el).display === 'inline' && ownWords(blockOf(el)) >= 4;

  const smallTargets = [];
  for (const el of targets) {
    const fits = [...el.getClientRects()].some((r) => r.width >= 23.99 && r.height >= 23.99);
    if (!fits && !inSentence(el)) {
      const sizes = [...el.getClientRects()].map((r) => `${r.width.toFixed(1)}x${r.height.toFixed(1)}`).join('+');
      smallTargets.push(`${name(el)} is ${sizes} px`);
    }
  }

  const overlaps = [];
  const boxes = targets.map((el) => ({el, rects: [...el.getClientRects()].filter((r) => r.width && r.height)}));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const hit = a.rects.some((p) => b.rects.some((q) =>
        Math.min(p.right, q.right) - Math.max(p.left, q.left) > 0.5
        && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 0.5));
      if (hit) overlaps.push(`${name(a.el)} overlaps ${name(b.el)}`);
    }
  }

  const smallText = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || el.closest('sup, sub, script, noscript') || !shown(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) smallText.add(`${name(el)} is ${size} px`);
  }

  const tables = [];
  for (const wrap of document.querySelectorAll('table')) {
    const scroller = wrap.closest('.table-wrap');
    const box = scroller || wrap.parentElement;
    if (box.scrollWidth <= box.clientWidth) continue;  // it fits
    const style = getComputedStyle(box);
    const problems = [];
    if (!scroller) problems.push('is not in a scrolling region');
    else {
      if (box.tabIndex !== 0) problems.push('cannot be scrolled by keyboard (no tabindex=0)');
      const labelled = box.getAttribute('aria-label') || box.getAttribute('aria-labelledby');
      if (box.getAttribute('role') !== 'region' || !labelled) problems.push('is not a labelled region');
      if ((style.backgroundImage.match(/gradient/g) || []).length < 2 || !style.backgroundAttachment.includes('local'))
        problems.push('shows no shadow at the edge that has more of the table');
    }
    if (problems.length) tables.push(`${name(box)} ${problems.join(', ')}`);
  }

  return {
    'scrolls sideways': de.scrollWidth > de.clientWidth ? [`by ${de.scrollWidth - de.clientWidth} px`] : [],
    'text under 16 px': [...smallText],
    'targets under 24x24 px': smallTargets,
    'overlapping targets': overlaps,
    'wide tables': tables,
  };
}
"""

# The focus indicator of every focusable element: focused from script after a key press (so :focus-visible
# applies as it does for Tab), its outline, box shadow or background must differ from the same element
# unfocused, and an outline must be at least 2 px wide.
FOCUS_JS = r"""
(FOCUSABLE) => {
  const look = (el) => {
    const s = getComputedStyle(el);
    const seen = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && !/rgba\(.*, 0\)$/.test(s.outlineColor);
    return {outline: seen ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : 'none',
            shadow: s.boxShadow, background: s.backgroundColor};
  };
  const problems = [];
  for (const el of [...document.querySelectorAll(FOCUSABLE)].filter((e) => e.checkVisibility())) {
    const what = el.outerHTML.slice(0, 80);
    if (el.tabIndex < 0) { problems.push(`${what} cannot be reached with Tab`); continue; }
    if (el.tabIndex > 0) problems.push(`${what} has tabindex ${el.tabIndex}: Tab would not follow the page`);
    const before = look(el);
    el.focus({preventScroll: true});
    if (document.activeElement !== el) { problems.push(`${what} cannot take the focus`); continue; }
    const changed = JSON.stringify(look(el)) !== JSON.stringify(before);
    if (!changed || !el.matches(':focus-visible')) problems.push(`${what} shows no focus indicator`);
    el.blur();
  }
  return problems;
}
"""
