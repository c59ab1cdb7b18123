from django.contrib import admin

from annotations.models import Annotation, Comment, Suggestion, Tag
from audit.models import HistoryEntry
from corpus.models import Assignment
from legal.models import (
    Assessment,
    Claim,
    ClaimMention,
    ClaimQuantity,
    Criterion,
    Element,
    Framework,
)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "project", "hotkey", "colour", "is_active"]
    list_filter = ["project", "is_active"]
    search_fields = ["key", "name"]


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


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "document", "author", "status", "origin", "version"]
    list_filter = ["project", "status", "origin"]
    raw_id_fields = ["document"]
    readonly_fields = ["quote", "prefix", "suffix", "version"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "document", "rule", "confidence", "status"]
    list_filter = ["status", "tag__key"]
    raw_id_fields = ["document", "annotation"]


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


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["document", "annotator", "status", "assigned_at"]
    list_filter = ["status"]
    raw_id_fields = ["document"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["annotation", "author", "created_at"]
    raw_id_fields = ["annotation"]


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "project"]
    list_filter = ["action", "object_type"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
