from django.contrib import admin

from annotations.models import Annotation, Comment, Suggestion, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "project", "hotkey", "colour", "is_active"]
    list_filter = ["project", "is_active"]
    search_fields = ["key", "name"]


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


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["annotation", "author", "created_at"]
    raw_id_fields = ["annotation"]
