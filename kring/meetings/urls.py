from django.urls import path

from . import rota_views, views

app_name = "meetings"
urlpatterns = [
    path("groups/<int:group_id>/cases/new/", views.add_case, name="add_case"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/withdraw/", views.withdraw_case, name="withdraw_case"),
    path("cases/<int:case_id>/delete/", views.delete_case, name="delete_case"),
    path("learning-log/", views.learning_log, name="learning_log"),
    path("groups/<int:group_id>/rota/", rota_views.rota_page, name="rota"),
    path("groups/<int:group_id>/rota/plan/", rota_views.plan, name="rota_plan"),
    path("groups/<int:group_id>/phase-out/", rota_views.phase_out, name="phase_out"),
    path(
        "groups/<int:group_id>/rota/presenting/",
        rota_views.presenter_preference,
        name="presenter_preference",
    ),
    path("meetings/<int:meeting_id>/roles/swap/", rota_views.ask_swap, name="ask_swap"),
    path("meetings/<int:meeting_id>/roles/change/", rota_views.change_role, name="change_role"),
    path("role-swaps/<int:swap_id>/answer/", rota_views.answer_swap, name="answer_swap"),
]
