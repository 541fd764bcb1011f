"""The group fixtures, for the mails a published group sends."""

from tests.groups.conftest import compose, pool  # noqa: F401
