from django.urls import path

from haofuwu.feedback import views

app_name = "feedback"
urlpatterns = [
    path("reception-days/", views.reception_day_list, name="reception_day_list"),
    path("reception-days/<int:day_id>/", views.reception_day_detail, name="reception_day_detail"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:survey_id>/results/", views.survey_results, name="survey_results"),
    path("return-visits/", views.return_visit_list, name="return_visit_list"),
    path("my/reception-days/", views.resident_reception_days, name="resident_reception_days"),
    path("my/surveys/", views.resident_surveys, name="resident_surveys"),
    path("my/surveys/<int:survey_id>/", views.resident_survey_answer, name="resident_survey_answer"),
    path("my/surveys/<int:survey_id>/results/", views.resident_survey_results, name="resident_survey_results"),
]
