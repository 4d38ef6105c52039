from django.urls import path

from haofuwu.estates import views
from haofuwu.estates.urls_import import urlpatterns as import_urlpatterns

app_name = "estates"
urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    *import_urlpatterns,
]
