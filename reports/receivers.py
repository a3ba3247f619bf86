"""Reactions to lower apps' domain events; each hands one idempotent service call to a task."""

from reports import tasks


def on_credit_code_claimed(sender, enterprise_id, actor_id, **kwargs):
    # Announced on a refusal, whose transaction is rolled back: the task is sent to the broker
    # now, not on commit, and writes in a transaction of its own.
    tasks.notifications_credit_code_claimed_task.delay(enterprise_id, actor_id)
