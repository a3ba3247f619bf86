"""Reactions to certification's domain events; each is one idempotent service call."""

from subsidies import services


def on_certificate_issued(sender, certificate_id, **kwargs):
    services.entitlement_from_certificate(certificate_id=certificate_id)


def on_certificate_revoked(sender, certificate_id, reason, **kwargs):
    services.entitlements_clawback(certificate_id=certificate_id, reason=reason)
