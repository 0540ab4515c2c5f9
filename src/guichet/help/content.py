"""The help content the product ships with: topics.toml + <lang>/<slug>.md files."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LANGUAGES = ("en", "fr", "ro", "nl")


@dataclass(frozen=True)
class TranslationText:
    language: str
    title: str
    keywords: str
    body: str
    questions: str = ""  # one per line: how customers ask what the article answers


@dataclass(frozen=True)
class Topic:
    slug: str
    category: str
    countries: list[str]
    position: int
    translations: dict[str, TranslationText] = field(default_factory=dict)


def parse_markdown_file(language: str, text: str) -> TranslationText:
    """`# Title`, then `keywords: …`, then `questions: … | …` (optional), then the Markdown body."""
    lines = text.strip().splitlines()
    if not lines or not lines[0].startswith("# "):
        raise ValueError("an article file starts with '# Title'")
    title = lines[0][2:].strip()
    rest = lines[1:]
    while rest and not rest[0].strip():
        rest = rest[1:]
    keywords = ""
    if rest and rest[0].lower().startswith("keywords:"):
        keywords = rest[0].split(":", 1)[1].strip()
        rest = rest[1:]
    questions = ""
    if rest and rest[0].lower().startswith("questions:"):
        asked = rest[0].split(":", 1)[1].split("|")
        questions = "\n".join(q.strip() for q in asked if q.strip())
        rest = rest[1:]
    body = "\n".join(rest).strip()
    return TranslationText(language=language, title=title, keywords=keywords, body=body, questions=questions)


def bundled_topics(content_dir: Path = CONTENT_DIR) -> list[Topic]:
    with (content_dir / "topics.toml").open("rb") as handle:
        entries = tomllib.load(handle)["topic"]
    topics = []
    for position, entry in enumerate(entries):
        translations = {}
        for language in LANGUAGES:
            path = content_dir / language / f"{entry['slug']}.md"
            if path.exists():
                translations[language] = parse_markdown_file(language, path.read_text(encoding="utf-8"))
        topics.append(
            Topic(
                slug=entry["slug"],
                category=entry["category"],
                countries=list(entry["countries"]),
                position=position,
                translations=translations,
            )
        )
    return topics
