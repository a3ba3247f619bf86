"""Many callers at once on PostgreSQL: real threads, each on its own database connection."""

import threading
from concurrent.futures import ThreadPoolExecutor


def run_together(count, work, timeout=60):
    """Call ``work(index)`` from ``count`` threads released together; return, in index order,
    each call's result or the exception it raised.

    A barrier holds every thread until all are ready, so the calls really overlap. Each thread
    closes its connection when done: one left open would block the test database's teardown.
    """
    from django.db import connection

    barrier = threading.Barrier(count)

    def one(index):
        try:
            barrier.wait(timeout=timeout)
            return work(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(one, index) for index in range(count)]
        return [future.exception(timeout) or future.result() for future in futures]
