"""Read paths of Excel imports: an uploader sees their own jobs only."""

from django.db.models import QuerySet

from accounts.models import User
from gansu_sme.exceptions import OutOfScope
from registry.models import ImportJob

RECENT_JOBS = 20


def _jobs(user):
    jobs = ImportJob.objects.all()
    return jobs if user.is_superuser else jobs.filter(uploaded_by=user)


def import_job_list(*, user: User) -> QuerySet[ImportJob]:
    """The user's most recent import jobs, newest first."""
    return _jobs(user).defer("errors")[:RECENT_JOBS]


def import_job_get(*, user: User, pk: int) -> ImportJob:
    """One of the user's jobs; another user's job is not found, as if it did not exist."""
    job = _jobs(user).filter(pk=pk).first()
    if job is None:
        raise OutOfScope()
    return job
