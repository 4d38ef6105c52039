from django.urls import path

from haofuwu.workorders import views

app_name = "workorders"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/dispatch/", views.bulk_dispatch, name="bulk_dispatch"),
    path("mine/", views.my_tasks, name="my_tasks"),
    path("new/", views.create, name="create"),
    path("<int:work_order_id>/", views.detail, name="detail"),
    path("<int:work_order_id>/transition/", views.transition, name="transition"),
    path("<int:work_order_id>/return-visit/", views.return_visit, name="return_visit"),
    path("<int:work_order_id>/hotline-reply/", views.hotline_reply, name="hotline_reply"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("my/", views.resident_list, name="resident_list"),
    path("my/new/", views.resident_create, name="resident_create"),
    path("my/<int:work_order_id>/", views.resident_detail, name="resident_detail"),
]
