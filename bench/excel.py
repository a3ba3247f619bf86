"""The import and export scenarios and their baselines.

Export: the product's own enterprise export (GET /enterprises/export/ as a province official)
against a bare XlsxWriter loop over tuples fetched with one SQL statement (the floor) and
against django-import-export's ModelResource. Import: the monitoring import through the
services the upload page and its Celery tasks call, against django-import-export with its
defaults and tuned (use_bulk, batch_size, skip_diff). Imports run inside a transaction that is
rolled back, on throwaway firms made by PostgreSQL, so every repetition starts alike.
"""

import io
import uuid

import pgtrigger
import tablib
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.test import Client
from import_export import fields, resources, widgets
from openpyxl import Workbook

from accounts.choices import Role
from accounts.models import User
from gansu_sme.excel import XLSX_CONTENT_TYPE
from registry.choices import ImportKind, ImportStatus
from registry.imports import MONITORING_COLUMNS, PERIOD_KIND_LABELS
from registry.models import Enterprise, Industry, IndustryClass, MonitoringReport, Region
from registry.services import (
    import_job_confirm,
    import_job_create,
    import_job_run,
    import_job_validate,
)

COUNTY = "620102"
IMPORT_YEAR = 2024
# One annual report per firm, shaped like the figures county officials keep.
FIGURES = {
    "operating_revenue": 2400.5, "main_business_revenue": 2300.25, "output_value": 2500,
    "taxes": 96.4, "total_profit": 180, "net_profit": 150.75, "total_assets": 3600,
    "total_liabilities": 1500, "employees": 320, "rd_staff": 40, "rd_expense": 110.3,
    "patents_class1": 3, "patents_class2": 12, "land_area": 45.5, "energy_consumption": 860,
    "export_value": 0, "safety_incidents": 0, "quality_incidents": 0,
    "environmental_incidents": 0, "uses_digital_rd_tools": "是", "cnc_ratio": 62.5,
    "uses_cloud": "是", "uses_ecommerce": "否",
}


# --- export -----------------------------------------------------------------------------------

def export_product(client: Client, region: str) -> int:
    response = client.get("/enterprises/export/", {"region": region})
    if response.status_code != 200:
        raise RuntimeError(f"export answered {response.status_code}")
    content = getattr(response, "streaming_content", None)
    return sum(len(c) for c in content) if content is not None else len(response.content)


EXPORT_SQL = """
SELECT e.uscc, e.name, e.legal_representative, e.founded_on, r.code || ' ' || r.name,
       COALESCE(c.code || ' ' || c.name, i.code || ' ' || i.name), e.main_products,
       e.niche_market, e.address, e.contact_name, e.contact_phone, e.contact_email,
       CASE WHEN e.is_active THEN '在册' ELSE '已停用' END, e.size_class,
       CASE WHEN e.is_above_scale THEN '是' ELSE '否' END, e.figures_year, e.updated_at
FROM {enterprise} e
JOIN {region} r ON r.id = e.region_id
JOIN {industry} i ON i.id = e.industry_id
LEFT JOIN {industry_class} c ON c.id = e.industry_class_id
WHERE r.path LIKE %s
ORDER BY e.name, e.id
"""
EXPORT_HEADERS = [
    "统一社会信用代码", "企业名称", "法定代表人", "成立日期", "所在地区", "所属行业", "主导产品",
    "细分市场", "地址", "联系人", "联系电话", "电子邮箱", "状态", "企业规模", "规上企业",
    "规模依据年度", "更新时间",
]


def export_bare(region: str) -> int:
    """The floor: one server-side cursor, XlsxWriter in constant-memory mode, no per-row code
    beyond writing the cells."""
    prefix = Region.objects.get(code=region).path
    sql = EXPORT_SQL.format(
        enterprise=Enterprise._meta.db_table, region=Region._meta.db_table,
        industry=Industry._meta.db_table, industry_class=IndustryClass._meta.db_table,
    )
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet("企业名录")
    sheet.write_row(0, 0, EXPORT_HEADERS)
    row = 0
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, [prefix + "%"])
        while batch := cursor.fetchmany(2000):
            for values in batch:
                row += 1
                sheet.write_row(row, 0, [
                    v.replace(tzinfo=None) if hasattr(v, "tzinfo") and v.tzinfo else v
                    for v in values
                ])
    book.close()
    return buffer.tell()


class EnterpriseExportResource(resources.ModelResource):
    """django-import-export's export of the same columns, as its documentation writes one."""

    region = fields.Field(column_name="所在地区")
    industry = fields.Field(column_name="所属行业")

    class Meta:
        model = Enterprise
        fields = (
            "uscc", "name", "legal_representative", "founded_on", "region", "industry",
            "main_products", "niche_market", "address", "contact_name", "contact_phone",
            "contact_email", "is_active", "size_class", "is_above_scale", "figures_year",
            "updated_at",
        )
        export_order = fields

    def dehydrate_region(self, enterprise):
        return f"{enterprise.region.code} {enterprise.region.name}"

    def dehydrate_industry(self, enterprise):
        chosen = enterprise.industry_class or enterprise.industry
        return f"{chosen.code} {chosen.name}"


def export_import_export(region: str) -> int:
    prefix = Region.objects.get(code=region).path
    queryset = (
        Enterprise.objects.filter(region__path__startswith=prefix)
        .select_related("region", "industry", "industry_class").order_by("name", "id")
    )
    data = EnterpriseExportResource().export(queryset=queryset)
    return len(data.export("xlsx"))


# --- import -----------------------------------------------------------------------------------

def import_codes(rows: int) -> list[str]:
    return [f"91{COUNTY}BN{i:08d}" for i in range(rows)]


def import_workbook(rows: int) -> bytes:
    """The monitoring template filled with one annual report per throwaway firm."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("运行监测")
    sheet.append([c.header for c in MONITORING_COLUMNS])
    figures = [FIGURES[c.key] for c in MONITORING_COLUMNS[5:]]
    for i, code in enumerate(import_codes(rows)):
        sheet.append([code, f"基准导入企业{i:06d}", IMPORT_YEAR, "年报", None, *figures])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_setup(rows: int) -> User:
    """The firms the workbook names and a county account, made by PostgreSQL inside the
    caller's transaction; their own history is not what is measured."""
    region = Region.objects.get(code=COUNTY)
    industry = Industry.objects.get(code="C35")
    actor = User.objects.create(
        username=f"bench-{uuid.uuid4().hex[:8]}", role=Role.COUNTY_STAFF, region=region
    )
    with pgtrigger.ignore("registry.Enterprise:insert_insert"), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Enterprise._meta.db_table}
                (uscc, name, legal_representative, founded_on, region_id, industry_id,
                 main_products, niche_market, address, contact_name, contact_phone,
                 contact_email, is_active, size_class, is_above_scale, created_at, updated_at)
            SELECT '91' || %s || 'BN' || lpad(i::text, 8, '0'),
                   '基准导入企业' || lpad(i::text, 6, '0'), '张伟', DATE '2012-05-18', %s, %s,
                   '矿山专用设备', '', '', '', '', '', TRUE, '', FALSE, NOW(), NOW()
            FROM generate_series(0, %s - 1) AS i
            """,
            [COUNTY, region.pk, industry.pk, rows],
        )
        cursor.execute(f"ANALYZE {Enterprise._meta.db_table}")
    return actor


def import_product(actor: User, content: bytes, rows: int) -> int:
    upload = SimpleUploadedFile("运行监测.xlsx", content, content_type=XLSX_CONTENT_TYPE)
    job = import_job_create(actor=actor, kind=ImportKind.MONITORING, upload=upload)
    # Above the Celery threshold the task is enqueued on commit, which never comes here: the
    # steps the tasks run, in their order.
    job = import_job_validate(job_id=job.pk)
    if job.status != ImportStatus.READY:
        raise RuntimeError(f"validation failed: {job.status} {job.errors[:3]}")
    job = import_job_confirm(actor=actor, job=job)
    job = import_job_run(job_id=job.pk)
    if job.status != ImportStatus.DONE or job.summary["created"] != rows:
        raise RuntimeError(f"import failed: {job.status} {job.summary}")
    job.file.storage.delete(job.file.name)
    return rows


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return {"是": True, "否": False}.get(value)


class PeriodKindWidget(widgets.Widget):
    kinds = {label: kind for kind, label in PERIOD_KIND_LABELS}

    def clean(self, value, row=None, **kwargs):
        return self.kinds[value]


def _figure_field(column) -> fields.Field:
    model_field = MonitoringReport._meta.get_field(column.key)
    if isinstance(model_field, models.BooleanField):
        widget = YesNoWidget()
    elif isinstance(model_field, models.DecimalField):
        widget = widgets.DecimalWidget()
    else:
        widget = widgets.IntegerWidget()
    return fields.Field(attribute=column.key, column_name=column.header, widget=widget)


def monitoring_resource(actor: User, **options) -> resources.ModelResource:
    """A ModelResource for the monitoring template's columns, reports keyed by firm and period;
    ``options`` are its Meta settings (use_bulk, batch_size, skip_diff)."""
    key = {c.key: c.header for c in MONITORING_COLUMNS[:5]}
    attrs = {
        "enterprise": fields.Field(
            attribute="enterprise", column_name=key["uscc"],
            widget=widgets.ForeignKeyWidget(Enterprise, field="uscc"),
        ),
        "year": fields.Field(attribute="year", column_name=key["year"],
                             widget=widgets.IntegerWidget()),
        "period_kind": fields.Field(attribute="period_kind", column_name=key["period_kind"],
                                    widget=PeriodKindWidget()),
        **{c.key: _figure_field(c) for c in MONITORING_COLUMNS[5:]},
    }

    def before_save_instance(self, instance, row, **kwargs):
        instance.created_by = actor
        instance.period = 0

    meta = type("Meta", (), {
        "model": MonitoringReport,
        "fields": tuple(attrs),
        "import_id_fields": ("enterprise", "period_kind", "year"),
        **options,
    })
    attrs.update(Meta=meta, before_save_instance=before_save_instance)
    return type("MonitoringResource", (resources.ModelResource,), attrs)()


IMPORT_EXPORT_TUNED = {"use_bulk": True, "batch_size": 1000, "skip_diff": True}


def import_import_export(actor: User, content: bytes, rows: int, **options) -> int:
    dataset = tablib.Dataset().load(content, format="xlsx")
    result = monitoring_resource(actor, **options).import_data(
        dataset, dry_run=False, raise_errors=True
    )
    if result.totals["new"] != rows:
        raise RuntimeError(f"django-import-export wrote {dict(result.totals)}")
    return rows


def in_rollback(rows: int, run):
    """Run ``run(actor)`` on fresh throwaway firms and roll everything back."""
    with transaction.atomic():
        actor = import_setup(rows)
        try:
            return run(actor)
        finally:
            transaction.set_rollback(True)
