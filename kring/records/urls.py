from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("meetings/<int:meeting_id>/record/", views.record_page, name="record"),
    path("meetings/<int:meeting_id>/record/inputs/", views.add_input, name="add_input"),
    path("meetings/<int:meeting_id>/record/choice/", views.choose_statement, name="choose"),
    path("meetings/<int:meeting_id>/record/ratings/", views.rate_question, name="rate"),
    path("meetings/<int:meeting_id>/record/agreements/", views.set_agreements, name="agreements"),
    path("record-inputs/<int:input_id>/edit/", views.edit_input, name="edit_input"),
    path("record-inputs/<int:input_id>/withdraw/", views.withdraw_input, name="withdraw_input"),
    path(
        "meetings/<int:meeting_id>/action-points/<int:input_id>/follow-up/",
        views.follow_up,
        name="follow_up",
    ),
]
