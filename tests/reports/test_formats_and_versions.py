"""Report formats: a default ships; the organisation admin edits the organisation's format
(every save a new, immutable version, the history visible); a programme uses its
organisation's format, else its firm's, else the default. And the approval period."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kring.reports import services
from kring.reports.models import ReportFormat, ReportFormatVersion, ReportSettings, approval_days
from kring.reports.sections import DEFAULT_SECTIONS, SOURCES, validate
from tests import factories as f

pytestmark = pytest.mark.django_db


def _section(key, title, source="free"):
    return {
        "key": key,
        "title": {"nl": f"{title} (nl)", "en": title},
        "prompt": {"nl": "Vraag", "en": "Prompt"},
        "source": source,
    }


def test_the_default_format_ships_in_dutch_and_english():
    default = ReportFormat.objects.get(organisation=None).current
    assert default.sections == DEFAULT_SECTIONS and not validate(default.sections)
    sources = {section["source"] for section in default.sections}
    assert {
        "method",
        "roles",
        "presence",
        "cases",
        "problem_statement",
        "questions",
        "advice",
        "takeaways",
        "action_points",
        "agreements",
        "next_meeting",
    } <= sources
    for section in default.sections:
        assert section["title"]["nl"] and section["title"]["en"]
        assert section["prompt"]["nl"] and section["prompt"]["en"]
    assert sources <= set(SOURCES)


def test_a_version_never_changes(world):
    version = services.save_format(
        organisation=world.organisation, sections_data=[_section("a", "A")], by=None
    )
    version.sections = [_section("b", "B")]
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()


def test_each_save_is_a_new_version_and_the_same_sections_are_not(world):
    admin = world.people["admin"]
    first = services.save_format(
        organisation=world.organisation, sections_data=[_section("a", "A")], by=admin
    )
    same = services.save_format(
        organisation=world.organisation, sections_data=[_section("a", "A")], by=admin
    )
    second = services.save_format(
        organisation=world.organisation,
        sections_data=[_section("b", "B"), _section("a", "A")],
        by=admin,
    )
    assert (first.number, same.pk, second.number) == (1, first.pk, 2)
    assert ReportFormatVersion.objects.filter(format__organisation=world.organisation).count() == 2


def test_a_bad_format_is_refused():
    assert validate([])
    assert validate([_section("a", "A", source="nowhere")])
    assert validate([_section("a", "A"), _section("a", "B")])
    with pytest.raises(services.ReportError):
        services.save_format(organisation=None, sections_data=[{"key": "x"}], by=None)


def test_a_programme_uses_its_organisation_then_its_firm_then_the_default(world):
    programme = world.programme
    assert services.format_for_programme(programme).format.is_default
    firm = f.OrganisationFactory(name="Bureau Samen", slug="bureau-samen")
    programme.run_by = firm
    programme.save()
    firm_version = services.save_format(
        organisation=firm, sections_data=[_section("firm", "Firm")], by=None
    )
    assert services.format_for_programme(programme) == firm_version
    own = services.save_format(
        organisation=world.organisation, sections_data=[_section("own", "Own")], by=None
    )
    assert services.format_for_programme(programme) == own


def _formset_data(sections, extra_empty=True):
    data = {}
    rows = list(sections) + ([{}] if extra_empty else [])
    data["section-TOTAL_FORMS"] = str(len(rows))
    data["section-INITIAL_FORMS"] = str(len(sections))
    for number, row in enumerate(rows):
        for name, value in row.items():
            data[f"section-{number}-{name}"] = value
    return data


def _row(key, title_nl, title_en, source="free", order="", delete=False):
    row = {
        "key": key,
        "title_nl": title_nl,
        "title_en": title_en,
        "prompt_nl": f"Vraag bij {title_nl}",
        "prompt_en": f"Prompt for {title_en}",
        "source": source,
        "ORDER": order,
    }
    if delete:
        row["DELETE"] = "on"
    return row


def test_the_admin_adds_removes_and_reorders_sections(world, login):
    client = login(world.people["admin"])
    url = reverse("reports:format", kwargs={"slug": world.organisation.slug})
    page = client.get(url)
    assert page.status_code == 200
    assert DEFAULT_SECTIONS[0]["title"]["nl"] in page.content.decode()
    data = _formset_data(
        [
            _row("method", "Werkvorm", "Method", "method", order="2"),
            _row("advice", "Adviezen", "Advice", "advice", order="1"),
            _row("roles", "Rollen", "Roles", "roles", order="3", delete=True),
        ]
    )
    data["section-3-title_nl"] = "Reflectie"
    data["section-3-title_en"] = "Reflection"
    data["section-3-source"] = "free"
    data["section-3-ORDER"] = "4"
    response = client.post(url, data)
    assert response.status_code == 302
    version = services.own_format(world.organisation)
    assert [s["key"] for s in version.sections] == ["advice", "method", "reflection"]
    assert version.sections[0]["prompt"] == {"nl": "Vraag bij Adviezen", "en": "Prompt for Advice"}
    assert version.created_by == world.people["admin"]
    history = client.get(
        reverse("reports:format_history", kwargs={"slug": world.organisation.slug})
    )
    assert "Reflectie" in history.content.decode() or "Reflection" in history.content.decode()


def test_a_section_without_a_title_comes_back_with_what_was_typed(world, login):
    client = login(world.people["admin"])
    url = reverse("reports:format", kwargs={"slug": world.organisation.slug})
    data = _formset_data(
        [_row("advice", "", "Advice", "advice"), _row("x", "TYPED-NL", "Typed", "free")]
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "TYPED-NL" in response.content.decode()
    assert services.own_format(world.organisation) is None


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "participant"])
def test_only_the_admin_edits_the_format(world, login, role):
    url = reverse("reports:format", kwargs={"slug": world.organisation.slug})
    assert login(world.people[role]).get(url).status_code == 403


def test_the_coordinator_sets_the_approval_period(world, login):
    client = login(world.people["coordinator"])
    url = reverse("reports:settings", kwargs={"programme_id": world.programme.pk})
    assert approval_days(world.programme) == 7
    assert 'value="7"' in client.get(url).content.decode()
    for wrong in ["0", "31", "veel"]:
        response = client.post(url, {"approval_days": wrong})
        assert response.status_code == 400 and f'value="{wrong}"' in response.content.decode()
    assert client.post(url, {"approval_days": "14"}).status_code == 302
    assert approval_days(world.programme) == 14
    assert ReportSettings.objects.get(programme=world.programme).approval_days == 14


def test_the_approval_period_is_a_database_rule(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportSettings.objects.create(programme=world.programme, approval_days=31)
