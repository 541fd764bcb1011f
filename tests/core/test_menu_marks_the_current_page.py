import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _current(html):
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


def test_the_menu_marks_the_page_you_are_on(world, login):
    client = login(world.people["participant"])
    assert _current(client.get(reverse("core:dashboard")).content.decode()) == ["/"]
    on_calendar = client.get(reverse("planning:calendar")).content.decode()
    assert _current(on_calendar) == [reverse("planning:calendar")]
