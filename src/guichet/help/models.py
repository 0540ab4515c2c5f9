"""Help-centre content and what readers do with it (feedback, searches, deflections)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    GENERAL = "general", _("Account and access")
    CONTRACTS = "contracts", _("Contracts")
    ORDERS = "orders", _("Orders and delivery")
    INVOICES = "invoices", _("Invoices and payments")
    INVENTORY = "inventory", _("Inventory and maintenance")
    BUYTECH = "buytech", _("Buy Tech program")


def category_label(category: str, language: str) -> str:
    """The category's name as readers of `language` see it (indexed with its articles)."""
    with translation.override(language):
        return str(Category(category).label) if category in Category.values else ""


class Article(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Stable: used in links and the API."))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    countries = models.JSONField(_("countries"), default=list, help_text=_('Country codes, e.g. ["BE", "CA"].'))
    position = models.PositiveIntegerField(_("position"), default=0)
    published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["category", "position", "slug"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.slug

    def applies_to(self, country: str) -> bool:
        return country in self.countries


class ArticleTranslation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body (Markdown)"), help_text=_("Placeholders such as {{ phone }} are filled per country.")
    )
    keywords = models.CharField(_("extra keywords"), max_length=500, blank=True)
    questions = models.TextField(
        _("customer questions"),
        blank=True,
        help_text=_("One per line: how customers ask what this article answers. Searched, never shown."),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="one_translation_per_language")]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")

    def __str__(self) -> str:
        return f"{self.article.slug} [{self.language}]"


class Feedback(models.Model):
    """ "Was this helpful?" — one answer per reader session and article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    language = models.CharField(max_length=8)
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=1000)
    session_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.article.slug}: {'yes' if self.helpful else 'no'}"


class SearchLog(models.Model):
    query = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200, db_index=True)
    language = models.CharField(max_length=8)
    country = models.CharField(max_length=2)
    results = models.PositiveIntegerField()
    source = models.CharField(max_length=16, default="page")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("searches")

    def __str__(self) -> str:
        return self.query


class SuggestionOpen(models.Model):
    """A customer about to contact us opened a suggested article.

    It counts as a deflection unless the same reader submits a request
    afterwards (`request_submitted_at` set by the requests context).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestion_opens")
    query = models.CharField(max_length=500, blank=True)
    session_key = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)
    request_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("opened suggestion")
        verbose_name_plural = _("opened suggestions")

    def __str__(self) -> str:
        return f"{self.article.slug} @ {self.opened_at:%Y-%m-%d}"


class SearchIndexSnapshot(models.Model):
    """The built search index, stored once for every web and worker process (`guichet build_search_index`).

    In the database rather than a file under var/: every process on every host reads the same
    copy, it is consistent with the articles it was built from (same backups, same restores),
    and no shared or writable disk is needed. One row per `name`; a rebuild replaces it.
    """

    name = models.CharField(max_length=32, unique=True, default="help")
    version = models.CharField(max_length=64)  # digest of the indexed content, index format and embedding model
    stamp = models.CharField(max_length=128)  # counts and latest update times of the articles it was built from
    embedding_model = models.CharField(max_length=64, blank=True)  # "" when built without embeddings
    documents = models.PositiveIntegerField(default=0)
    payload = models.BinaryField()
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("search index")
        verbose_name_plural = _("search indexes")

    def __str__(self) -> str:
        return f"{self.name} {self.version[:12]}"
