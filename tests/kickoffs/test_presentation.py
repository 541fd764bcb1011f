"""The kick-off's agenda on the projector: the programme page, one section per screen."""

import re

from django.urls import reverse

from tests import factories as f


def _show(world, login, kickoff, role="coordinator"):
    response = login(world.people[role]).get(reverse("kickoffs:presentation", args=[kickoff.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_agenda_answers_the_seven_ws(world, plan_kickoff, login):
    world.programme.reason = "Meer leren van elkaar."
    world.programme.target_group = "Alle teamleiders."
    world.programme.save()
    world.programme.goals.create(text="Reflecteren op eigen handelen.")
    page = _show(world, login, plan_kickoff())
    for heading in ["Waarom?", "Wat?", "Waartoe?", "Wie?", "Wanneer en waar?", "Hoe?"]:
        assert f">{heading}</h2>" in page, heading
    assert "Meer leren van elkaar." in page
    assert "Reflecteren op eigen handelen." in page
    assert "Alle teamleiders." in page


def test_the_agenda_explains_the_four_roles_with_names(world, plan_kickoff, login):
    page = _show(world, login, plan_kickoff())
    assert "Deelnemer:" in page
    assert "Opdrachtgever (Sponsor):" in page
    assert "Intervisiebegeleiders (Facilitator, Other Facilitator):" in page
    assert "Leidinggevende:" in page


def test_the_agenda_shows_registration_ground_rules_and_the_preparation_assignment(
    world, plan_kickoff, login
):
    rules = f.GroundRuleSetFactory()
    f.GroundRuleFactory(rule_set=rules, text="Wat in de groep besproken wordt, blijft daar.")
    world.programme.ground_rule_set = rules
    world.programme.save()
    world.programme.preparation_assignments.create(
        text="Bedenk een dilemma uit je werk.", due_on="2027-01-10"
    )
    page = _show(world, login, plan_kickoff())
    assert ">Aanmelding</h2>" in page
    assert "Wat in de groep besproken wordt, blijft daar." in page
    assert "Bedenk een dilemma uit je werk." in page
    assert "zondag 10 januari 2027" in page


def test_each_section_is_a_screen_of_its_own_with_links_to_the_next(world, plan_kickoff, login):
    page = _show(world, login, plan_kickoff())
    sections = re.findall(r'<section class="slide[^"]*" id="slide-(\d+)"', page)
    assert sections == [str(n) for n in range(1, len(sections) + 1)] and len(sections) >= 10
    # Without JavaScript the links still move on: each points at the next section.
    assert 'href="#slide-2" rel="next"' in page and 'href="#slide-1" rel="prev"' in page


def test_the_projector_view_has_no_inline_script_or_style_and_no_site_menu(
    world, plan_kickoff, login
):
    page = _show(world, login, plan_kickoff())
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None
    assert "<style" not in page and " style=" not in page
    assert "kring/presentation.js" in page
    assert 'class="site-header"' not in page


def test_the_agenda_shows_no_case_content(world, plan_kickoff, login):
    world.case.title = "SECRET-case"
    world.case.save()
    assert "SECRET-" not in _show(world, login, plan_kickoff())
