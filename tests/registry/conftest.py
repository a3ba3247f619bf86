import pytest


@pytest.fixture(autouse=True)
def _tasks_run_at_once(tasks_run_at_once):
    """Imports are read and written by tasks; here they run at once, in the test's process."""
