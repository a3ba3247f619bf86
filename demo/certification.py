"""Demo certification data: experts, and campaigns at every stage of the workflow.

Everything is written through the certification services with the demo accounts (county
chengguan, cities lanzhou and tianshui, the provincial reviewer, the experts), so every
application carries its transitions, evaluations, draws and score sheets as if officials had
worked it:

- the current provincial campaign has applications in every status of its workflow (draft,
  returned to the county, submitted, reviewed, recommended, accepted, under expert review with
  part of the sheets in, approved, rejected, in an open notice with an objection pending,
  certified, withdrawn);
- the 2024 provincial campaign is concluded: its notice closed in June 2024 and its
  certificates were issued, one of them since revoked;
- two certificates of the 2023 round, recognised before the platform, are entered as issued:
  one has expired, the other expires soon and is renewed by the re-review (复核) campaign;
- the little-giant campaign's notice has closed: one national recommendation awaits MIIT, the
  other is recorded as recognised, with its national certificate.

Firms are demo enterprises whose verified figures pass the pre-check (the demo monitoring
figures decide which), taken in credit-code order, so every run picks the same ones.

Services publish a notice from today on; the rounds that are already concluded have their
notice's dates moved back before it is closed with ``today`` set after its end (the services'
own argument), so their certificates carry the dates of that round.

Runs once: with the current campaign present, nothing is written.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pghistory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from certification.choices import (
    CAMPAIGN_RULESET_KIND,
    ApplicationStatus,
    AttachmentKind,
    CampaignKind,
    CertificateLevel,
    ConflictRule,
    Outcome,
    RevocationReason,
    RuleSetKind,
)
from certification.models import (
    Application,
    Campaign,
    Certificate,
    Expert,
    NationalRecommendation,
    Notice,
)
from certification.selectors import ruleset_current
from certification.services import applications as filing
from certification.services.attachments import attachment_add
from certification.services.campaigns import campaign_create, campaign_update
from certification.services.certificates import (
    add_years,
    certificate_issue,
    certificate_revoke,
    certificates_expire,
)
from certification.services.decisions import (
    application_approve,
    application_reject,
    decision_departs,
)
from certification.services.evaluations import evaluation_run
from certification.services.experts import (
    assignment_declare,
    assignment_score_save,
    assignment_submit,
    draw_pool,
    draw_replay,
    expert_create,
    experts_draw,
)
from certification.services.notices import (
    notice_close,
    notice_end,
    notice_publish,
    objection_file,
)
from certification.services.recommendations import national_recommendation_record_outcome
from demo.registry import HISTORY_REASON
from gansu_sme.workdays import add_working_days
from registry.models import Enterprise, Industry, Region

S = ApplicationStatus
CURRENT_TITLE = "2026年省级专精特新中小企业认定（演示）"
PAST_TITLE = "2024年省级专精特新中小企业认定（演示）"
LITTLE_GIANT_TITLE = "2026年专精特新“小巨人”企业推荐（演示）"
RE_REVIEW_TITLE = "2026年省级专精特新中小企业复核（演示）"
PAST_WINDOW = (datetime.date(2024, 3, 1), datetime.date(2024, 4, 30))
PAST_NOTICE_STARTS = datetime.date(2024, 6, 3)

# The demo's minimal signed application: a PDF by its content, which is what the upload checks.
PAPER_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# username, name, professional title, employer, employer credit code, region, industries.
EXPERTS = (
    ("expert_wangjian", "王建", "教授", "兰州理工大学", "", "620100", ("C34", "C35")),
    ("expert_liuhong", "刘红", "正高级工程师", "甘肃省机械科学研究院", "", "620100",
     ("C34", "C38", "C40")),
    ("expert_zhaomin", "赵敏", "研究员", "中国科学院兰州化学物理研究所", "", "620100",
     ("C26", "C27", "C30")),
    ("expert_sunli", "孙立", "高级会计师", "甘肃中天会计师事务所", "", "620000",
     ("C13", "C14", "C15")),
    ("expert_majun", "马军", "教授", "兰州大学", "", "620100", ("I65", "C39", "C40")),
    ("expert_heyan", "何燕", "正高级经济师", "甘肃省中小企业发展促进中心", "", "620000",
     ("C32", "C33", "C42")),
    ("expert_guoqiang", "郭强", "高级工程师", "天水长城电工仪器有限公司", "", "620500",
     ("C38", "C34", "C39")),
    ("expert_yangfan", "杨帆", "副教授", "天水师范学院", "", "620500", ("C13", "C27", "A01")),
)
# The registry's demo expert account, given an expert record so it has sheets to work on.
DEMO_EXPERT = ("expert1", "陈志远", "教授级高级工程师", "甘肃省科学院", "620000", ("C35", "C26"))

# Points for the manual items of the Gansu rule set (I4, I5, I6, the local indicators I9.1–I9.3,
# I10, I13; at most 50 together).
STRONG = {"I4": 4, "I5": 4, "I6": 4, "I9.1": 6, "I9.2": 3, "I9.3": 3, "I10": 8, "I13": 8}
WEAK = {"I4": 2, "I5": 2, "I6": 2, "I9.1": 2, "I9.2": 1, "I9.3": 1, "I10": 2, "I13": 2}
EVIDENCE = "依据企业申报材料及佐证文件评定。"


@dataclass(frozen=True)
class DemoCertificationResult:
    experts: int
    applications: int
    certificates: int

    @property
    def unchanged(self):
        return not (self.experts or self.applications or self.certificates)


class _Demo:
    """The actors and rule sets the load works with, and the steps it repeats."""

    def __init__(self, users):
        self.province = users["province"]
        self.county = users["chengguan"]
        self.cities = {"620100": users["lanzhou"], "620500": users["tianshui"]}
        self.today = timezone.localdate()
        self.zjtx = ruleset_current(RuleSetKind.ZJTX)
        self.little_giant = ruleset_current(RuleSetKind.LITTLE_GIANT)
        self.expert_users = {}

    # --- the pool of experts ------------------------------------------------------------------

    def experts(self, users):
        regions = Region.objects.in_bulk(
            {code for *_, code, _ in EXPERTS} | {DEMO_EXPERT[4]}, field_name="code"
        )
        industries = Industry.objects.in_bulk(
            {code for *_, codes in (*EXPERTS, DEMO_EXPERT) for code in codes}, field_name="code"
        )
        created = []
        for username, name, title, employer, uscc, region, codes in EXPERTS:
            expert = expert_create(
                actor=self.province, username=username, name=name, title=title,
                employer_name=employer, employer_uscc=uscc, region=regions[region],
                industries=[industries[code] for code in codes],
                password=settings.DEMO_PASSWORD,
            )
            created.append(expert)
        # One hash for all, as the registry's demo accounts share the published password.
        # Not held on the password change page: demo accounts are shared (see demo/registry.py).
        get_user_model().objects.filter(pk__in=[e.user_id for e in created]).update(
            password=make_password(settings.DEMO_PASSWORD), must_change_password=False
        )
        account = users.get(DEMO_EXPERT[0])
        if account is not None and not Expert.objects.filter(user=account).exists():
            # expert_create opens the account too; this one exists already (registry demo).
            username, name, title, employer, region, codes = DEMO_EXPERT
            expert = Expert(user=account, name=name, title=title, employer_name=employer,
                            region=regions[region])
            expert.full_clean(exclude=["user"])
            with pghistory.context(user=self.province.pk):
                expert.save()
                expert.industries.set([industries[code] for code in codes])
            created.append(expert)
        self.expert_users = {e.pk: e.user for e in Expert.objects.select_related("user")}
        return created

    # --- campaigns ----------------------------------------------------------------------------

    def campaign(self, *, title, year, kind, experts=3, **dates):
        ruleset = self.zjtx if CAMPAIGN_RULESET_KIND[kind] == RuleSetKind.ZJTX else (
            self.little_giant
        )
        # A filing window wholly within the period of the rule set in force today.
        opens_on = max(self.today - datetime.timedelta(days=60), ruleset.effective_from)
        dates.setdefault("opens_on", opens_on)
        dates.setdefault("closes_on", self.today + datetime.timedelta(days=30))
        return campaign_create(
            actor=self.province, year=year, kind=kind, title=title, ruleset=ruleset,
            county_review_days=10, city_recommendation_days=10, province_decision_days=20,
            experts_per_application=experts, score_spread_threshold=Decimal("20"),
            conflict_rules=[ConflictRule.SAME_COUNTY], notice_days=5, **dates,
        )

    # --- firms --------------------------------------------------------------------------------

    def passes(self, firm, ruleset, year, *, besides=()):
        """Whether the firm's verified figures of ``year`` do not fail ``ruleset``, leaving
        aside the conditions in ``besides`` (a certificate the firm is about to receive)."""
        evaluation = evaluation_run(
            actor=self.province, enterprise=firm, ruleset=ruleset, year=year, save=False
        )
        if evaluation.outcome != Outcome.FAILED:
            return True
        return not any(
            result["verdict"] == "fail" and result["code"] not in besides
            for result in evaluation.results
            if result["kind"] != "scored"
        )

    # --- the steps of an application ---------------------------------------------------------

    def filer(self, firm):
        if firm.region.code == self.county.region.code:
            return self.county
        return self.cities[firm.region.path.split("/")[1]]

    def city(self, firm):
        return self.cities[firm.region.path.split("/")[1]]

    def file(self, campaign, firm, *, summary="", renews=None, attach=True):
        filer = self.filer(firm)
        application = filing.application_create(
            actor=filer, campaign=campaign, enterprise=firm, renews=renews,
            summary=summary or f"{firm.niche_market}细分领域，主导产品{firm.main_products}。",
        )
        if attach:
            attachment_add(
                actor=filer, application=application, kind=AttachmentKind.PAPER_APPLICATION,
                upload=SimpleUploadedFile(
                    f"{firm.name}申报书.pdf", PAPER_PDF, content_type="application/pdf"
                ),
            )
        return application

    def advance(self, application, target):
        """Take a filed draft through the filing side's and the province's verbs to ``target``
        (at most PROVINCE_ACCEPTED)."""
        firm = application.enterprise
        order = (S.SUBMITTED, S.COUNTY_REVIEWED, S.CITY_RECOMMENDED, S.PROVINCE_ACCEPTED)
        application = filing.application_submit(actor=self.filer(firm), application=application)
        steps = {
            S.COUNTY_REVIEWED: lambda a: filing.application_review(
                actor=self.county, application=a),
            S.CITY_RECOMMENDED: lambda a: filing.application_recommend(
                actor=self.city(firm), application=a,
                opinion=f"经审核，{firm.name}申报材料真实完整，符合认定条件，同意推荐。"),
            S.PROVINCE_ACCEPTED: lambda a: filing.application_accept(
                actor=self.province, application=a),
        }
        for status in order[1: order.index(target) + 1]:
            if status == S.COUNTY_REVIEWED and application.status == S.SUBMITTED and (
                application.filing_level == "city"
            ):
                continue  # a city filing has no county stage
            application = steps[status](application)
        return application

    def draw(self, application, *, with_expert=None):
        """Draw the panel; with ``with_expert`` (an Expert), a seed that draws them."""
        seed = f"demo-{application.enterprise.uscc}"
        if with_expert is not None:
            candidates, _excluded = draw_pool(
                application, count=application.campaign.experts_per_application
            )
            attempt = 0
            while with_expert.pk not in draw_replay(
                candidates, seed, application.campaign.experts_per_application
            ):
                attempt += 1
                seed = f"demo-{application.enterprise.uscc}-{attempt}"
        return experts_draw(actor=self.province, application=application, seed=seed)

    def score(self, draw, points):
        """Every drawn expert declares, scores ``points`` (one less on alternate sheets) and
        submits; with no points (little giant: nothing manual to score) they submit as is."""
        for offset, assignment in enumerate(draw.assignments.order_by("pk")):
            user = self.expert_users[assignment.expert_id]
            assignment_declare(actor=user, assignment=assignment, no_conflict=True)
            if points:
                scores = {
                    code: {"points": str(max(0, value - offset % 2)), "evidence": EVIDENCE}
                    for code, value in points.items()
                }
                comment = "材料齐全，细分市场地位突出。" if points is STRONG else "创新能力偏弱。"
                assignment_score_save(
                    actor=user, assignment=assignment, scores=scores, comment=comment
                )
            assignment_submit(actor=user, assignment=assignment)

    def approve(self, application):
        application.refresh_from_db()
        departs = decision_departs(application, approve=True, score=application.panel_score)
        reason = "企业细分市场地位突出，经集体研究予以通过。" if departs else ""
        return application_approve(actor=self.province, application=application, reason=reason)

    def approved(self, campaign, firm, points=STRONG):
        application = self.advance(self.file(campaign, firm), S.PROVINCE_ACCEPTED)
        self.score(self.draw(application), points)
        return self.approve(application)

    def publish(self, campaign, applications, title):
        return notice_publish(
            actor=self.province, campaign=campaign, applications=applications, title=title,
            body="公示期内，任何单位和个人如有异议，可实名提出书面意见并附相关证明材料。",
            contact_person="李明", telephone="0931-8468123",
        )

    def close_in_the_past(self, notice, starts_on):
        """Date a concluded round's notice back to ``starts_on`` and close it after its end."""
        ends_on = notice_end(starts_on, notice.campaign.notice_days)
        with pghistory.context(reason=HISTORY_REASON):
            Notice.objects.filter(pk=notice.pk).update(starts_on=starts_on, ends_on=ends_on)
        return notice_close(
            actor=self.province, notice=notice, today=add_working_days(ends_on, 1)
        )


def _users():
    names = ("province", "chengguan", "lanzhou", "tianshui", DEMO_EXPERT[0])
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _firms(prefix, *, exclude_prefix=None):
    """Demo firms of a region in credit-code order, without a certificate yet."""
    firms = (
        Enterprise.objects.filter(
            created_by__isnull=True, is_active=True, region__path__startswith=prefix,
            certificates__isnull=True,
        )
        .select_related("region", "industry")
        .order_by("uscc")
    )
    if exclude_prefix:
        firms = firms.exclude(region__path__startswith=exclude_prefix)
    return list(firms)


@transaction.atomic
def demo_certification_load():
    """Load the demo experts and campaigns once; needs the registry's demo accounts and firms
    with their monitoring figures. Returns what was created."""
    users = _users()
    if (
        len(users) < 4
        or Campaign.objects.filter(title=CURRENT_TITLE).exists()
        or not Enterprise.objects.filter(created_by__isnull=True).exists()
    ):
        return DemoCertificationResult(0, 0, 0)
    demo = _Demo(users)
    applications_before = Application.objects.count()
    certificates_before = Certificate.objects.count()
    experts = demo.experts(users)

    chengguan = _firms("620000/620100/620102")
    lanzhou = _firms("620000/620100/", exclude_prefix="620000/620100/620102")
    tianshui = _firms("620000/620500/")

    past = _past_campaign(demo, lanzhou)
    renewal_firm = _legacy_certificates(demo, tianshui)
    _current_campaign(demo, chengguan, lanzhou, taken={f.pk for f in past})
    _little_giant_campaign(demo, past[:2])
    _re_review_campaign(demo, renewal_firm)
    return DemoCertificationResult(
        experts=len(experts),
        applications=Application.objects.count() - applications_before,
        certificates=Certificate.objects.count() - certificates_before,
    )


def _past_campaign(demo, lanzhou):
    """The 2024 round, concluded: four certificates issued in June 2024, one since revoked.

    Its firms' 2025 figures also meet the little-giant conditions: two are recommended in 2026.
    """
    campaign = demo.campaign(title=PAST_TITLE, year=2024, kind=CampaignKind.PROVINCIAL)
    firms = [
        firm for firm in lanzhou
        # The 小巨人 C1 (a valid provincial certificate) is what this round gives them.
        if demo.passes(firm, demo.zjtx, 2023)
        and demo.passes(firm, demo.little_giant, 2025, besides=("C1",))
    ][:4]
    applications = [demo.approved(campaign, firm) for firm in firms]
    notice = demo.publish(campaign, applications, "2024年省级专精特新中小企业拟认定名单公示")
    demo.close_in_the_past(notice, PAST_NOTICE_STARTS)
    certificate_revoke(
        actor=demo.province, certificate=Certificate.objects.get(application=applications[-1]),
        reason=RevocationReason.RELOCATED, note="企业于2025年迁出甘肃省，经企业申请撤销认定。",
    )
    # Filed while the window was open; the round's own dates are set once it is concluded.
    campaign_update(
        actor=demo.province, campaign=campaign, opens_on=PAST_WINDOW[0], closes_on=PAST_WINDOW[1]
    )
    return firms


def _legacy_certificates(demo, tianshui):
    """Two certificates of the 2023 round, recognised before the platform and entered as
    issued: one past its three years (expired by the daily task's service), one expiring
    within the month. Returns the firm of the second, which the re-review renews."""
    expired_firm, renewal_firm = [
        firm for firm in tianshui if demo.passes(firm, demo.zjtx, 2025)
    ][:2]
    three_years_ago = add_years(demo.today, -3)
    for firm, issued_on in (
        (expired_firm, three_years_ago - datetime.timedelta(days=40)),
        (renewal_firm, three_years_ago + datetime.timedelta(days=25)),
    ):
        certificate_issue(
            actor=demo.province, enterprise=firm, level=CertificateLevel.PROVINCIAL,
            issued_on=issued_on, ruleset_code=demo.zjtx.code,
        )
    certificates_expire(today=demo.today)
    return renewal_firm


def _current_campaign(demo, chengguan, lanzhou, *, taken):
    """This year's round, with an application in every status of the provincial workflow."""
    campaign = demo.campaign(title=CURRENT_TITLE, year=2026, kind=CampaignKind.PROVINCIAL)
    county = [firm for firm in chengguan if demo.passes(firm, demo.zjtx, 2025)][:4]
    failing = [firm for firm in chengguan if firm not in county][:2]
    city = [
        firm for firm in lanzhou if firm.pk not in taken and demo.passes(firm, demo.zjtx, 2025)
    ][:8]

    # The county's part: filed, submitted, reviewed, returned, passed on.
    demo.file(campaign, failing[0], attach=False)
    withdrawn = demo.file(campaign, failing[1])
    filing.application_withdraw(
        actor=demo.county, application=withdrawn, reason="企业主动放弃本年度申报。"
    )
    demo.advance(demo.file(campaign, county[0]), S.SUBMITTED)
    demo.advance(demo.file(campaign, county[1]), S.COUNTY_REVIEWED)
    returned = demo.advance(demo.file(campaign, county[2]), S.SUBMITTED)
    filing.application_return(
        actor=demo.county, application=returned,
        reason="企业申报书未加盖公章，请补充盖章版后重新提交。",
    )
    demo.advance(demo.file(campaign, county[3]), S.CITY_RECOMMENDED)

    # The province's part, on the city's own filings.
    demo.advance(demo.file(campaign, city[7]), S.PROVINCE_ACCEPTED)
    reviewing = demo.advance(demo.file(campaign, city[0]), S.PROVINCE_ACCEPTED)
    demo_expert = Expert.objects.filter(user__username=DEMO_EXPERT[0]).first()
    draw = demo.draw(reviewing, with_expert=demo_expert)
    # Part of the panel is in: one sheet submitted, one declared, the demo expert's waiting.
    sheets = [a for a in draw.assignments.order_by("pk") if a.expert_id != getattr(
        demo_expert, "pk", None)]
    first, second = sheets[0], sheets[1]
    first_user = demo.expert_users[first.expert_id]
    assignment_declare(actor=first_user, assignment=first, no_conflict=True)
    assignment_score_save(
        actor=first_user, assignment=first, comment="材料齐全。",
        scores={code: {"points": str(v), "evidence": EVIDENCE} for code, v in STRONG.items()},
    )
    assignment_submit(actor=first_user, assignment=first)
    assignment_declare(
        actor=demo.expert_users[second.expert_id], assignment=second, no_conflict=True
    )

    demo.approved(campaign, city[1])
    rejected = demo.advance(demo.file(campaign, city[2]), S.PROVINCE_ACCEPTED)
    demo.score(demo.draw(rejected), WEAK)
    application_reject(
        actor=demo.province, application=rejected,
        reason="专家评审得分未达到60分，创新能力指标偏弱。",
    )

    # An earlier notice of this round has closed: its two firms are certified.
    certified = [demo.approved(campaign, firm) for firm in city[3:5]]
    notice = demo.publish(campaign, certified, "2026年省级专精特新中小企业拟认定名单公示（第一批）")
    demo.close_in_the_past(notice, demo.today - datetime.timedelta(days=21))

    # The second notice is open, and someone has objected to one of its firms.
    in_notice = [demo.approved(campaign, firm) for firm in city[5:7]]
    notice = demo.publish(campaign, in_notice, "2026年省级专精特新中小企业拟认定名单公示（第二批）")
    objection_file(
        notice=notice, application=Application.objects.get(pk=in_notice[0].pk), name="李明",
        contact="0931-8123456",
        text="该企业近两年主导产品销售收入存在重复计算，请予核实。",
    )


def _little_giant_campaign(demo, firms):
    """The 2026 little-giant recommendation: its notice closed, two firms recommended to MIIT,
    one of them since recognised with a national certificate."""
    campaign = demo.campaign(
        title=LITTLE_GIANT_TITLE, year=2026, kind=CampaignKind.LITTLE_GIANT
    )
    applications = [demo.approved(campaign, firm, points=None) for firm in firms]
    notice = demo.publish(campaign, applications, "2026年专精特新“小巨人”企业拟推荐名单公示")
    demo.close_in_the_past(notice, demo.today - datetime.timedelta(days=28))
    national_recommendation_record_outcome(
        actor=demo.province,
        recommendation=NationalRecommendation.objects.get(application=applications[0]),
        approved=True,
        document="工信部企业函〔2026〕118号（演示）",
    )


def _re_review_campaign(demo, firm):
    """The 2026 re-review (复核): the 2023 certificate expiring this month is renewed."""
    campaign = demo.campaign(title=RE_REVIEW_TITLE, year=2026, kind=CampaignKind.RE_REVIEW)
    renews = Certificate.objects.get(enterprise=firm, level=CertificateLevel.PROVINCIAL)
    application = demo.advance(
        demo.file(campaign, firm, renews=renews), S.PROVINCE_ACCEPTED
    )
    demo.score(demo.draw(application), STRONG)
    application = demo.approve(application)
    notice = demo.publish(campaign, [application], "2026年省级专精特新中小企业复核通过名单公示")
    demo.close_in_the_past(notice, demo.today - datetime.timedelta(days=14))
