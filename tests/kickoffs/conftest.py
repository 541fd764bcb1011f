"""Kick-off tests use the `plan_kickoff` fixture of tests/conftest.py."""
