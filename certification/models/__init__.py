from certification.models.applications import Application, ApplicationTransition, Attachment
from certification.models.campaigns import Campaign, CampaignQuota
from certification.models.certificates import (
    Certificate,
    CertificateSequence,
    NationalRecommendation,
)
from certification.models.experts import Expert, ExpertAssignment, ExpertDraw, ExpertRelationship
from certification.models.notices import Notice, Objection
from certification.models.rules import Evaluation, RuleItem, RuleSet

__all__ = [
    "Application",
    "ApplicationTransition",
    "Attachment",
    "Campaign",
    "CampaignQuota",
    "Certificate",
    "CertificateSequence",
    "Evaluation",
    "Expert",
    "ExpertAssignment",
    "ExpertDraw",
    "ExpertRelationship",
    "NationalRecommendation",
    "Notice",
    "Objection",
    "RuleItem",
    "RuleSet",
]
