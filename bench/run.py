"""The run: datasets, scenarios, alternation, memory children, results.json and results.md."""

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.test import Client, override_settings
from rest_framework.pagination import Cursor

from bench import excel
from bench.datasets import Datasets
from bench.timing import Variant, alternate, ratio
from gansu_sme.lists import PAGE_SIZE, decode_cursor, encode_cursor

API_QUERY = {"region": "620100", "industry": "C", "ordering": "name"}
SEARCH = "科技"
DEEP_ROWS = 500_000


class Run:
    def __init__(self, *, enterprises: int, repeat: int, warmup: bool, import_rows: int,
                 export_rows: int, memory: bool, template: str | None, light: bool,
                 output: Path, log=print):
        self.data = Datasets(enterprises=enterprises, template=template, light=light, log=log)
        self.repeat = repeat
        self.warmup = warmup
        self.import_rows = import_rows
        self.export_rows = export_rows
        self.memory = memory
        self.output = output
        self.log = log
        self.clients: dict[tuple[str, str], Client] = {}
        self.results: dict[str, dict] = {}

    # --- helpers --------------------------------------------------------------------------------

    def client(self, db: str, username: str) -> Client:
        """One signed-in client per database and account; its session lives in that database."""
        from accounts.models import User

        key = (db, username)
        if key not in self.clients:
            self.data.use(db)
            client = Client(raise_request_exception=True)
            client.force_login(User.objects.get(username=username))
            self.clients[key] = client
        return self.clients[key]

    def get(self, db: str, username: str, url: str):
        def run():
            self.data.use(db)
            response = self.client(db, username).get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            content = getattr(response, "streaming_content", None)
            return len(b"".join(content)) if content is not None else len(response.content)
        return run

    def deep_url(self, db: str, depth: int) -> str:
        """The enterprise list's page ``depth`` rows deep, named as the list's own next link
        names a page: the link on page 1 gives the cursor's order, the row ``depth`` deep in
        that order gives its values."""
        from registry.models import Enterprise

        self.data.use(db)
        html = self.client(db, "province").get("/enterprises/").content.decode()
        found = re.search(r'[?&]cursor=([A-Za-z0-9_-]+)', html)
        if depth <= 0 or found is None:
            return "/enterprises/"
        cursor = decode_cursor(found.group(1))
        fields = [field.removeprefix("-") for field in cursor["order"]]
        boundary = Enterprise.objects.order_by(*cursor["order"]).values_list(*fields)[depth - 1]
        cursor.update(after=[str(value) for value in boundary], number=depth // PAGE_SIZE + 1)
        return "/enterprises/?" + urlencode({"cursor": encode_cursor(**cursor)})

    def on(self, db: str, fn, *args, **kwargs):
        def run():
            self.data.use(db)
            return fn(*args, **kwargs)
        return run

    def record(self, key: str, title: str, group: str, variants: list[Variant], *,
               ratios: dict[str, tuple[str, str]], goal: str | None = None,
               met=None, **extra):
        by_name = {v.name: v for v in variants}
        computed = {label: ratio(by_name[a], by_name[b]) for label, (a, b) in ratios.items()}
        entry = {
            "title": title, "group": group,
            "variants": {v.name: v.summary() for v in variants},
            "ratios": computed, "goal": goal,
            "met": met(by_name, computed) if met and all(
                v is not None for v in computed.values()) else None,
            **extra,
        }
        self.results[key] = entry
        shown = ", ".join(f"{k} {v}" for k, v in computed.items())
        self.log(f"  {title}: " + ", ".join(
            f"{v.name} {statistics.median(v.seconds):.3f} s" if v.seconds else
            f"{v.name} FAILED ({v.error})" for v in variants) + (f"; {shown}" if shown else ""))

    # --- scenarios ------------------------------------------------------------------------------

    def pages(self):
        from registry.choices import PeriodKind
        from registry.models import Enterprise, MonitoringReport

        self.data.use(self.data.full)
        year = MonitoringReport.objects.filter(period_kind=PeriodKind.YEAR).order_by(
            "-year").values_list("year", flat=True).first()
        deep_page = {}
        for db in (self.data.demo, self.data.full):
            self.data.use(db)
            rows = min(999 * PAGE_SIZE, Enterprise.objects.count() - 1)
            deep_page[db] = self.deep_url(db, rows // PAGE_SIZE * PAGE_SIZE)
        pages = [
            ("monitoring_list_province", "monitoring list, page 1, province", "province",
             lambda db: "/enterprises/monitoring/"),
            ("dashboard_province", "province dashboard `/`", "province", lambda db: "/"),
            ("targets_province", "targets progress, province", "province",
             lambda db: "/enterprises/targets/"),
            ("monitoring_year_flagged", f"monitoring list, year {year} flagged", "province",
             lambda db: f"/enterprises/monitoring/?year={year}&flagged=true"),
            ("enterprise_list_deep", "enterprise list, page 1,000 (or last), province",
             "province", lambda db: deep_page[db]),
            ("dashboard_county", "county dashboard `/` (城关区)", "chengguan", lambda db: "/"),
            ("enterprise_search", f"enterprise search “{SEARCH}”", "province",
             lambda db: "/enterprises/?" + urlencode({"search": SEARCH})),
            ("certificates_province", "certificates list, province", "province",
             lambda db: "/certification/certificates/"),
            ("enterprise_list_page1", "enterprise list page 1", "province",
             lambda db: "/enterprises/"),
        ]
        for key, title, user, url in pages:
            variants = [
                Variant("demo", self.get(self.data.demo, user, url(self.data.demo))),
                Variant("full", self.get(self.data.full, user, url(self.data.full))),
            ]
            alternate(variants, repeat=self.repeat, warmup=self.warmup)

            def met(v, r):
                return statistics.median(v["full"].seconds) <= max(
                    2 * statistics.median(v["demo"].seconds), 0.3)
            self.record(key, title, "page", variants, ratios={"full/demo": ("full", "demo")},
                        goal="full ≤ max(2 × demo, 0.3 s)", met=met,
                        urls={"demo": url(self.data.demo), "full": url(self.data.full)})

    def api(self):
        full = self.data.full
        query = "?" + urlencode(API_QUERY)
        variants = [
            Variant("product", self.get(full, "province", "/api/v1/enterprises/" + query)),
            Variant("drf_reference",
                    self.get(full, "province", "/bench/reference/enterprises/" + query)),
            Variant("raw_sql", self.get(full, "province", "/bench/raw/enterprises/" + query)),
        ]
        alternate(variants, repeat=self.repeat, warmup=self.warmup)
        self.record(
            "api_enterprises", "enterprise API page 1 (region, industry, ordering)", "api",
            variants, ratios={"product/drf_reference": ("product", "drf_reference"),
                              "product/raw_sql": ("product", "raw_sql")},
            goal="product ≤ 0.5 × plain DRF ModelViewSet",
            met=lambda v, r: r["product/drf_reference"] <= 0.5, query=API_QUERY,
        )

    def deep(self):
        from gansu_sme.api.pagination import StableCursorPagination
        from registry.models import Enterprise

        full = self.data.full
        self.data.use(full)
        total = Enterprise.objects.count()
        depth = max(0, min(DEEP_ROWS, total - PAGE_SIZE))
        page = depth // PAGE_SIZE + 1
        variants = [
            Variant("page_1", self.get(full, "province", "/enterprises/")),
            Variant("deep", self.get(full, "province", self.deep_url(full, depth))),
        ]
        alternate(variants, repeat=self.repeat, warmup=self.warmup)
        self.record("deep_page_html", f"enterprise list, page {page:,} ({depth:,} rows deep) "
                    "vs page 1", "deep", variants, ratios={"deep/page_1": ("deep", "page_1")},
                    goal="deep ≤ 1.5 × page 1", met=lambda v, r: r["deep/page_1"] <= 1.5,
                    depth=depth)

        # The API's keyset cursor as its own next links carry it, cut at the row `depth` deep
        # of its default order (credit code, then id).
        boundary = Enterprise.objects.order_by("uscc", "id").values_list("uscc", "id")[depth]
        paginator = StableCursorPagination()
        paginator.base_url = "/api/v1/enterprises/"
        paginator.ordering = ("uscc", "id")
        deep_url = paginator.encode_cursor(
            Cursor(offset=0, reverse=False, position=[boundary[0], str(boundary[1])])
        )
        variants = [
            Variant("page_1", self.get(full, "province", "/api/v1/enterprises/")),
            Variant("deep", self.get(full, "province", deep_url)),
        ]
        alternate(variants, repeat=self.repeat, warmup=self.warmup)
        self.record("deep_page_api", f"enterprise API, cursor {depth:,} rows deep vs page 1",
                    "deep", variants, ratios={"deep/page_1": ("deep", "page_1")},
                    goal="deep ≤ 1.5 × page 1", met=lambda v, r: r["deep/page_1"] <= 1.5,
                    depth=depth)

    def export_region(self, target: int) -> tuple[str, int]:
        """The region whose firms come nearest ``target`` rows (the whole province if it holds
        fewer)."""
        from registry.models import Enterprise, Region

        self.data.use(self.data.full)
        counts = {}
        for region in Region.objects.all():
            counts[region.code] = None, region.path
        by_path = dict(
            Enterprise.objects.values_list("region__path").annotate(n=Count("id"))
        )
        sized = {
            code: sum(n for p, n in by_path.items() if p.startswith(path))
            for code, (_, path) in counts.items()
        }
        code = min(sized, key=lambda c: (abs(sized[c] - target), -sized[c]))
        return code, sized[code]

    def export(self):
        full = self.data.full
        region, rows = self.export_region(self.export_rows)
        province = self.client(full, "province")
        variants = [
            Variant("product", self.on(full, excel.export_product, province, region)),
            Variant("bare_xlsxwriter", self.on(full, excel.export_bare, region)),
            Variant("django_import_export", self.on(full, excel.export_import_export, region)),
        ]
        alternate(variants, repeat=self.repeat, warmup=False)
        self.record(
            "export", f"enterprise export, {rows:,} rows (region {region})", "export", variants,
            ratios={"product/bare_xlsxwriter": ("product", "bare_xlsxwriter"),
                    "django_import_export/product": ("django_import_export", "product")},
            goal="product ≤ 1.2 × bare loop and django-import-export ≥ 5 × product",
            met=lambda v, r: r["product/bare_xlsxwriter"] <= 1.2
            and r["django_import_export/product"] >= 5,
            rows=rows, region=region,
            memory=self.memory_children("export", {"region": region}, [
                "product", "bare_xlsxwriter", "django_import_export"]),
        )
        if self.memory:
            small, small_rows = self.export_region(10_000)
            flat = self.memory_children("export", {"region": small}, ["product"])
            self.results["export"]["memory_small"] = {"rows": small_rows, **flat}

    def import_(self):
        full = self.data.full
        rows = self.import_rows
        content = excel.import_workbook(rows)

        def product(actor):
            return excel.import_product(actor, content, rows)

        def default(actor):
            return excel.import_import_export(actor, content, rows)

        def tuned(actor):
            return excel.import_import_export(actor, content, rows, **excel.IMPORT_EXPORT_TUNED)

        # The firms are made untimed, in the transaction the timed import then runs in.
        variants = [
            Variant(name, self._in_rollback(full, rows, fn), timed_inside=True)
            for name, fn in (("product", product), ("django_import_export_default", default),
                             ("django_import_export_tuned", tuned))
        ]
        alternate(variants, repeat=self.repeat, warmup=False)
        with tempfile.TemporaryDirectory() as folder:
            self._import_record(variants, rows, content, Path(folder))

    def _import_record(self, variants, rows, content, folder):
        """The figures, with the memory children reading the workbooks from ``folder``."""
        path = folder / "monitoring.xlsx"
        path.write_bytes(content)
        self.record(
            "import", f"monitoring import, {rows:,} annual reports", "import", variants,
            ratios={"django_import_export_default/product": (
                        "django_import_export_default", "product"),
                    "django_import_export_tuned/product": (
                        "django_import_export_tuned", "product")},
            goal="product ≥ 10 × django-import-export default and ≥ 3 × tuned",
            met=lambda v, r: r["django_import_export_default/product"] >= 10
            and r["django_import_export_tuned/product"] >= 3,
            rows=rows,
            rows_per_s={v.name: round(rows / statistics.median(v.seconds))
                        for v in variants if v.seconds},
            memory=self.memory_children("import", {"rows": rows, "workbook": str(path)}, [
                "product", "django_import_export_default", "django_import_export_tuned"]),
        )
        if self.memory:
            big = rows * 10
            big_path = folder / "big.xlsx"
            big_path.write_bytes(excel.import_workbook(big))
            flat = self.memory_children("import", {"rows": big, "workbook": str(big_path)},
                                        ["product"])
            self.results["import"]["memory_large"] = {"rows": big, **flat}

    def _in_rollback(self, db, rows, fn):
        """Timed: only ``fn``; the throwaway firms are made inside the same transaction."""
        def run():
            from django.db import transaction

            self.data.use(db)
            with transaction.atomic():
                actor = excel.import_setup(rows)
                start = time.perf_counter()
                try:
                    fn(actor)
                    return time.perf_counter() - start
                finally:
                    transaction.set_rollback(True)
        return run

    def memory_children(self, kind: str, args: dict, variants: list[str]) -> dict:
        """Each variant once more in a child process of its own: its peak resident set size
        (VmHWM) and what it held before the work started."""
        if not self.memory:
            return {}
        out = {}
        for variant in variants:
            command = [sys.executable, "-m", "bench.child", kind, variant,
                       "--db", self.data.full, *(
                           x for k, v in args.items() for x in (f"--{k}", str(v)))]
            done = subprocess.run(command, capture_output=True, text=True,
                                  cwd=settings.BASE_DIR, env=os.environ)
            if done.returncode:
                out[variant] = {"error": done.stderr.strip().splitlines()[-1:]}
            else:
                out[variant] = json.loads(done.stdout.strip().splitlines()[-1])
        self.log(f"    memory: {out}")
        return out

    # --- the whole --------------------------------------------------------------------------------

    def run(self, only: set[str] | None = None) -> dict:
        self.started = time.perf_counter()
        self.data.prepare()
        previous = self.output / "results.json"
        if only and previous.exists():
            # Some scenarios again: the others keep their figures from the last run on the same
            # databases.
            document = json.loads(previous.read_text())
            if document.get("datasets", {}).get("full", {}).get("database") == self.data.full:
                self.results = document["scenarios"]
        steps = {"pages": self.pages, "api": self.api, "deep": self.deep,
                 "export": self.export, "import": self.import_}
        with override_settings(ROOT_URLCONF="bench.reference", DEBUG=False,
                               ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for name, step in steps.items():
                if only and name not in only:
                    continue
                self.log(f"{name}:")
                step()
                # After each step, so a run cut short still leaves what it measured.
                self.write()
        document = self.write()
        self.log(self.markdown)
        return document

    def write(self) -> dict:
        from bench.report import markdown
        from registry.models import Enterprise, MonitoringReport

        if not hasattr(self, "sizes"):
            self.sizes = {}
            for label, db in (("demo", self.data.demo), ("full", self.data.full)):
                self.data.use(db)
                self.sizes[label] = {
                    "database": db, "enterprises": Enterprise.objects.count(),
                    "monitoring_reports": MonitoringReport.objects.count(),
                }
        document = {
            "machine": machine(),
            "datasets": self.sizes,
            "seeded_enterprises": self.data.enterprises,
            "repeat": self.repeat,
            "warmup": self.warmup,
            "seconds": round(time.perf_counter() - self.started, 1),
            "scenarios": self.results,
        }
        self.output.mkdir(parents=True, exist_ok=True)
        (self.output / "results.json").write_text(
            json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        self.markdown = markdown(document)
        (self.output / "results.md").write_text(self.markdown)
        return document


def machine() -> dict:
    import multiprocessing

    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": multiprocessing.cpu_count(),
        "cpu": _cpu_name(),
        "load_average": load,
        "note": "2 cores shared with other work; timings in-process (django.test.Client)",
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()
