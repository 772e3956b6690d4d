from .accounts import DirectorySync, LoginLock, PasswordResetRequest
from .documents import PolicyDocument, Requirement
from .jobs import ExportJob, ImportJob, JobStatus
from .leadership import Instruction, Urge
from .links import RequirementLink
from .org import Department, ExternalBody, Membership, User
from .reminders import ReminderDelivery
from .reports import ProgressReport, ReportRound, ReportSchedule
from .scores import ScoringRule
from .tallies import DashboardTallyState, DepartmentTally, DocumentTally, DocumentUrgency
from .tracking import (
    Assignment,
    Evidence,
    ExtensionRequest,
    Notification,
    ProgressUpdate,
)

__all__ = [
    "Assignment",
    "DashboardTallyState",
    "Department",
    "DepartmentTally",
    "DirectorySync",
    "DocumentTally",
    "DocumentUrgency",
    "Evidence",
    "ExportJob",
    "ExtensionRequest",
    "ExternalBody",
    "ImportJob",
    "Instruction",
    "JobStatus",
    "LoginLock",
    "Membership",
    "Notification",
    "PasswordResetRequest",
    "PolicyDocument",
    "ProgressReport",
    "ProgressUpdate",
    "ReminderDelivery",
    "ReportRound",
    "ReportSchedule",
    "Requirement",
    "RequirementLink",
    "ScoringRule",
    "Urge",
    "User",
]
