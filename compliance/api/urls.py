"""REST API URLs, mounted at /api/. The schema (/api/schema/) and Swagger UI (/api/docs/) paths are stable."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import assignments, auth, common, dashboard, documents, evidence, exports, links, notifications, reports, scores

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's start-up script is a separate file (the split view), so the page needs no inline
    # script; its template still carries a small <style> block, allowed on this page only.
    path(
        "docs/",
        csp_update({"style-src": [SELF, UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("auth/token/", auth.TokenApi.as_view(), name="api-token"),
    path("departments/", documents.DepartmentListApi.as_view(), name="api-departments"),
    path("documents/", documents.DocumentListApi.as_view(), name="api-documents"),
    path("documents/import/", documents.DocumentImportApi.as_view(), name="api-document-import"),
    path("documents/<int:pk>/", documents.DocumentDetailApi.as_view(), name="api-document"),
    path("documents/<int:pk>/tree/", documents.DocumentTreeApi.as_view(), name="api-document-tree"),
    path("import-jobs/<int:pk>/", documents.ImportJobDetailApi.as_view(), name="api-import-job"),
    path("import-jobs/<int:pk>/confirm/", documents.ImportJobConfirmApi.as_view(), name="api-import-job-confirm"),
    path("import-jobs/<int:pk>/retry/", documents.ImportJobRetryApi.as_view(), name="api-import-job-retry"),
    path("requirements/", documents.RequirementListApi.as_view(), name="api-requirements"),
    path("requirements/<int:pk>/", documents.RequirementDetailApi.as_view(), name="api-requirement"),
    path("assignments/", assignments.AssignmentListApi.as_view(), name="api-assignments"),
    path("assignments/<int:pk>/", assignments.AssignmentDetailApi.as_view(), name="api-assignment"),
    path("assignments/<int:pk>/start/", assignments.AssignmentStartApi.as_view(), name="api-assignment-start"),
    path("assignments/<int:pk>/progress/", assignments.AssignmentProgressApi.as_view(), name="api-assignment-progress"),
    path("assignments/<int:pk>/submit/", assignments.AssignmentSubmitApi.as_view(), name="api-assignment-submit"),
    path("assignments/<int:pk>/approve/", assignments.AssignmentApproveApi.as_view(), name="api-assignment-approve"),
    path("assignments/<int:pk>/return/", assignments.AssignmentReturnApi.as_view(), name="api-assignment-return"),
    path("assignments/<int:pk>/reassign/", assignments.AssignmentReassignApi.as_view(), name="api-assignment-reassign"),
    path(
        "assignments/<int:pk>/extension-requests/",
        assignments.AssignmentExtensionRequestsApi.as_view(),
        name="api-assignment-extension-requests",
    ),
    path("assignments/<int:pk>/evidence/", evidence.AssignmentEvidenceApi.as_view(), name="api-assignment-evidence"),
    path("assignments/<int:pk>/comments/", evidence.AssignmentCommentsApi.as_view(), name="api-assignment-comments"),
    path("extension-requests/", assignments.ExtensionRequestListApi.as_view(), name="api-extension-requests"),
    path("extension-requests/<int:pk>/", assignments.ExtensionRequestDetailApi.as_view(), name="api-extension-request"),
    path(
        "extension-requests/<int:pk>/decide/",
        assignments.ExtensionRequestDecideApi.as_view(),
        name="api-extension-request-decide",
    ),
    path("evidence/<int:pk>/", evidence.EvidenceDetailApi.as_view(), name="api-evidence"),
    path("evidence/<int:pk>/download/", evidence.EvidenceDownloadApi.as_view(), name="api-evidence-download"),
    path("notifications/", notifications.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", notifications.NotificationReadApi.as_view(), name="api-notification-read"),
    path("dashboard/", dashboard.DashboardApi.as_view(), name="api-dashboard"),
    path("export-jobs/", exports.ExportJobCreateApi.as_view(), name="api-export-jobs"),
    path("export-jobs/<int:pk>/", exports.ExportJobDetailApi.as_view(), name="api-export-job"),
    path("export-jobs/<int:pk>/download/", exports.ExportJobDownloadApi.as_view(), name="api-export-job-download"),
    path("export-jobs/<int:pk>/retry/", exports.ExportJobRetryApi.as_view(), name="api-export-job-retry"),
    path("report-rounds/", reports.ReportRoundListApi.as_view(), name="api-report-rounds"),
    path("report-rounds/<int:pk>/", reports.ReportRoundDetailApi.as_view(), name="api-report-round"),
    path("report-rounds/<int:pk>/close/", reports.ReportRoundCloseApi.as_view(), name="api-report-round-close"),
    path("report-rounds/<int:pk>/export/", reports.ReportRoundExportApi.as_view(), name="api-report-round-export"),
    path("report-schedules/", reports.ReportScheduleListApi.as_view(), name="api-report-schedules"),
    path("reports/", reports.ProgressReportListApi.as_view(), name="api-reports"),
    path("reports/<int:pk>/", reports.ProgressReportDetailApi.as_view(), name="api-report"),
    path("reports/<int:pk>/submit/", reports.ProgressReportSubmitApi.as_view(), name="api-report-submit"),
    path("scores/", scores.ScoresApi.as_view(), name="api-scores"),
    path("scoring-rule/", scores.ScoringRuleApi.as_view(), name="api-scoring-rule"),
    path("bulletin/", scores.BulletinApi.as_view(), name="api-bulletin"),
    path("links/", links.LinkListApi.as_view(), name="api-links"),
    path("links/propose/", links.LinkProposeApi.as_view(), name="api-links-propose"),
    path("links/<int:pk>/decide/", links.LinkDecideApi.as_view(), name="api-link-decide"),
    path("documents/<int:pk>/coverage/", links.DocumentCoverageApi.as_view(), name="api-document-coverage"),
    # Last: any other /api/ path is a 404 in the API's error format, not an HTML page.
    re_path(r"^", common.api_not_found, name="api-not-found"),
]
