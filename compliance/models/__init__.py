from .documents import PolicyDocument, Requirement
from .org import Department, Membership, User
from .tracking import (
    Assignment,
    Evidence,
    ExtensionRequest,
    Notification,
    ProgressUpdate,
)

__all__ = [
    "Assignment",
    "Department",
    "Evidence",
    "ExtensionRequest",
    "Membership",
    "Notification",
    "PolicyDocument",
    "ProgressUpdate",
    "Requirement",
    "User",
]
