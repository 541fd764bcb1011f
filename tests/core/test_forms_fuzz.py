"""Every form of the app, posted with extreme values by every role that may use it: no
server error, ever.

The forms are found, not listed: for every URL the authorization matrix knows, each role
the matrix lets in opens the page and every `<form method="post">` on it is read (field
names, options, file inputs), and every `<form method="get">` (filters, comparisons) is
sent as a query; URLs the matrix reaches with a POST are posted with the matrix's own
field names. A new form is covered the day its page is. Each field then gets,
at random, its own value, an extreme one (huge and negative numbers, years 1 and 9999,
100,000 characters, NUL and right-to-left characters, wrong types) or random text.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.confidentiality.test_authorization_matrix import MATRIX

EXTREMES = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "9" * 30,
    "-" + "9" * 30,
    "2147483648",
    "9223372036854775808",
    "1e309",
    "NaN",
    "inf",
    "1.5",
    "²",  # a digit to str.isdigit(), not to int()
    "١٢",  # Arabic-Indic digits, which int() reads
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "10000-01-01T00:00",
    "2027-02-30",
    "2028-02-29",  # a leap day, which a year later does not exist
    "2099-12-31",  # the last day a form takes
    "25:61",
    "x" * 100_000,
    "\x00",
    "a\x00b",
    "\u202eevil.exe\u202c",  # right-to-left override
    "\u200f\u05e9\u05dc\u05d5\u05dd",  # right-to-left mark and Hebrew
    "\ufeff",
    '=HYPERLINK("http://evil")',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "[]",
    "{}",
    "null",
    "true",
    "http://" + "a" * 3000 + ".example",
    "javascript:alert(1)",
    "a@b",
    "@" * 300,
]

PLAUSIBLE = {
    "text": "Zaal 3",
    "textarea": "Een gewone tekst.",
    "email": "nieuw.lid@example.org",
    "password": "Een-lang-wachtwoord-42",
    "number": "5",
    "date": "2027-03-02",
    "datetime-local": "2027-03-02T14:00",
    "url": "https://video.example.org/kamer",
    "checkbox": "on",
}
PLAUSIBLE_BY_NAME = {"extra_attributes_text": "team: nacht", "start_times": "09:30, 13:30"}

# Forms that end the client's session or its sign-in; posting them would fuzz as nobody.
SKIPPED_ACTIONS = {"accounts:logout"}
BASE_TEMPLATE_ACTIONS = {"accounts:switch_language"}
EXAMPLES_PER_FORM = 30


@dataclass
class Form:
    action: str
    method: str = "post"
    fields: dict = field(default_factory=dict)  # name -> list of values seen on the page
    files: set = field(default_factory=set)


class _FormParser(HTMLParser):
    """The post forms of a page: their action and the names and values of their fields."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.current = Form(action=attrs.get("action") or self.page_url, method=method)
            self.forms.append(self.current)
            return
        if tag == "option" and self.current is not None and self.select:
            self.current.fields[self.select].append(attrs.get("value") or "")
            return
        if self.current is None or not attrs.get("name"):
            return
        name = attrs["name"]
        if name == "csrfmiddlewaretoken":
            return
        if tag == "input" and (attrs.get("type") or "").lower() == "file":
            self.current.files.add(name)
        elif tag in {"input", "textarea", "button"}:
            kind = "textarea" if tag == "textarea" else (attrs.get("type") or "text").lower()
            values = self.current.fields.setdefault(name, [])
            values.append(attrs.get("value") or "")
            if name in PLAUSIBLE_BY_NAME:  # a value the form takes, to get past its checks
                values.append(PLAUSIBLE_BY_NAME[name])
            elif kind in PLAUSIBLE:
                values.append(PLAUSIBLE[kind])
        elif tag == "select":
            self.select = name
            self.current.fields.setdefault(name, [])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def _url_name(path):
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _forms_of(url_name, url, rule, client, world):
    if rule.method == "post":
        data = rule.data(world) if callable(rule.data) else rule.data
        return [Form(action=url, fields={name: [value] for name, value in data.items()})]
    response = client.get(url)
    if response.status_code >= 300 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _FormParser(url)
    parser.feed(response.content.decode())
    return [
        form
        for form in parser.forms
        if _url_name(form.action) not in SKIPPED_ACTIONS
        # The forms of the base template are fuzzed on their own URL, not on every page.
        and (_url_name(form.action) not in BASE_TEMPLATE_ACTIONS or form.action == url)
        and (form.method == "post" or form.fields)
    ]


def _value(own_values):
    return st.one_of(
        st.sampled_from(own_values or [""]),
        st.sampled_from(EXTREMES),
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=50),
    )


class PostData(dict):
    """The posted values, with 100,000-character ones shortened in a failure report."""

    def __repr__(self):
        def short(value):
            text = repr(value)
            return text if len(text) < 80 else f"{text[:60]}… ({len(text)} characters)"

        return "{" + ", ".join(f"{name!r}: {short(value)}" for name, value in self.items()) + "}"


@st.composite
def _post_data(draw, form):
    """Half of the examples change one field and fill in the others as a person would, so
    that the extreme value gets past the other fields' checks into the service."""
    data = PostData()
    names = list(form.fields)
    changed = set(names)
    if names and draw(st.booleans()):
        changed = {draw(st.sampled_from(names))}
    for name, own_values in form.fields.items():
        if name not in changed:
            usable = [value for value in own_values if value]
            data[name] = usable[0] if usable else ""
            continue
        ways = ["one", "one", "one", "many", "leave out"]
        if form.method == "post":
            ways.append("a file")
        how = draw(st.sampled_from(ways))
        if how == "one":
            data[name] = draw(_value(own_values))
        elif how == "many":
            data[name] = draw(st.lists(_value(own_values), min_size=2, max_size=3))
        elif how == "a file":  # the wrong type: a file where text is expected
            data[name] = SimpleUploadedFile("bestand.txt", draw(st.binary(max_size=200)))
    for name in form.files:
        content = draw(st.binary(max_size=2_000))
        suffix = draw(st.sampled_from([".csv", ".xlsx", ".txt", ""]))
        data[name] = SimpleUploadedFile(f"bestand{suffix}", content)
    return data


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_no_form_answers_extreme_input_with_a_server_error(url_name, world, client):
    rule = MATRIX[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(world))
    # The same form seen by several roles is fuzzed once, with a role drawn per example.
    roles_by_form: dict[tuple, tuple[Form, list[str]]] = {}
    for role in sorted(rule.ok):
        _sign_in(client, _user(world, role))
        for form in _forms_of(url_name, url, rule, client, world):
            key = (form.method, form.action, tuple(sorted(form.fields)), tuple(sorted(form.files)))
            roles_by_form.setdefault(key, (form, []))[1].append(role)
    if not roles_by_form:
        pytest.skip("no form on this page")
    for form, roles in roles_by_form.values():
        _post_extremes(form, roles, world, client)
    assert not _text_with_nul(), "NUL characters were stored (PostgreSQL refuses them)"


def _user(world, role):
    return None if role == "anonymous" else world.people[role]


def _sign_in(client, user):
    if user:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    else:
        client.logout()


def _text_with_nul():
    """Stored text that holds a NUL character, which PostgreSQL would refuse.

    Read as stored (raw SQL): an encrypted field holds ciphertext, which PostgreSQL takes;
    and SQLite's LIKE ends a pattern at a NUL, so `__contains` cannot be used.
    """
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for model_field in model._meta.concrete_fields:
                if not isinstance(model_field, models.CharField | models.TextField):
                    continue
                column = connection.ops.quote_name(model_field.column)
                cursor.execute(f"SELECT {column} FROM {connection.ops.quote_name(table)}")  # noqa: S608
                if any(isinstance(v, str) and "\x00" in v for (v,) in cursor.fetchall()):
                    found.append(f"{model._meta.label}.{model_field.name}")
    return found


def _post_extremes(form, roles, world, client):
    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        derandomize=True,
        database=None,
        # Shrinking would post the failing form hundreds of times more; the report
        # already names the form, the role and the values.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(role=st.sampled_from(roles), data=_post_data(form))
    def post(role, data):
        _sign_in(client, _user(world, role))  # a form may have signed the client out or in
        response = getattr(client, form.method)(form.action, data)
        assert response.status_code < 500, f"{role}: {form.action} answered {response.status_code}"

    try:
        post()
    except BaseException as error:
        error.add_note(f"sending the form to {form.method.upper()} {form.action}")
        raise


def test_open_registration_answers_extreme_input_without_a_server_error(world, client):
    """Open programmes are the one form anyone on the internet can post."""
    from kring.programmes.models import Programme

    programme = world.programme
    programme.visibility = Programme.Visibility.OPEN
    programme.status = Programme.Status.REGISTRATION_OPEN
    programme.registration_token = "open-to-everyone"
    programme.save()
    url = reverse("programmes:page", kwargs={"token": programme.registration_token})
    forms = _forms_of("programmes:page", url, MATRIX["programmes:page"], client, world)
    assert [form.action for form in forms] == [url]
    _post_extremes(forms[0], ["anonymous"], world, client)
    assert not _text_with_nul(), "NUL characters were stored (PostgreSQL refuses them)"
