"""REST API URLs, mounted at /api/. The schema (/api/schema/) and Swagger UI (/api/docs/) paths are stable."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", views.TokenApi.as_view(), name="api-token"),
    path("departments/", views.DepartmentListApi.as_view(), name="api-departments"),
    path("documents/", views.DocumentListApi.as_view(), name="api-documents"),
    path("documents/import/", views.DocumentImportApi.as_view(), name="api-document-import"),
    path("documents/<int:pk>/", views.DocumentDetailApi.as_view(), name="api-document"),
    path("documents/<int:pk>/tree/", views.DocumentTreeApi.as_view(), name="api-document-tree"),
    path("import-jobs/<int:pk>/", views.ImportJobDetailApi.as_view(), name="api-import-job"),
    path("import-jobs/<int:pk>/confirm/", views.ImportJobConfirmApi.as_view(), name="api-import-job-confirm"),
    path("requirements/", views.RequirementListApi.as_view(), name="api-requirements"),
    path("requirements/<int:pk>/", views.RequirementDetailApi.as_view(), name="api-requirement"),
    path("assignments/", views.AssignmentListApi.as_view(), name="api-assignments"),
    path("assignments/<int:pk>/", views.AssignmentDetailApi.as_view(), name="api-assignment"),
    path("assignments/<int:pk>/start/", views.AssignmentStartApi.as_view(), name="api-assignment-start"),
    path("assignments/<int:pk>/progress/", views.AssignmentProgressApi.as_view(), name="api-assignment-progress"),
    path("assignments/<int:pk>/submit/", views.AssignmentSubmitApi.as_view(), name="api-assignment-submit"),
    path("assignments/<int:pk>/approve/", views.AssignmentApproveApi.as_view(), name="api-assignment-approve"),
    path("assignments/<int:pk>/return/", views.AssignmentReturnApi.as_view(), name="api-assignment-return"),
    path("assignments/<int:pk>/reassign/", views.AssignmentReassignApi.as_view(), name="api-assignment-reassign"),
    path(
        "assignments/<int:pk>/extension-requests/",
        views.AssignmentExtensionRequestsApi.as_view(),
        name="api-assignment-extension-requests",
    ),
    path("assignments/<int:pk>/evidence/", views.AssignmentEvidenceApi.as_view(), name="api-assignment-evidence"),
    path("assignments/<int:pk>/comments/", views.AssignmentCommentsApi.as_view(), name="api-assignment-comments"),
    path("extension-requests/", views.ExtensionRequestListApi.as_view(), name="api-extension-requests"),
    path("extension-requests/<int:pk>/", views.ExtensionRequestDetailApi.as_view(), name="api-extension-request"),
    path(
        "extension-requests/<int:pk>/decide/",
        views.ExtensionRequestDecideApi.as_view(),
        name="api-extension-request-decide",
    ),
    path("evidence/<int:pk>/", views.EvidenceDetailApi.as_view(), name="api-evidence"),
    path("evidence/<int:pk>/download/", views.EvidenceDownloadApi.as_view(), name="api-evidence-download"),
    path("notifications/", views.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", views.NotificationReadApi.as_view(), name="api-notification-read"),
    path("dashboard/", views.DashboardApi.as_view(), name="api-dashboard"),
    path("export-jobs/", views.ExportJobCreateApi.as_view(), name="api-export-jobs"),
    path("export-jobs/<int:pk>/", views.ExportJobDetailApi.as_view(), name="api-export-job"),
    path("export-jobs/<int:pk>/download/", views.ExportJobDownloadApi.as_view(), name="api-export-job-download"),
    # Last: any other /api/ path is a 404 in the API's error format, not an HTML page.
    re_path(r"^", views.api_not_found, name="api-not-found"),
]
