"""Importing participants: reading files, proposing columns, every check, and the write."""

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kring.organisations.models import Department, Location, Membership
from kring.programmes.models import ProgrammeRole, Registration, Wish
from kring.registrations import exports, imports
from tests.factories import (
    DepartmentFactory,
    FunctionLevelFactory,
    LocationFactory,
    MembershipFactory,
    UserFactory,
)
from tests.registrations.summary import summary_lines

HEADER = "E-mailadres;Naam;Functieniveau;Afdeling;Locatie;Beroep;Leidinggevende"


@pytest.fixture
def organisation(world):
    org = world.organisation
    FunctionLevelFactory(organisation=org, name="Medewerker", rank=1)
    FunctionLevelFactory(organisation=org, name="Senior", rank=2)
    FunctionLevelFactory(organisation=org, name="Teamleider", rank=3)
    DepartmentFactory(organisation=org, name="Wijkzorg")
    LocationFactory(organisation=org, name="Zwolle")
    return org


@pytest.fixture
def members(organisation):
    """The people of GOOD as members of the organisation who cannot log in yet (as an
    earlier import left them): only members are registered by an import at once."""
    for email, name in [
        ("anna@example.org", "Anna de Vries"),
        ("bart@example.org", "Bart Jansen"),
        ("cem@example.org", "Cem Yilmaz"),
    ]:
        user = UserFactory(email=email, full_name=name, email_verified_at=None)
        user.set_unusable_password()
        user.save()
        MembershipFactory(user=user, organisation=organisation)


def _file(text, name="deelnemers.csv", encoding="utf-8-sig"):
    return SimpleUploadedFile(name, text.encode(encoding))


def _read(*lines, **kwargs):
    return imports.read_table(_file("\r\n".join(lines) + "\r\n", **kwargs))


def _check(world, *lines):
    table = _read(*lines)
    mapping = imports.propose_mapping(table, programme=world.programme)
    return imports.check_import(programme=world.programme, table=table, mapping=mapping)


def _import(world, *lines):
    table = _read(*lines)
    mapping = imports.propose_mapping(table, programme=world.programme)
    return imports.import_participants(
        programme=world.programme, table=table, mapping=mapping, by=world.people["coordinator"]
    )


def _where(plan):
    return [(problem.row, problem.column) for problem in plan.problems]


GOOD = [
    HEADER,
    "anna@example.org;Anna de Vries;Medewerker;Wijkzorg;Zwolle;Verpleegkundige;bart@example.org",
    "bart@example.org;Bart Jansen;Teamleider;Wijkzorg;Zwolle;Teamleider;",
    "cem@example.org;Cem Yilmaz;senior;Thuiszorg;Deventer;Fysiotherapeut;line_manager@example.org",
]


# Reading files.


def test_a_semicolon_csv_with_a_bom_is_read_with_row_numbers_as_in_the_file():
    table = _read(HEADER, "anna@example.org;Anna;;;;;", "", "bart@example.org;Bart;;;;;")
    assert table.headers[:2] == ["E-mailadres", "Naam"]
    assert [number for number, _cells in table.rows] == [2, 4]
    assert table.rows[0][1][:2] == ["anna@example.org", "Anna"]


def test_a_comma_csv_in_windows_1252_is_read():
    table = _read(
        "Email,Name,Department", "jose@example.org,José Müller,Zorg & Welzijn", encoding="cp1252"
    )
    assert table.rows == [(2, ["jose@example.org", "José Müller", "Zorg & Welzijn"])]


def test_quoted_cells_may_hold_the_delimiter():
    table = _read("E-mail;Naam;Afdeling", 'a@example.org;"Vries; Anna de";"Zorg, Noord"')
    assert table.rows[0][1] == ["a@example.org", "Vries; Anna de", "Zorg, Noord"]


def test_an_xlsx_file_is_read_with_numbers_as_text():
    dataset = tablib.Dataset(headers=["E-mail", "Naam", "Personeelsnummer"])
    dataset.append(["anna@example.org", "Anna", 1234])
    dataset.append([None, None, None])
    dataset.append(["bart@example.org", "Bart", 99.0])
    upload = SimpleUploadedFile("people.xlsx", dataset.export("xlsx"))
    table = imports.read_table(upload)
    assert table.headers == ["E-mail", "Naam", "Personeelsnummer"]
    assert table.rows == [
        (2, ["anna@example.org", "Anna", "1234"]),
        (4, ["bart@example.org", "Bart", "99"]),
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("people.xls", b"\xd0\xcf\x11\xe0 old excel"),
        ("people.pdf", b"%PDF-1.4"),
        ("people", b"email;name"),
        ("people.xlsx", b"this is not a zip file"),
        ("people.xlsx", b"PK\x03\x04 broken zip"),
        ("people.csv", b""),
        ("people.csv", b"\r\n;;;\r\n"),
        ("people.csv", b"E-mail;Naam\r\n"),
        ("people.csv", b"\x00\x01\x02binary"),
    ],
)
def test_files_that_cannot_be_used_give_a_clear_message(name, content):
    with pytest.raises(imports.ImportFileError) as error:
        imports.read_table(SimpleUploadedFile(name, content))
    assert str(error.value)


def test_a_file_with_too_many_rows_is_refused():
    lines = ["E-mail;Naam"] + [f"p{n}@example.org;P {n}" for n in range(imports.MAX_ROWS + 1)]
    with pytest.raises(imports.ImportFileError):
        _read(*lines)


# Proposing columns.


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("E-mail", "email"),
        ("e-mailadres", "email"),
        ("Email address", "email"),
        ("Naam", "full_name"),
        ("Name", "full_name"),
        ("Functieniveau", "function_level"),
        ("Function level", "function_level"),
        ("Afdeling", "department"),
        ("Department", "department"),
        ("Locatie", "location"),
        ("Beroep", "profession"),
        ("Functie", "profession"),
        ("Leidinggevende", "line_manager_email"),
        ("Manager e-mail", "line_manager_email"),
    ],
)
def test_columns_are_proposed_from_dutch_and_english_headers(world, header, key):
    table = _read(f"Iets anders;{header}", "x;y")
    mapping = imports.propose_mapping(table, programme=world.programme)
    assert mapping.columns[key] == 1
    assert [k for k, index in mapping.columns.items() if index is not None] == [key]


def test_other_columns_are_free_attributes_only_when_the_organisation_knows_them(world):
    Membership.objects.filter(user=world.people["participant"]).update(
        extra_attributes={"Dienst": "nacht"}
    )
    table = _read("E-mail;Naam;Dienst;Geboortedatum", "a@example.org;A;dag;1980-01-01")
    mapping = imports.propose_mapping(table, programme=world.programme)
    assert mapping.extra_columns == [2]


# Checks: every rule, reported by row and column, nothing written.


def test_a_correct_file_has_no_problems_and_a_summary(world, organisation):
    plan = _check(world, *GOOD)
    assert plan.problems == []
    assert len(plan.people) == 3
    assert plan.not_members == 3
    assert plan.new_departments == ["Thuiszorg"]
    assert plan.new_locations == ["Deventer"]
    with translation.override("en"):
        lines = summary_lines(plan)
    assert "1 new department will be created: Thuiszorg." in lines
    assert "1 new location will be created: Deventer." in lines
    assert not Department.objects.filter(name="Thuiszorg").exists()


def test_a_missing_or_invalid_e_mail_address_is_reported(world, organisation):
    plan = _check(world, HEADER, ";Zonder Mail;;;;;", "geen-adres;Fout Adres;;;;;")
    assert _where(plan) == [(2, "E-mailadres"), (3, "E-mailadres")]
    assert plan.people == []


def test_a_duplicate_e_mail_address_is_reported_with_the_first_row(world, organisation):
    with translation.override("en"):
        plan = _check(
            world,
            HEADER,
            "a@example.org;A;;;;;",
            "b@example.org;B;;;;;",
            "A@Example.org;A again;;;;;",
        )
    assert _where(plan) == [(4, "E-mailadres")]
    assert "row 2" in plan.problems[0].message


def test_an_empty_name_is_reported(world, organisation):
    plan = _check(world, HEADER, "a@example.org;;;;;;")
    assert _where(plan) == [(2, "Naam")]


def test_a_level_not_on_the_scale_lists_the_allowed_levels(world, organisation):
    with translation.override("en"):
        plan = _check(world, HEADER, "a@example.org;A;Directeur;;;;")
    assert _where(plan) == [(2, "Functieniveau")]
    assert "Medewerker, Senior, Teamleider" in plan.problems[0].message


def test_a_level_when_the_organisation_has_no_scale_is_reported(world):
    plan = _check(world, HEADER, "a@example.org;A;Senior;;;;")
    assert _where(plan) == [(2, "Functieniveau")]


def test_an_unknown_line_manager_is_reported(world, organisation):
    plan = _check(
        world,
        HEADER,
        "a@example.org;A;;;;;nobody@example.org",
        # Known elsewhere, but not a member of this organisation:
        "b@example.org;B;;;;;other_admin@example.org",
        "c@example.org;C;;;;;Jan de Vries",
    )
    assert _where(plan) == [(2, "Leidinggevende"), (3, "Leidinggevende"), (4, "Leidinggevende")]


def test_a_line_manager_in_the_file_or_the_organisation_is_accepted(world, organisation):
    plan = _check(
        world,
        HEADER,
        "a@example.org;A;;;;;b@example.org",
        "b@example.org;B;;;;;line_manager@example.org",
    )
    assert plan.problems == []


def test_a_person_cannot_be_their_own_line_manager(world, organisation):
    plan = _check(world, HEADER, "a@example.org;A;;;;;A@example.org")
    assert _where(plan) == [(2, "Leidinggevende")]


def test_a_loop_of_line_managers_in_the_file_is_reported_on_every_row_in_it(world, organisation):
    with translation.override("en"):
        plan = _check(
            world,
            HEADER,
            "a@example.org;A;;;;;b@example.org",
            "b@example.org;B;;;;;c@example.org",
            "c@example.org;C;;;;;a@example.org",
            "d@example.org;D;;;;;a@example.org",
        )
    assert _where(plan) == [(2, "Leidinggevende"), (3, "Leidinggevende"), (4, "Leidinggevende")]
    assert "a@example.org → b@example.org → c@example.org → a@example.org" in (
        plan.problems[0].message
    )


def test_a_loop_through_the_organisations_line_managers_is_reported(world, organisation):
    # In the organisation the participant reports to line_manager; the file turns it round.
    plan = _check(
        world, HEADER, "line_manager@example.org;Line Manager;;;;;participant@example.org"
    )
    assert _where(plan) == [(2, "Leidinggevende")]


def test_values_longer_than_the_database_allows_are_reported(world, organisation):
    plan = _check(world, HEADER, f"a@example.org;A;;{'x' * 121};;;")
    assert _where(plan) == [(2, "Afdeling")]


def test_every_problem_of_the_whole_file_is_reported_at_once(world, organisation):
    plan = _check(
        world,
        HEADER,
        ";;Senior;;;;",
        "a@example.org;A;Directeur;;;;onbekend@example.org",
        "a@example.org;A;;;;;",
    )
    assert _where(plan) == [
        (2, "E-mailadres"),
        (2, "Naam"),
        (3, "Functieniveau"),
        (3, "Leidinggevende"),
        (4, "E-mailadres"),
    ]


def test_messages_follow_the_active_language(world, organisation):
    with translation.override("en"):
        message = _check(world, HEADER, "a@example.org;A;Directeur;;;;").problems[0].message
    assert message == (
        "“Directeur” is not a function level of Zorg Noord. "
        "The levels are: Medewerker, Senior, Teamleider."
    )


# Writing.


def test_an_import_with_a_problem_writes_nothing(world, organisation):
    lines = [*GOOD, "fout;Fout;;;;;"]
    with pytest.raises(imports.ImportRejected) as rejected:
        _import(world, *lines)
    assert _where(rejected.value.plan) == [(5, "E-mailadres")]
    assert not Registration.objects.exists()
    assert not Membership.objects.filter(user__email="anna@example.org").exists()
    assert not Department.objects.filter(name="Thuiszorg").exists()


def test_the_import_registers_members_and_updates_their_attributes_and_roles(
    world, organisation, members, User
):
    result = _import(world, *GOOD)
    assert (result.imported, result.new_registrations, result.invited) == (3, 3, 0)

    anna = User.objects.get(email="anna@example.org")
    assert anna.full_name == "Anna de Vries"
    assert not anna.has_usable_password()
    membership = anna.memberships.get(organisation=organisation)
    assert membership.role == Membership.Role.MEMBER
    assert membership.function_level.name == "Medewerker"
    assert (membership.department.name, membership.location.name) == ("Wijkzorg", "Zwolle")
    assert membership.profession == "Verpleegkundige"
    assert membership.line_manager.user.email == "bart@example.org"

    registration = Registration.objects.get(programme=world.programme, user=anna)
    assert registration.source == Registration.Source.IMPORT
    assert registration.status == Registration.Status.REGISTERED
    assert registration.function_level.name == "Medewerker"
    assert (registration.department, registration.location) == ("Wijkzorg", "Zwolle")
    assert registration.line_manager.email == "bart@example.org"
    assert registration.organisation_name == organisation.name

    cem = Registration.objects.get(user__email="cem@example.org")
    assert cem.function_level.name == "Senior"  # matched without regard to case
    assert (cem.department, cem.location) == ("Thuiszorg", "Deventer")
    assert Department.objects.filter(organisation=organisation, name="Thuiszorg").exists()
    assert Location.objects.filter(organisation=organisation, name="Deventer").exists()

    roles = set(
        ProgrammeRole.objects.filter(programme=world.programme).values_list("user__email", "role")
    )
    for email in ["anna@example.org", "bart@example.org", "cem@example.org"]:
        assert (email, "participant") in roles
    assert ("bart@example.org", "line_manager") in roles
    assert ("line_manager@example.org", "line_manager") in roles


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in [Membership, Registration, ProgrammeRole, Department, Location]
    } | {"users": Membership.objects.values("user").distinct().count()}


def test_importing_the_same_file_twice_duplicates_nothing(world, organisation, members):
    _import(world, *GOOD)
    before = _counts()
    result = _import(world, *GOOD)
    assert _counts() == before
    assert (result.imported, result.new_registrations, result.invited) == (3, 0, 0)
    plan = _check(world, *GOOD)
    assert (plan.not_members, plan.already_registered, plan.new_departments) == (0, 3, [])


def test_existing_members_are_updated_and_empty_cells_keep_what_is_known(world, organisation):
    membership = Membership.objects.get(user=world.people["participant"])
    membership.profession = "Maatschappelijk werker"
    membership.extra_attributes = {"Dienst": "nacht"}
    membership.save()
    _import(world, HEADER, "Participant@example.org;Nieuwe Naam;Senior;Wijkzorg;;;")

    membership.refresh_from_db()
    assert membership.function_level.name == "Senior"
    assert membership.department.name == "Wijkzorg"
    assert membership.profession == "Maatschappelijk werker"
    assert membership.line_manager.user == world.people["line_manager"]
    assert membership.role == Membership.Role.MEMBER
    world.people["participant"].refresh_from_db()
    assert world.people["participant"].full_name == "Participant"  # their own name stays
    registration = Registration.objects.get(user=world.people["participant"])
    assert registration.profession == "Maatschappelijk werker"
    assert registration.line_manager == world.people["line_manager"]
    assert registration.extra_attributes == {"Dienst": "nacht"}


def test_free_attributes_are_kept_when_chosen(world, organisation):
    MembershipFactory(user=UserFactory(email="a@example.org"), organisation=organisation)
    table = _read("E-mail;Naam;Dienst;Geboortedatum", "a@example.org;A;nacht;1980-01-01")
    mapping = imports.propose_mapping(table, programme=world.programme)
    mapping.extra_columns = [2]
    imports.import_participants(
        programme=world.programme, table=table, mapping=mapping, by=world.people["coordinator"]
    )
    registration = Registration.objects.get(user__email="a@example.org")
    assert registration.extra_attributes == {"Dienst": "nacht"}


def test_a_withdrawn_registration_stays_withdrawn(world, organisation):
    Registration.objects.create(
        programme=world.programme,
        user=world.people["outsider"],
        status=Registration.Status.WITHDRAWN,
    )
    plan = _check(world, HEADER, "outsider@example.org;Outsider;;;;;")
    assert plan.withdrawn == ["Outsider"]
    _import(world, HEADER, "outsider@example.org;Outsider;;;;;")
    registration = Registration.objects.get(user=world.people["outsider"])
    assert registration.status == Registration.Status.WITHDRAWN
    assert not ProgrammeRole.objects.filter(
        programme=world.programme, user=world.people["outsider"], role="participant"
    ).exists()


def test_a_failure_halfway_leaves_nothing_written(world, organisation, members, monkeypatch, User):
    """The roles are written last: when that fails, everything before it is undone too."""
    written = {}

    def fail_after_the_rest_is_written(*args, **kwargs):
        written["registrations"] = Registration.objects.count()
        written["users"] = User.objects.filter(email="anna@example.org").count()
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ProgrammeRole.objects, "bulk_create", fail_after_the_rest_is_written)
    before = _counts()
    with pytest.raises(RuntimeError):
        _import(world, *GOOD)
    assert written == {"registrations": 3, "users": 1}  # it really failed halfway
    assert _counts() == before
    assert not Registration.objects.filter(user__email="anna@example.org").exists()
    assert not Department.objects.filter(name="Thuiszorg").exists()


# Export, and importing an export again.


def _register(world, key, **fields):
    return Registration.objects.create(programme=world.programme, user=world.people[key], **fields)


def test_the_csv_export_has_a_bom_semicolons_and_no_wishes_or_withdrawn_people(world, organisation):
    registration = _register(
        world, "participant", department="Wijkzorg", line_manager=world.people["line_manager"]
    )
    Wish.objects.create(registration=registration, kind="avoid", other=world.people["sponsor"])
    _register(world, "outsider", status=Registration.Status.WITHDRAWN)

    content = exports.export_participants(world.programme, "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[1].split(";")[:4] == ["participant@example.org", "Participant", "", "Wijkzorg"]
    assert lines[1].endswith(";line_manager@example.org")
    assert "sponsor@example.org" not in text and "outsider" not in text


def test_an_exported_file_can_be_imported_again_without_changes(world, organisation, members):
    _import(world, *GOOD)
    Registration.objects.filter(user__email="anna@example.org").update(
        extra_attributes={"Dienst": "nacht"}
    )
    Membership.objects.filter(user__email="anna@example.org").update(
        extra_attributes={"Dienst": "nacht"}
    )
    for file_format in ["csv", "xlsx"]:
        before = _counts()
        upload = SimpleUploadedFile(
            f"export.{file_format}", exports.export_participants(world.programme, file_format)
        )
        table = imports.read_table(upload)
        mapping = imports.propose_mapping(table, programme=world.programme)
        assert all(mapping.columns[spec.key] is not None for spec in imports.EXPORTED_FIELDS)
        assert [table.headers[index] for index in mapping.extra_columns] == ["Dienst"]
        plan = imports.check_import(programme=world.programme, table=table, mapping=mapping)
        assert plan.problems == []
        assert plan.already_registered == 3
        imports.import_participants(
            programme=world.programme, table=table, mapping=mapping, by=world.people["coordinator"]
        )
        assert _counts() == before
    anna = Registration.objects.get(user__email="anna@example.org")
    assert anna.line_manager.email == "bart@example.org"
    assert anna.extra_attributes == {"Dienst": "nacht"}


def test_cells_that_look_like_formulas_are_defused_and_survive_a_round_trip(world, organisation):
    world.people["participant"].full_name = '=HYPERLINK("http://evil")'
    world.people["participant"].save()
    _register(world, "participant", profession="+31 verpleegkundige")
    content = exports.export_participants(world.programme, "xlsx")
    dataset = tablib.Dataset().load(io.BytesIO(content).read(), format="xlsx")
    assert dataset[0][1] == '\'=HYPERLINK("http://evil")'
    table = imports.read_table(SimpleUploadedFile("export.xlsx", content))
    assert table.rows[0][1][1] == '=HYPERLINK("http://evil")'
    assert table.rows[0][1][5] == "+31 verpleegkundige"


def test_a_utf16_tab_separated_file_from_excel_is_read():
    text = "E-mail\tNaam\r\nanna@example.org\tAnna Ögren\r\n"
    table = imports.read_table(SimpleUploadedFile("unicode.csv", text.encode("utf-16")))
    assert table.rows == [(2, ["anna@example.org", "Anna Ögren"])]
