import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def warm_up_for_the_worker(argv: list[str]) -> bool:
    """Compile the grouping engine's kernels before a worker takes its first task, so the
    first composition after an install searches for its whole time limit. Only for
    `db_worker`: a web server or a test run does not wait for it."""
    if "db_worker" not in argv[1:2]:
        return False
    import engine.grouping

    engine.grouping.warm_up()
    return True


class GroupsConfig(AppConfig):
    name = "kring.groups"
    label = "groups"
    verbose_name = _("Groups")

    def ready(self):
        from . import tasks  # noqa: F401  (hands queued proposals to the worker)

        warm_up_for_the_worker(sys.argv)
