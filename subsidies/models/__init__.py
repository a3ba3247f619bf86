from .accounts import ReceivingAccount, ReceivingAccountTransition, masked
from .awards import (
    CityReward,
    Entitlement,
    EntitlementTransition,
    ProjectTransition,
    SupportProject,
)
from .batches import BatchItem, BatchTransition, PaymentBatch
from .budgets import Allocation, Budget
from .programs import MONEY, Program, ProgramPair

__all__ = [
    "MONEY",
    "Allocation",
    "BatchItem",
    "BatchTransition",
    "Budget",
    "CityReward",
    "Entitlement",
    "EntitlementTransition",
    "PaymentBatch",
    "ReceivingAccount",
    "ReceivingAccountTransition",
    "Program",
    "ProgramPair",
    "ProjectTransition",
    "SupportProject",
    "masked",
]
