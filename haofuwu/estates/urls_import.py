"""URLs of spreadsheet import and export (included by ``estates/urls.py``)."""

from django.urls import path

from haofuwu.estates import views_import

urlpatterns: list = [
    path("import/", views_import.import_page, name="import"),
    path("import/history/", views_import.import_history, name="import_history"),
    path("import/runs/<int:run_id>/", views_import.import_run_detail, name="import_run"),
    path("import/runs/<int:run_id>/errors.xlsx", views_import.import_run_errors, name="import_run_errors"),
    path("import/template/<slug:kind>.xlsx", views_import.import_template, name="import_template"),
    path("export/", views_import.export_page, name="export_page"),
    path("export/<slug:kind>.<slug:fmt>", views_import.export_file, name="export"),
]
