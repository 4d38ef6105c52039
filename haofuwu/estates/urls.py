from django.urls import path

from haofuwu.estates import views

app_name = "estates"
urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
]
