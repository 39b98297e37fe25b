import pytest

# tests.worker is also loaded as a plugin (pytest_plugins): registered before the modules here
# import it, it is rewritten like one, and pytest does not warn that it was imported first.
pytest.register_assert_rewrite("tests.worker")
