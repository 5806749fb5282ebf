"""Benchmark corpus: a complete carepages site of N realistic articles, the same bytes for the same seed.

    python bench/corpus.py --articles 2000 --seed 1 OUT_DIR [--words 1100] [--keywords]

Why generated rather than copied: the speed targets are about sites of thousands of pages with the shape of
real patient information (long front matter, headings, lists, tables, citations, links between articles),
and the starter site has nine articles. Copying those nine under new names gives a corpus in which every
page cites the same sources and links the same few pages, which hides exactly the costs (bibliography
size, link resolution, related-page ranking) that grow with the site.

Every article is generated from its own random stream (seed, article number), so one article's text does
not depend on how many words another happened to need. The site builds with no errors and no warnings
with the engine as it is; `--keywords` adds a `keywords:` list to each article for when the engine
accepts that field (today it warns that the field is unknown).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vocabulary as v

# The engine refuses a bibliography file of more than 20,000 YAML values (alias-bomb protection), about
# 700 of these entries; larger corpora spread their sources over several files, as site.toml allows.
SOURCES_PER_FILE = 600
MARKER = ".bench-corpus"  # written into every generated site; only such folders are ever replaced
URGENT_HEADING = "When to get urgent help"  # every article has it, so links can point at its anchor
URGENT_ANCHOR = "when-to-get-urgent-help"
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .'()?-]*[A-Za-z0-9.?)]$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Plan:
    """What an article is about and whom it cites and links to, decided before any text is written."""

    number: int
    slug: str
    title: str
    condition: str
    topics: tuple[str, ...]
    references: tuple[str, ...]
    related: tuple[str, ...]


@dataclass(frozen=True)
class CorpusInfo:
    """What was written, for the benchmark record."""

    articles: int
    seed: int
    references: int
    body_words: int
    markdown_bytes: int
    keywords: bool


@dataclass
class Writer:
    """Sentence and block composition for one article, with its own random stream and citation queue."""

    plan: Plan
    rng: random.Random
    titles: dict[str, str]
    pending: list[str] = field(default_factory=list)  # cited keys not yet used: every listed key gets cited

    def __post_init__(self) -> None:
        self.pending = list(self.plan.references)

    # -- citations and links --------------------------------------------------------------------------
    def citation(self, chance: float = 0.4) -> str:
        """` [@key]` (sometimes several keys or a page locator), or nothing."""
        if not self.pending and self.rng.random() >= chance:
            return ""
        keys = [self.pending.pop() if self.pending else self.rng.choice(self.plan.references)]
        if self.rng.random() < 0.2:
            keys.append(self.rng.choice(self.plan.references))
        keys = list(dict.fromkeys(keys))
        if len(keys) == 1 and self.rng.random() < 0.1:
            return f" [@{keys[0]}, p. {self.rng.randint(2, 400)}]"
        return " [" + "; ".join(f"@{key}" for key in keys) + "]"

    def link(self, anchor: bool = False) -> str:
        slug = self.rng.choice(self.plan.related) if self.rng.random() < 0.6 else self.rng.choice(list(self.titles))
        target = f"{slug}.md#{URGENT_ANCHOR}" if anchor else f"{slug}.md"
        return f"[{self.titles[slug]}]({target})"

    # -- sentences ----------------------------------------------------------------------------------------
    def sentence(self, cite: float = 0.4) -> str:
        text = self.rng.choice(SENTENCES)(self.rng, self.plan.condition)
        return text[:-1] + self.citation(cite) + text[-1]

    def paragraph(self, sentences: tuple[int, int] = (3, 6)) -> str:
        parts = [self.sentence() for _ in range(self.rng.randint(*sentences))]
        if self.rng.random() < 0.35:
            parts.insert(self.rng.randint(1, len(parts)), f"{self.rng.choice(v.LINK_PHRASES)} {self.link()}.")
        return _wrap(" ".join(parts))

    # -- blocks ---------------------------------------------------------------------------------------------
    def bullet_list(self) -> str:
        items = []
        for _ in range(self.rng.randint(3, 6)):
            lead = _cap(self.rng.choice(v.SYMPTOMS + v.TREATMENTS))
            items.append(f"- **{lead}.** {self.sentence(0.5)}")
        return "\n".join(items)

    def numbered_list(self) -> str:
        steps = [
            lambda r: f"Write down your questions for {r.choice(v.PEOPLE)} before you go.",
            lambda r: f"Bring a list of your medicines, including {r.choice(v.TREATMENTS)}.",
            lambda r: f"Ask how long {r.choice(v.TESTS)} will take and when you will get the result.",
            lambda r: f"Tell {r.choice(v.PEOPLE)} if you have had {r.choice(v.SYMPTOMS)} "
                      f"in the last {r.choice(v.TIMES)}.",
            lambda r: f"Agree a plan for what to do if {r.choice(v.SYMPTOMS)} comes back.",
            lambda r: f"Book a follow-up appointment in {r.choice(v.TIMES)}.",
        ]
        chosen = self.rng.sample(steps, self.rng.randint(3, 5))
        return "\n".join(f"{n}. {step(self.rng)}" for n, step in enumerate(chosen, 1))

    def table(self) -> str:
        header = self.rng.choice(v.TABLE_HEADERS)
        rows = [f"| {' | '.join(header)} |", "|---|---|---|"]
        first = {"Test": v.TESTS, "Treatment": v.TREATMENTS, "Symptom": v.SYMPTOMS}[header[0]]
        for item in self.rng.sample(first, 4):
            middle = f"{self.rng.choice(v.VERBS)} {self.rng.choice(v.SYMPTOMS)}"
            last = f"{self.rng.choice(v.ADVERBS)}, about {self.rng.choice(v.TIMES)}"
            rows.append(f"| {_cap(item)} | {_cap(middle)} | {_cap(last)} |")
        return "\n".join(rows)

    def callout(self) -> str:
        kind, title = self.rng.choice((("note", "Good to know"), ("warning", "Check with your care team"),
                                       ("note", ""), ("warning", "")))
        return f"::: {kind} {title}".rstrip() + f"\n{_wrap(self.sentence(0.3) + ' ' + self.sentence(0.3))}\n:::"


# Sentence templates: (rng, condition) -> a sentence ending with a full stop or question mark.
SENTENCES: tuple[Callable[[random.Random, str], str], ...] = (
    lambda r, c: f"{r.choice(v.PATIENTS)} with {c} {r.choice(v.ADVERBS)} notice {r.choice(v.SYMPTOMS)} "
                 f"and {r.choice(v.SYMPTOMS)}.",
    lambda r, c: f"{_cap(r.choice(v.TESTS))} can show whether {c} has affected your {r.choice(v.BODY_PARTS)}.",
    lambda r, c: f"{_cap(r.choice(v.PEOPLE))} can explain how {r.choice(v.TREATMENTS)} {r.choice(v.VERBS)} "
                 f"{r.choice(v.SYMPTOMS)}.",
    lambda r, c: f"{_cap(r.choice(v.TREATMENTS))} {r.choice(v.VERBS)} {r.choice(v.SYMPTOMS)} {r.choice(v.ADVERBS)}, "
                 f"but it can take {r.choice(v.TIMES)} before you feel the difference.",
    lambda r, c: f"If you have {r.choice(v.SYMPTOMS)} that lasts longer than {r.choice(v.TIMES)}, "
                 f"speak to {r.choice(v.PEOPLE)}.",
    lambda r, c: f"In {r.choice(v.STUDY_KINDS)}, people with {c} who had {r.choice(v.TREATMENTS)} had fewer problems "
                 f"with {r.choice(v.SYMPTOMS)} after {r.choice(v.TIMES)}.",
    lambda r, c: f"{_cap(c)} {r.choice(v.VERBS)} the {r.choice(v.BODY_PARTS)}, especially in "
                 f"{r.choice(v.PATIENTS).lower()}.",
    lambda r, c: f"It is common to feel worried before {r.choice(v.TESTS)}, and {r.choice(v.PEOPLE)} will "
                 f"explain each step.",
    lambda r, c: f"Keep a note of when {r.choice(v.SYMPTOMS)} happens and bring it to {r.choice(v.PEOPLE)}.",
    lambda r, c: f"{r.choice(v.PATIENTS)} find that {r.choice(v.TREATMENTS)} fits into daily life "
                 f"{r.choice(v.ADVERBS)}.",
    lambda r, c: f"There is no single test for {c}, so doctors put together your symptoms and the results of "
                 f"{r.choice(v.TESTS)}.",
    lambda r, c: f"Your {r.choice(v.BODY_PARTS)} and {r.choice(v.BODY_PARTS)} can both play a part, which is why "
                 f"{r.choice(v.PEOPLE)} may ask about {r.choice(v.SYMPTOMS)}.",
    lambda r, c: f"Guidance recommends {r.choice(v.TREATMENTS)} for most people with {c}, together with "
                 f"{r.choice(v.TREATMENTS)}.",
    lambda r, c: f"Do not stop {r.choice(v.TREATMENTS)} suddenly without talking to {r.choice(v.PEOPLE)} first.",
    lambda r, c: f"The risk of {c} is higher in {r.choice(v.PATIENTS).lower()}, but it can happen to anyone.",
    lambda r, c: f"Ask {r.choice(v.PEOPLE)} what the result of {r.choice(v.TESTS)} means for you.",
)

QUESTIONS: tuple[Callable[[random.Random, str], str], ...] = (
    lambda r, c: f"Can {r.choice(v.TREATMENTS)} help with {r.choice(v.SYMPTOMS)}?",
    lambda r, c: f"How long does {r.choice(v.TESTS)} take?",
    lambda r, c: f"Is {c} serious?",
    lambda r, c: f"Should I tell {r.choice(v.PEOPLE)} about {r.choice(v.SYMPTOMS)}?",
    lambda r, c: f"Will I need {r.choice(v.TESTS)}?",
    lambda r, c: f"Can I still work with {c}?",
    lambda r, c: f"Does {c} run in families?",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _wrap(text: str, width: int = 110) -> str:
    """Hard-wrap a paragraph as authors do, so the Markdown has realistic line structure."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def _slug(title: str) -> str:
    return _NOT_SLUG.sub("-", title.lower().replace("'", "")).strip("-")


def _yaml(text: str) -> str:
    """A YAML scalar: plain when that is unambiguous (as people write it), else a JSON-style quoted string."""
    return text if _PLAIN.match(text) and ": " not in text and " #" not in text else json.dumps(text)


def _flow(items: Sequence[str]) -> str:
    return "[" + ", ".join(_yaml(item) for item in items) + "]"


# -- planning ---------------------------------------------------------------------------------------------

def reference_keys(articles: int) -> list[str]:
    """One source per four articles (plus a base set), never more than the articles can all cite."""
    count = max(1, min(3 * articles, 40 + articles // 4))
    return [f"{_slug(v.SURNAMES[i % len(v.SURNAMES)])}{reference_year(i)}s{i}" for i in range(count)]


def reference_year(number: int) -> int:
    return 1995 + number % 31


def plan_articles(articles: int, seed: int) -> list[Plan]:
    """Titles, topics, sources and related pages for every article, from one random stream."""
    rng = random.Random(f"carepages-bench:{seed}:plan")
    combos = len(v.CONDITIONS) * len(v.TITLE_FRAMES) * len(v.QUALIFIERS)
    picks = rng.sample(range(combos), min(articles, combos))
    picks += list(range(combos, articles))  # past every combination, titles get a part number
    keys = reference_keys(articles)
    drafts = []
    for number, pick in enumerate(picks):
        condition, topic = v.CONDITIONS[pick % len(v.CONDITIONS)]
        frame = v.TITLE_FRAMES[pick // len(v.CONDITIONS) % len(v.TITLE_FRAMES)]
        qualifier = v.QUALIFIERS[pick // (len(v.CONDITIONS) * len(v.TITLE_FRAMES)) % len(v.QUALIFIERS)]
        title = _cap(frame.format(c=condition))
        if qualifier:
            title = title[:-1] + f" {qualifier}?" if title.endswith("?") else f"{title} {qualifier}"
        if pick >= combos:
            title += f" (part {pick // combos + 1})"
        extra = rng.sample([name for name, _ in v.TOPICS if name != topic], rng.randint(0, 2))
        own = [keys[(number * 3 + j) % len(keys)] for j in range(3)]
        cited = list(dict.fromkeys(own + rng.sample(keys, min(len(keys), rng.randint(3, 7)))))
        drafts.append((number, _slug(title), title, condition, (topic, *extra), tuple(cited)))
    by_topic: dict[str, list[str]] = {}
    for _, slug, _, _, topics, _ in drafts:
        by_topic.setdefault(topics[0], []).append(slug)
    all_slugs = [d[1] for d in drafts]
    plans = []
    for number, slug, title, condition, topics, cited in drafts:
        pool = [s for s in by_topic[topics[0]] if s != slug] or [s for s in all_slugs if s != slug] or [slug]
        related = tuple(rng.sample(pool, min(3, len(pool))))
        plans.append(Plan(number, slug, title, condition, topics, cited, related))
    return plans


# -- writing ----------------------------------------------------------------------------------------------

def article_text(plan: Plan, seed: int, titles: dict[str, str], words: int, keywords: bool) -> str:
    """One article: front matter, then a body of about `words` words."""
    writer = Writer(plan, random.Random(f"carepages-bench:{seed}:article:{plan.number}"), titles)
    key_points = [writer.sentence(0.5) for _ in range(writer.rng.randint(3, 5))]
    body = article_body(writer, words)
    faq = [(q(writer.rng, plan.condition), f"{writer.sentence(0.8)} {writer.sentence(0.3)}"
            + (f" Read more in {writer.link()}." if writer.rng.random() < 0.5 else ""))
           for q in writer.rng.sample(QUESTIONS, writer.rng.randint(2, 4))]
    if writer.pending:  # every listed source must be cited somewhere, or the engine warns
        body += "\nThis page also draws on [" + "; ".join(f"@{key}" for key in writer.pending) + "].\n"
    return front_matter(plan, writer.rng, key_points, faq, keywords) + "\n" + body


def article_body(writer: Writer, words: int) -> str:
    """Intro, five sections with a list, a table, a numbered list and a callout, filled up to `words`."""
    rng = writer.rng
    intro = writer.paragraph((3, 4))
    headings = rng.sample(v.SECTION_HEADINGS, 5)
    sections: list[list[str]] = [[f"## {heading}", writer.paragraph()] for heading in headings]
    sections[0].append(writer.bullet_list())
    sections[1].append(writer.table())
    sections[2] += [f"### {rng.choice(v.SUBHEADINGS)}", writer.numbered_list()]
    if rng.random() < 0.5:
        sections[3].append(writer.callout())
    urgent = [f"## {URGENT_HEADING}", "::: urgent Get help straight away\n"
              + _wrap(f"Call your local emergency number if you have {rng.choice(v.SYMPTOMS)} that is sudden "
                      f"or severe, or {rng.choice(v.SYMPTOMS)} with {rng.choice(v.SYMPTOMS)}.") + "\n:::"]
    nexts = list(dict.fromkeys(writer.plan.related))
    closing = ["## Where to go next", "\n".join(f"- [{writer.titles[s]}]({s}.md)" for s in nexts)
               + f"\n- What to do in an emergency: {writer.link(anchor=True)}"]
    total = sum(len(block.split()) for block in [intro, *urgent, *closing, *(b for s in sections for b in s)])
    while total < words:
        extra = writer.paragraph()
        rng.choice(sections).append(extra)
        total += len(extra.split())
    blocks = [intro, *(b for s in sections for b in s), *urgent, *closing]
    return "\n\n".join(blocks) + "\n"


def front_matter(plan: Plan, rng: random.Random, key_points: list[str], faq: list[tuple[str, str]],
                 keywords: bool) -> str:
    date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2000))
    updated = date + dt.timedelta(days=rng.randrange(600))
    lines = [
        "---",
        f"title: {_yaml(plan.title)}",
        f"summary: {_yaml(_cap(rng.choice(SENTENCES)(rng, plan.condition)))}",
        f"date: {date.isoformat()}",
        f"updated: {updated.isoformat()}",
        f"topics: {_flow(plan.topics)}",
    ]
    if keywords:
        words = [plan.condition, rng.choice(v.SYMPTOMS), rng.choice(v.TESTS).split(" ", 1)[1], *plan.topics]
        lines.append(f"keywords: {_flow(list(dict.fromkeys(words)))}")
    lines += [
        f"audience: {_yaml(rng.choice(v.AUDIENCES))}",
        f"authors: {_flow(rng.sample(v.TEAMS, rng.randint(1, 2)))}",
        f"reviewed_by: {_yaml(rng.choice(v.REVIEWERS))}",
        f"last_reviewed: {updated.isoformat()}",
    ]
    if rng.random() < 0.7:  # the rest take the default interval from site.toml
        lines.append(f"next_review: {(updated + dt.timedelta(days=365)).isoformat()}")
    lines.append(f"references: {_flow(plan.references)}")
    lines.append("key_points:")
    lines += [f"  - {_yaml(point)}" for point in key_points]
    lines.append("faq:")
    for question, answer in faq:
        lines += [f"  - question: {_yaml(question)}", f"    answer: {_yaml(answer)}"]
    lines.append(f"related: {_flow(plan.related)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def references_yaml(keys: Sequence[str], seed: int, start: int = 0) -> str:
    """CSL YAML for every key: distinct DOIs and PMIDs (duplicates are errors), realistic field mix."""
    rng = random.Random(f"carepages-bench:{seed}:references" + (f":{start}" if start else ""))
    out = ["# Generated by bench/corpus.py: invented sources with the shape of real CSL entries.\n"]
    for n, key in enumerate(keys, start):
        journal, short = rng.choice(v.JOURNALS)
        authors = rng.sample(v.SURNAMES, rng.randint(1, 8))
        year = reference_year(n)
        first = rng.randint(1, 900)
        title = (f"{_cap(rng.choice(v.TREATMENTS))} for {rng.choice(v.CONDITIONS)[0]} in "
                 f"{rng.choice(v.PATIENTS).lower()}: {rng.choice(v.STUDY_KINDS)}")
        lines = [f"{key}:", "  type: article-journal", "  author:"]
        lines += [f"  - {{family: {json.dumps(name)}, given: {chr(65 + rng.randrange(26))}}}" for name in authors]
        if rng.random() < 0.15:
            lines.append("  et-al: true")
        lines += [
            f"  title: {json.dumps(title)}",
            f"  container-title: {json.dumps(journal)}",
            f"  container-title-short: {json.dumps(short)}",
            f"  issued: {year}",
            f"  volume: {rng.randint(1, 400)}",
            f"  issue: {rng.randint(1, 12)}",
            f"  page: {first}-{first + rng.randint(4, 14)}",
            f"  DOI: 10.{5000 + n % 4000}/bench.{year}.{n}",
            f"  PMID: '{30000000 + n}'",
        ]
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def bibliography_names(count: int) -> list[str]:
    files = max(1, -(-count // SOURCES_PER_FILE))
    return ["references.yaml", *(f"references-{n}.yaml" for n in range(2, files + 1))]


def site_toml(articles: int, bibliography: Sequence[str]) -> str:
    bib_line = "" if len(bibliography) == 1 else f"bibliography = {json.dumps(list(bibliography))}\n"
    topics = "\n".join(f'[[topics]]\nname = {json.dumps(name)}\ndescription = {json.dumps(desc)}\n'
                       for name, desc in v.TOPICS)
    return f'''# Generated by bench/corpus.py: a benchmark site of {articles} articles.

title = "Example Health Library"
tagline = "Plain-language information about common health conditions"
base_url = "https://example.org/health/"
language = "en-GB"
review_interval_months = 12
{bib_line}
intro = """
These pages explain common conditions, tests and treatments in plain words. Start with a topic below.
"""

disclaimer = """
**This is generated benchmark content.** It is not medical advice.
"""

emergency = """
**If you have chest pain, sudden weakness or trouble breathing, call your local emergency number now.**
"""

[organisation]
name = "Example Health Library"
url = "https://example.org/"
email = "info@example.org"
contact = """
Questions about your own care? Contact your GP practice.
"""

[[nav]]
title = "Home"
url = "/"

[[nav]]
title = "Topics"
url = "/topics/"

[[nav]]
title = "Questions"
url = "/faq/"

[[nav]]
title = "Sources"
url = "/sources/"

[[footer_links]]
title = "About this information"
url = "about.md"

{topics}'''


ABOUT = """---
title: About this information
summary: Who writes these pages and how they are kept up to date.
layout: page
date: 2024-01-01
updated: 2024-01-01
---

These pages are written by the clinical content team and reviewed by clinicians. Each article lists its
sources and the date it was last reviewed.
"""

FAQ = """---
title: Frequently asked questions
summary: Short answers to common questions, with links to the pages that explain more.
layout: faq
date: 2024-01-01
updated: 2024-01-01
reviewed_by: Clinical review panel
last_reviewed: 2024-01-01
faq:
  - question: How often are these pages reviewed?
    answer: At least once a year. Each page shows when it was last reviewed.
  - question: Can I use these pages instead of seeing a doctor?
    answer: No. They explain common conditions, but your own care team knows you best.
---

Answers to questions people often ask. Every article also has its own questions at the end.
"""


def prepare_dir(out_dir: Path) -> None:
    """Empty `out_dir` if it is a corpus written before; refuse any other non-empty folder."""
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / MARKER).is_file():
            raise SystemExit(f"{out_dir} is not empty and is not a generated corpus: refusing to overwrite it")
        shutil.rmtree(out_dir)
    (out_dir / "content").mkdir(parents=True)


def generate(out_dir: Path, articles: int = 2000, seed: int = 1, *, words: int = 1100,
             keywords: bool = False) -> CorpusInfo:
    """Write the site (site.toml, content/*.md, content/references.yaml) into `out_dir`."""
    if articles < 1:
        raise ValueError("a corpus needs at least one article")
    out_dir = Path(out_dir)
    prepare_dir(out_dir)
    plans = plan_articles(articles, seed)
    titles = {p.slug: p.title for p in plans}
    if len(titles) != len(plans):
        raise AssertionError("generated titles collide")  # the planner guarantees distinct titles
    content = out_dir / "content"
    body_words = total_bytes = 0
    for plan in plans:
        text = article_text(plan, seed, titles, words, keywords)
        body_words += len(text.split("\n---\n", 1)[1].split())
        total_bytes += _write(content / f"{plan.slug}.md", text)
    keys = reference_keys(articles)
    names = bibliography_names(len(keys))
    for n, name in enumerate(names):
        chunk = keys[n * SOURCES_PER_FILE:(n + 1) * SOURCES_PER_FILE]
        _write(content / name, references_yaml(chunk, seed, n * SOURCES_PER_FILE))
    total_bytes += _write(content / "about.md", ABOUT) + _write(content / "faq.md", FAQ)
    _write(out_dir / "site.toml", site_toml(articles, names))
    _write(out_dir / MARKER, f"articles={articles} seed={seed} words={words} keywords={keywords}\n")
    return CorpusInfo(articles, seed, len(keys), body_words, total_bytes, keywords)


def _write(path: Path, text: str) -> int:
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write the site into (replaced if it is a corpus)")
    parser.add_argument("--articles", type=int, default=2000, help="number of articles (default: 2000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--words", type=int, default=1100, help="body words per article (default: 1100)")
    parser.add_argument("--keywords", action="store_true", help="add a keywords: list to each article")
    args = parser.parse_args(argv)
    info = generate(args.out_dir, args.articles, args.seed, words=args.words, keywords=args.keywords)
    print(f"Wrote {info.articles} articles ({info.body_words / info.articles:.0f} body words each on average, "
          f"{info.markdown_bytes / 1e6:.1f} MB of Markdown) and {info.references} sources into {args.out_dir}")


if __name__ == "__main__":
    main()
