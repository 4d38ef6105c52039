from django.urls import path

from haofuwu.standard import views

app_name = "standard"
urlpatterns = [
    path("", views.home, name="home"),
    path("league/", views.league, name="league"),
    path("projects/<int:project_id>/", views.project_scorecard, name="project_scorecard"),
    path("projects/<int:project_id>/evaluate/", views.project_evaluate, name="project_evaluate"),
    path("scorecards/<int:scorecard_id>/<str:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path("companies/<int:company_id>/", views.company, name="company"),
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/<int:rectification_id>/", views.rectification_detail, name="rectification_detail"),
    path("managers/", views.manager_evaluations, name="managers"),
    path("our-score/", views.resident_score, name="resident_score"),
    path("evidence/<int:evidence_id>/file/", views.evidence_file, name="evidence_file"),
]
