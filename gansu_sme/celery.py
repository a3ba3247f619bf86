"""The Celery application; configuration comes from Django settings (CELERY_* names).

Every pool process caps its own address space when it starts (``IMPORT_WORKER_MEMORY_MB``):
a task that asks for more (a hostile workbook past every check) gets a MemoryError and fails
alone, instead of the host swapping or the kernel's OOM killer choosing a victim.
"""

import os
import resource

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gansu_sme.settings")

app = Celery("gansu_sme")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def memory_cap_bytes():
    """The address space allowed to one pool process, from settings (0: no cap)."""
    from django.conf import settings

    return settings.IMPORT_WORKER_MEMORY_MB * 1024 * 1024


@worker_process_init.connect
def _cap_memory(**kwargs):
    cap = memory_cap_bytes()
    if cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
