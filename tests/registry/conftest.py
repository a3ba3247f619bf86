import pytest

from reports import tasks


@pytest.fixture(autouse=True)
def sent(monkeypatch):
    """The notifications of refused credit codes handed to the broker, as (enterprise id, actor
    id) per attempt; a refusal sends them at once, so no test here reaches the real broker."""
    calls = []
    monkeypatch.setattr(
        tasks.notifications_credit_code_claimed_task, "delay", lambda *args: calls.append(args)
    )
    return calls


@pytest.fixture(autouse=True)
def _tasks_run_at_once(tasks_run_at_once):
    """Imports are read and written by tasks; here they run at once, in the test's process."""
