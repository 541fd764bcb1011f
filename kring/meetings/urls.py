from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("groups/<int:group_id>/cases/new/", views.add_case, name="add_case"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/withdraw/", views.withdraw_case, name="withdraw_case"),
    path("cases/<int:case_id>/delete/", views.delete_case, name="delete_case"),
    path("learning-log/", views.learning_log, name="learning_log"),
]
