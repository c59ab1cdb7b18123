from django.contrib import admin

from corpus.models import Assignment, Document, DocumentAnalysis, Job, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "project", "country"]
    list_filter = ["kind", "project"]
    search_fields = ["name"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "kind", "published_at", "analysis_status"]
    list_filter = ["project", "kind", "analysis_status"]
    search_fields = ["title", "url", "sha256"]
    raw_id_fields = ["previous_version", "near_duplicate_of", "source"]
    readonly_fields = [
        "text",
        "text_sha256",
        "sha256",
        "original",
        "size",
        "media_type",
        "captured_at",
        "captured_by",
        "extractor",
        "extractor_version",
        "warc",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text", "metadata")


@admin.register(DocumentAnalysis)
class DocumentAnalysisAdmin(admin.ModelAdmin):
    list_display = ["document", "pipeline", "pipeline_version", "created_at"]
    raw_id_fields = ["document"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "kind", "status", "done", "total"]
    list_filter = ["kind", "status"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["document", "annotator", "status", "assigned_at"]
    list_filter = ["status"]
    raw_id_fields = ["document"]
