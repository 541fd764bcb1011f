from django.urls import path

from . import rota_views, views

app_name = "meetings"
urlpatterns = [
    path("groups/<int:group_id>/cases/new/", views.add_case, name="add_case"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/withdraw/", views.withdraw_case, name="withdraw_case"),
    path("cases/<int:case_id>/delete/", views.delete_case, name="delete_case"),
    path(
        "meetings/<int:meeting_id>/cases/<int:case_id>/volunteer/",
        views.volunteer_case,
        name="volunteer_case",
    ),
    path(
        "meetings/<int:meeting_id>/cases/<int:case_id>/choose/",
        views.choose_case,
        name="choose_case",
    ),
    path(
        "meetings/<int:meeting_id>/cases/<int:case_id>/remove/",
        views.remove_choice,
        name="remove_choice",
    ),
    path("meetings/<int:meeting_id>/cases/vote/open/", views.open_vote, name="open_vote"),
    path(
        "meetings/<int:meeting_id>/cases/<int:case_id>/vote/",
        views.cast_ballot,
        name="cast_ballot",
    ),
    path("meetings/<int:meeting_id>/cases/vote/close/", views.close_vote, name="close_vote"),
    path("learning-log/", views.learning_log, name="learning_log"),
    path("learning-log/export/", views.learning_log_export, name="learning_log_export"),
    path(
        "meetings/<int:meeting_id>/learning-log/dismiss/",
        views.dismiss_prompt,
        name="dismiss_prompt",
    ),
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
