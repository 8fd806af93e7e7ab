"""Upload and reference-data pages (namespace ``datasets``)."""

from django.urls import path

from datasets.views import reference, uploads
from datasets.views import reference_records as records

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
    path("reference/jobs/<int:pk>/", reference.reference_job, name="reference_job"),
    path("reference/jobs/<int:pk>/status/", reference.reference_job_status,
         name="reference_job_status"),
    path("reference/jobs/<int:pk>/retry/", reference.reference_job_retry_view,
         name="reference_job_retry"),
    path("reference/<slug:kind>/", records.reference_list, name="reference_list"),
    path("reference/<slug:kind>/new/", records.reference_record, name="reference_new"),
    path("reference/<slug:kind>/history/", records.reference_history, name="reference_history"),
    path("reference/<slug:kind>/<int:pk>/", records.reference_record, name="reference_record"),
    path("reference/<slug:kind>/<int:pk>/delete/", records.reference_delete_view,
         name="reference_delete"),
]
