"""URLs of spreadsheet import and export (included by ``estates/urls.py``)."""

urlpatterns: list = []
