"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from haofuwu.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("haofuwu.accounts.urls")),
    path("estates/", include("haofuwu.estates.urls")),
    path("work-orders/", include("haofuwu.workorders.urls")),
    path("feedback/", include("haofuwu.feedback.urls")),
    path("energy/", include("haofuwu.energy.urls")),
    path("community/", include("haofuwu.community.urls")),
    path("standard/", include("haofuwu.standard.urls")),
    path("", include("haofuwu.core.urls")),
]
# Nothing serves the media folder, in debug mode or not: uploaded files are private and reach a browser only
# through the views that apply the caller's scope (core/private_files.py).
