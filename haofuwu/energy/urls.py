from django.urls import path

from haofuwu.energy import views

app_name = "energy"
urlpatterns = [
    path("", views.home, name="home"),
    path("benchmarking/", views.benchmark, name="benchmark"),
    path("projects/<int:project_id>/", views.project_dashboard, name="project_dashboard"),
    path("projects/<int:project_id>/keys/", views.project_keys, name="project_keys"),
    path("projects/<int:project_id>/keys/<int:key_id>/revoke/", views.key_revoke, name="key_revoke"),
    path("projects/<int:project_id>/import/", views.readings_import, name="project_import"),
    path("projects/<int:project_id>/import/template.xlsx", views.import_template, name="import_template"),
    path("meters/<int:meter_id>/", views.meter_detail, name="meter_detail"),
    path("anomalies/<int:anomaly_id>/", views.anomaly_action, name="anomaly_action"),
]
