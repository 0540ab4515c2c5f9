"""Every interface string is translated in fr, nl and ro: no empty, no fuzzy entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "guichet" / "locale"


@pytest.mark.parametrize("language", ["fr", "nl", "ro"])
def test_catalogue_is_complete(language: str) -> None:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 100
    untranslated = [m.id for m in messages if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [], f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["fr", "nl", "ro"])
def test_catalogue_is_compiled_and_used(language: str) -> None:
    from django.utils import translation

    assert (LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").exists(), "run make compile-messages"
    with translation.override(language):
        assert translation.gettext("Sign in") != "Sign in"
