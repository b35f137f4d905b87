"""Unit tests: handlers on fakes (tests/unit/fakes.py). Nothing here starts a server: the
session fixtures of tests/conftest.py are lazy and no unit test asks for them."""
