from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/people/invite/", views.invite, name="invite"),
    path("<slug:slug>/people/<int:membership_id>/", views.edit_person, name="edit_person"),
]
