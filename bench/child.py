"""One import or export variant in a process of its own, for its peak memory:
``python -m bench.child export product --db NAME --region 620100`` prints one JSON line with
the seconds, the resident set size before the work and the process's peak (VmHWM; see
_high_water_mark)."""

import argparse
import json
import os
import resource
import time
from pathlib import Path

import django
import psutil


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["export", "import"])
    parser.add_argument("variant")
    parser.add_argument("--db", required=True)
    parser.add_argument("--region")
    parser.add_argument("--rows", type=int)
    parser.add_argument("--workbook")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gansu_sme.settings")
    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.test import Client, override_settings

    from accounts.models import User
    from bench import excel

    connections["default"].settings_dict["NAME"] = args.db
    with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        if args.kind == "export":
            client = Client(raise_request_exception=True)
            client.force_login(User.objects.get(username="province"))
            work = {
                "product": lambda: excel.export_product(client, args.region),
                "bare_xlsxwriter": lambda: excel.export_bare(args.region),
                "django_import_export": lambda: excel.export_import_export(args.region),
            }[args.variant]
            before = psutil.Process().memory_info().rss
            start = time.perf_counter()
            work()
            took = time.perf_counter() - start
        else:
            content = Path(args.workbook).read_bytes()
            rows = args.rows
            options = excel.IMPORT_EXPORT_TUNED if args.variant.endswith("tuned") else {}
            work = (
                (lambda actor: excel.import_product(actor, content, rows))
                if args.variant == "product"
                else (lambda actor: excel.import_import_export(actor, content, rows, **options))
            )
            from django.db import transaction

            with transaction.atomic():
                actor = excel.import_setup(rows)
                before = psutil.Process().memory_info().rss
                start = time.perf_counter()
                work(actor)
                took = time.perf_counter() - start
                transaction.set_rollback(True)
    peak = _high_water_mark()
    mib = 2**20
    print(json.dumps({
        "seconds": round(took, 3),
        "rss_before_mib": round(before / mib, 1),
        "peak_mib": round(peak / mib, 1),
        "growth_mib": round((peak - before) / mib, 1),
        "ru_maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


def _high_water_mark() -> int:
    """This process's peak RSS in bytes. Linux carries ru_maxrss over fork and exec, so a child
    started by a 400 MiB parent reports at least 400 MiB whatever it did; VmHWM belongs to the
    process's own address space and starts afresh at exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    main()
