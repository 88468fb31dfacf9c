"""The shared fixtures are in testing/fixtures.py (a plugin, registered here); helpers in testing/."""

pytest_plugins = ["testing.fixtures"]
