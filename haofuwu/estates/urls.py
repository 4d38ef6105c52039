from django.urls import path

from haofuwu.estates import views
from haofuwu.estates.urls_import import urlpatterns as import_urlpatterns

app_name = "estates"
urlpatterns = [
    path("companies/", views.company_list, name="company_list"),
    path("companies/<int:company_id>/", views.company_detail, name="company_detail"),
    path("companies/<int:company_id>/edit/", views.company_edit, name="company_edit"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:project_id>/", views.project_detail, name="project_detail"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:project_id>/buildings/new/", views.building_create, name="building_create"),
    path("buildings/", views.building_list, name="building_list"),
    path("buildings/<int:building_id>/", views.building_detail, name="building_detail"),
    path("buildings/<int:building_id>/edit/", views.building_edit, name="building_edit"),
    path("buildings/<int:building_id>/households/new/", views.unit_create, name="unit_create"),
    path("households/", views.unit_list, name="unit_list"),
    path("households/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("households/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("households/<int:unit_id>/residents/new/", views.resident_create, name="resident_create"),
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/<int:resident_id>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:resident_id>/edit/", views.resident_edit, name="resident_edit"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:staff_id>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:staff_id>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:staff_id>/certificates/", views.staff_certificate_add, name="staff_certificate_add"),
    path("me/", views.resident_home, name="resident_home"),
    *import_urlpatterns,
]
