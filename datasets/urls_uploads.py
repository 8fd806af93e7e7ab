"""Upload and reference-data pages (namespace ``datasets``)."""

urlpatterns: list = []
