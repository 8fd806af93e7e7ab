"""Upload and reference-data pages (namespace ``datasets``)."""

from django.urls import path

from datasets.views import reference, uploads

urlpatterns = [
    path("", uploads.upload_list, name="uploads"),
    path("uploads/new/", uploads.upload_new, name="upload_new"),
    path("uploads/<int:pk>/", uploads.upload_detail, name="upload_detail"),
    path("uploads/<int:pk>/status/", uploads.upload_status, name="upload_status"),
    path("uploads/<int:pk>/errors.csv", uploads.upload_errors, name="upload_errors"),
    path("uploads/<int:pk>/file/", uploads.upload_file, name="upload_file"),
    path("uploads/<int:pk>/rollback/", uploads.upload_rollback_view, name="upload_rollback"),
    path("uploads/<int:pk>/retry/", uploads.upload_retry_view, name="upload_retry"),
    path("templates/<slug:name>.csv", uploads.upload_template, name="upload_template"),
    path("reference/", reference.reference_index, name="reference"),
]
