"""`new`: start an article with every front-matter field present, so an editor fills in rather than looks up.

The article starts as a draft (built only with --drafts) and with TODO markers the build warns about once
the draft flag is removed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .config.settings import load_config
from .errors import ContentError, Location, Problems
from .textutil import add_months, slugify


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted string


def article_template(title: str, topics: list[str], today: dt.date, review_months: int) -> str:
    next_review = add_months(today, review_months)
    topic_list = ", ".join(_quoted(t) for t in topics) if topics else _quoted("TODO: a topic from site.toml")
    return f"""---
title: {_quoted(title)}
summary: "TODO: one or two plain sentences: what this page explains, and for whom."
date: {today.isoformat()}
updated: {today.isoformat()}
topics: [{topic_list}]
audience: "TODO: who this is for, e.g. people who have just been told they may have MS"
authors: ["TODO: author or team"]
reviewed_by: "TODO: reviewer's name and role"
last_reviewed: {today.isoformat()}
next_review: {next_review.isoformat()}
references: []  # keys from content/references.yaml; cite them in the text as [@key]
key_points:
  - "TODO: the most important thing a reader should take away"
faq:
  - question: "TODO: a question patients ask about this?"
    answer: "TODO: a short, plain answer; cite a source for any fact, as in the text below."
related: []  # slugs of pages to show first under 'Related pages'
draft: true  # remove this line to publish
---

TODO: Start with two or three sentences that tell the reader what this page covers and why it matters
to them. Use short sentences and everyday words, and explain each medical term the first time you use it.

## TODO: First section

Write the first section here. Back every medical fact with a source from the bibliography: write
`[@key]` (without the backticks) at the end of the sentence, where `key` is the source's key in
content/references.yaml.

::: urgent When to get help straight away
TODO: if this topic has warning signs, say plainly what they are and who to call.
:::

## TODO: Second section

Link to another page by its file name: `[what is MS](what-is-ms.md)` (without the backticks).
"""


def new_article(site_dir: Path, title: str, topics: list[str] | None = None, slug: str | None = None,
                today: dt.date | None = None) -> Path:
    config = load_config(site_dir.resolve(), Problems())
    title = " ".join(title.split())
    if not title:
        raise ContentError("the title must not be empty", rule="new/title")
    name = slugify(slug or title)
    if not name:
        raise ContentError(f"cannot make a file name from '{slug or title}': give one with --slug",
                           rule="new/title")
    path = config.content_dir / f"{name}.md"
    text = article_template(title, list(topics or []), today or dt.date.today(), config.review_interval_months)
    config.content_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ContentError("this file already exists, and 'new' never overwrites a file: choose another title, "
                           "or another file name with --slug", Location(path), rule="new/exists") from None
    return path
