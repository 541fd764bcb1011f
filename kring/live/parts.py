"""Whose part each kind of input is, by one's part in the meeting: read by the inputs
(who may write what), by the written round (who takes part in a phase) and by the stage."""

from kring.records.selectors import PRESENTER_KINDS

# The presenter's own parts; problem statements are everyone's (the presenter writes one
# too); the other kinds are the others' (the presenter listens).
PRESENTER_ONLY = {"presenter_choice", "ratings", *PRESENTER_KINDS}
EVERYONE = {"problem_statements", "contributions"}
REFERRING = {"presenter_choice", "ratings"}


def fits(user, kind: str, presenters: list) -> bool:
    """Whether this kind of input is this person's to give, by their part in the meeting.
    With no presenter recorded, take-aways and action points are anyone's (as the record
    page has it); a choice and ratings then are made on the record page. A phase without
    input ("none") is everyone's to read."""
    is_presenter = any(p.pk == user.pk for p in presenters)
    if kind in EVERYONE or kind == "none":
        return True
    if kind in REFERRING:
        return is_presenter
    if kind in PRESENTER_KINDS:
        return is_presenter or not presenters
    return not is_presenter
