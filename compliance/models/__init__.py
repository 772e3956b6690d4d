from .documents import PolicyDocument, Requirement
from .jobs import ExportJob, ImportJob, JobStatus
from .leadership import Instruction, Urge
from .org import Department, ExternalBody, Membership, User
from .reminders import ReminderDelivery
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
    "ExportJob",
    "ExtensionRequest",
    "ExternalBody",
    "ImportJob",
    "Instruction",
    "JobStatus",
    "Membership",
    "Notification",
    "PolicyDocument",
    "ProgressUpdate",
    "ReminderDelivery",
    "Requirement",
    "Urge",
    "User",
]
