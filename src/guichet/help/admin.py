"""Administrators edit articles here; every edit is audited and the search index follows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Article, ArticleTranslation, Feedback
from .rendering import render_body


class TranslationInline(admin.StackedInline):
    model = ArticleTranslation
    extra = 0
    fields = ("language", "title", "keywords", "questions", "body")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("slug", "category", "countries", "published", "updated_at")
    list_filter = ("category", "published")
    search_fields = ("slug", "translations__title")
    inlines = [TranslationInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for translation in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
            services.translation_saved(actor=request.user, translation=translation, request=request)


@admin.register(ArticleTranslation)
class ArticleTranslationAdmin(admin.ModelAdmin):
    list_display = ("article", "language", "title", "updated_at")
    list_filter = ("language", "article__category")
    search_fields = ("title", "body", "keywords")
    readonly_fields = ("preview",)
    fields = ("article", "language", "title", "keywords", "questions", "body", "preview")

    @admin.display(description=_("Preview (Belgium)"))
    def preview(self, obj: ArticleTranslation) -> SafeString:
        if not obj.pk:
            return format_html("{}", "—")
        sanitised = render_body(obj.body, country="BE", language=obj.language)  # nh3-cleaned HTML
        return format_html('<div class="help-preview">{}</div>', mark_safe(sanitised))  # noqa: S308

    def save_model(self, request: HttpRequest, obj: ArticleTranslation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.translation_saved(actor=request.user, translation=obj, request=request)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("article", "language", "helpful", "comment", "created_at")
    list_filter = ("helpful", "language")
