"""The text of a notice (公示) as printed: official Chinese whatever the page's language."""

import datetime

from certification.documents import official_date, region_label
from gansu_sme.workdays import working_days_between


def notice_document_text(notice) -> dict:
    """The lines of the printed notice around its table of firms (``notice.firms``)."""
    # The first day counts when it is a working day (certification.services.notices).
    days = working_days_between(notice.starts_on - datetime.timedelta(days=1), notice.ends_on)
    return {
        "period": (
            f"公示期：{official_date(notice.starts_on)}至{official_date(notice.ends_on)}"
            f"（{days}个工作日）。"
        ),
        "objections": (
            f"公示期内，任何单位和个人对公示企业有异议的，请以书面形式实名向{notice.issuer}反映，"
            "并提供必要的证明材料。逾期不予受理。"
        ),
        "contact": f"联系人：{notice.contact_person}　联系电话：{notice.telephone}",
        "issuer": notice.issuer,
        "dated": official_date(notice.published_on),
        "rows": [
            {
                "index": index,
                "name": firm.enterprise.name,
                "uscc": firm.enterprise.uscc,
                "region": region_label(firm.enterprise.region),
                "industry": firm.enterprise.industry.name,
                "main_products": firm.enterprise.main_products,
            }
            for index, firm in enumerate(notice.firms, start=1)
        ],
    }
