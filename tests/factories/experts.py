"""Builders for expert-panel tests: experts with accounts, draws, sheets, stored evaluations."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.choices import Role
from certification.choices import AssignmentStatus, ItemKind, ItemMode, Outcome
from certification.models import (
    Evaluation,
    Expert,
    ExpertAssignment,
    ExpertDraw,
    ExpertRelationship,
)
from registry.models import Industry
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.registry import EnterpriseFactory, region


class ExpertFactory(factory.django.DjangoModelFactory):
    """An active expert of 兰州市 (the prefecture), in manufacturing (C35), with an account."""

    class Meta:
        model = Expert
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.EXPERT, region=None)
    name = factory.Sequence(lambda n: f"专家{n:03d}")
    title = "正高级工程师"
    employer_name = "兰州理工大学"
    employer_uscc = ""
    region = factory.LazyFunction(lambda: region("620100"))
    is_active = True

    @factory.post_generation
    def industries(obj, create, extracted, **kwargs):
        if create:
            codes = ["C35"] if extracted is None else extracted
            obj.industries.set(Industry.objects.filter(code__in=codes))


class ExpertDrawFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertDraw

    application = factory.SubFactory(ApplicationFactory)
    seed = "test-seed"
    count = 3
    drawn_by = factory.LazyFunction(
        lambda: UserFactory(role=Role.PROVINCIAL_REVIEWER, region=region("620000"))
    )


class ExpertAssignmentFactory(factory.django.DjangoModelFactory):
    """A sheet of a draw; pass ``status=SUBMITTED`` with ``total`` for a finished one."""

    class Meta:
        model = ExpertAssignment

    draw = factory.SubFactory(ExpertDrawFactory)
    application = factory.SelfAttribute("draw.application")
    expert = factory.SubFactory(ExpertFactory)
    status = AssignmentStatus.ASSIGNED
    submitted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == AssignmentStatus.SUBMITTED else None
    )


class ExpertRelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertRelationship

    expert = factory.SubFactory(ExpertFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    description = "曾任该企业技术顾问"


def stored_evaluation(application, automatic_points):
    """Store an evaluation of ``application`` with the automatic scored items' points given
    ({code: points}) and attach it as the evaluation at submission."""
    results = [
        {
            "code": code,
            "kind": ItemKind.SCORED,
            "mode": ItemMode.AUTOMATIC,
            "group": "专业化",
            "title": f"指标{code}",
            "title_en": f"Indicator {code}",
            "verdict": "scored",
            "points": str(Decimal(points)),
            "max_points": "10",
            "band": "",
            "figures": {"main_business_share": "0.9"},
        }
        for code, points in automatic_points.items()
    ]
    evaluation = Evaluation.objects.create(
        enterprise=application.enterprise,
        ruleset=application.campaign.ruleset,
        ruleset_code=application.campaign.ruleset.code,
        figures_year=2025,
        evaluated_at=timezone.make_aware(datetime.datetime(2026, 3, 10, 9, 0)),
        outcome=Outcome.INCOMPLETE,
        total_points=sum((Decimal(p) for p in automatic_points.values()), Decimal("0")),
        results=results,
    )
    application.evaluation = evaluation
    application.save(update_fields=["evaluation"])
    return evaluation
