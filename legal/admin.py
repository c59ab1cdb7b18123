"""Admin pages of legal."""

from __future__ import annotations

from django.contrib import admin

from legal.models import (
    Assessment,
    Claim,
    ClaimMention,
    ClaimQuantity,
    Criterion,
    Element,
    Framework,
)


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "project", "version"]
    inlines = [CriterionInline]


class ElementInline(admin.TabularInline):
    model = Element
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "instrument", "article", "framework"]
    list_filter = ["framework"]
    inlines = [ElementInline]


class ClaimMentionInline(admin.TabularInline):
    model = ClaimMention
    extra = 0
    raw_id_fields = ["annotation"]


class ClaimQuantityInline(admin.TabularInline):
    model = ClaimQuantity
    extra = 0
    raw_id_fields = ["annotation"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "claimant", "claimant_type", "evidence_status"]
    list_filter = ["project", "claimant_type", "evidence_status", "kind"]
    inlines = [ClaimMentionInline, ClaimQuantityInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["claim", "element", "criterion", "finding", "author"]
    list_filter = ["finding"]
    raw_id_fields = ["claim", "sources"]
