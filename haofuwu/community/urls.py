from django.urls import path

from haofuwu.community import views

app_name = "community"
urlpatterns = [
    path("", views.home, name="home"),
    path("party/", views.party_home, name="party_home"),
    path("party/meetings/<int:meeting_id>/", views.party_meeting_detail, name="party_meeting_detail"),
    path("red-property/", views.red_property_list, name="red_property_list"),
    path("red-property/<int:application_id>/", views.red_property_detail, name="red_property_detail"),
    path("appointments/", views.appointment_list, name="appointment_list"),
    path("joint-meetings/", views.joint_meeting_list, name="joint_meeting_list"),
    path("joint-meetings/<int:meeting_id>/", views.joint_meeting_detail, name="joint_meeting_detail"),
    path("actions/", views.action_list, name="action_list"),
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/<int:volunteer_id>/", views.volunteer_detail, name="volunteer_detail"),
    path(
        "volunteers/<int:volunteer_id>/certificates/<int:certificate_id>/",
        views.certificate_detail,
        name="certificate_detail",
    ),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity_detail"),
    path("tickets/<str:ticket>/", views.ticket_scan, name="ticket_scan"),
    path("check-in/<str:door_token>/", views.door_check_in, name="door_check_in"),
    path("care/", views.care_list, name="care_list"),
    path("care/<int:subject_id>/", views.care_detail, name="care_detail"),
    path("disclosures/", views.disclosure_list, name="disclosure_list"),
    path("my/", views.resident_home, name="resident_home"),
    path("my/activities/", views.resident_activities, name="resident_activities"),
    path("my/activities/<int:activity_id>/", views.resident_activity, name="resident_activity"),
    path("my/board/", views.resident_board, name="resident_board"),
    path("my/visits/", views.resident_visits, name="resident_visits"),
    path("my/volunteering/", views.resident_volunteering, name="resident_volunteering"),
]
