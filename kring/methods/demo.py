"""The demo's cycle plan: the running programme gives each of its six meetings a theme
and a method, growing from methods for a new group to ones for a group with experience.

The demo's meetings are made with these themes and methods (`kring.core.demo`), so the
plan is their source; `add_demo_cycle_plan` stores the plan and lets every group's
meetings follow it, as a coordinator's plan would.
"""

from . import cycle
from .models import CycleMeeting, Method

# (theme, built-in method) for meetings 1 to 6.
DEMO_CYCLE = (
    ("Kennismaken en de werkvorm leren kennen", "six-step"),
    ("Grenzen stellen", "gossip"),
    ("Samenwerken met familie", "six-step"),
    ("Je eigen rol", "incident"),
    ("Omgaan met werkdruk", "socratic"),
    ("Terugblikken en vooruitkijken", "kollegiale-beratung"),
)
DEMO_THEMES = tuple(theme for theme, _key in DEMO_CYCLE)


def demo_method_key(sequence: int) -> str:
    """The built-in method the plan gives the meeting at `sequence` (0-based)."""
    return DEMO_CYCLE[sequence % len(DEMO_CYCLE)][1]


def add_demo_cycle_plan(group, *, by) -> None:
    """The programme's cycle plan (made once, by its coordinator), followed by the group."""
    programme = group.programme
    if not CycleMeeting.objects.filter(programme=programme).exists():
        methods = {
            method.builtin_key: method
            for method in Method.objects.filter(
                organisation=None, builtin_key__in={key for _theme, key in DEMO_CYCLE}
            )
        }
        CycleMeeting.objects.bulk_create(
            CycleMeeting(
                programme=programme, number=number, theme=theme, method=methods[key], updated_by=by
            )
            for number, (theme, key) in enumerate(DEMO_CYCLE[: programme.meeting_count], 1)
        )
    cycle.reapply(group=group)
