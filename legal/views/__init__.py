"""HTML views of the legal analysis, one module per page family.

``claims`` (list, claim page and the claim's writes), ``assessments``,
``frameworks`` (page, export, owners' import and edits) and ``analysis``
(matrix, timeline, reports), ``incidents`` (register, incident page,
grades, tallies). Each view is a ``project_view`` that parses
its POST with a form of ``legal.forms``, calls one service or selector and
renders; ``legal.urls`` routes to the names re-exported here.
"""

from legal.views.analysis import (
    matrix_drilldown_view,
    matrix_view,
    report_html_view,
    report_pdf_view,
    reports_view,
    timeline_view,
)
from legal.views.assessments import assessment_create_view, assessment_edit_view
from legal.views.claims import (
    claim_delete_view,
    claim_detail_view,
    claim_edit_view,
    claim_link_view,
    claim_list_view,
    claim_translate_view,
    claim_unlink_view,
    quantity_add_view,
    quantity_remove_view,
)
from legal.views.frameworks import (
    framework_edit_view,
    framework_export_view,
    framework_import_view,
    framework_view,
)
from legal.views.incidents import (
    incident_claim_view,
    incident_delete_view,
    incident_detail_view,
    incident_edit_view,
    incident_export_view,
    incident_grade_view,
    incident_list_view,
    incident_proposals_view,
    tallies_view,
)

__all__ = [
    "assessment_create_view",
    "assessment_edit_view",
    "claim_delete_view",
    "claim_detail_view",
    "claim_edit_view",
    "claim_link_view",
    "claim_list_view",
    "claim_translate_view",
    "claim_unlink_view",
    "framework_edit_view",
    "framework_export_view",
    "framework_import_view",
    "framework_view",
    "incident_claim_view",
    "incident_delete_view",
    "incident_detail_view",
    "incident_edit_view",
    "incident_export_view",
    "incident_grade_view",
    "incident_list_view",
    "incident_proposals_view",
    "matrix_drilldown_view",
    "matrix_view",
    "quantity_add_view",
    "quantity_remove_view",
    "report_html_view",
    "report_pdf_view",
    "reports_view",
    "tallies_view",
    "timeline_view",
]
