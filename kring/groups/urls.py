from django.urls import path

from . import composition_views, views

app_name = "groups"
urlpatterns = [
    path("<int:group_id>/", views.group_detail, name="detail"),
    path(
        "<int:group_id>/ground-rules/accept/",
        views.accept_ground_rules,
        name="accept_ground_rules",
    ),
    path(
        "programme/<int:programme_id>/composition/",
        composition_views.composition_home,
        name="composition",
    ),
    path(
        "programme/<int:programme_id>/composition/compare/",
        composition_views.compare,
        name="compare",
    ),
    path("proposals/<int:proposal_id>/", composition_views.proposal_detail, name="proposal"),
    path(
        "proposals/<int:proposal_id>/progress/",
        composition_views.proposal_progress,
        name="proposal_progress",
    ),
    path("proposals/<int:proposal_id>/move/", composition_views.move, name="proposal_move"),
    path("proposals/<int:proposal_id>/swap/", composition_views.swap, name="proposal_swap"),
    path("proposals/<int:proposal_id>/lock/", composition_views.lock, name="proposal_lock"),
    path(
        "proposals/<int:proposal_id>/reoptimise/",
        composition_views.reoptimise,
        name="proposal_reoptimise",
    ),
    path(
        "proposals/<int:proposal_id>/publish/", composition_views.publish, name="proposal_publish"
    ),
]
