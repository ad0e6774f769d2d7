"""The gateway's canonical case status: every provincial code table maps onto it."""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    submitted = "submitted"  # stored by the gateway, not yet with a province
    received = "received"  # a province has it (已接件 / 已接收)
    accepted = "accepted"  # formally accepted (已受理)
    in_review = "in_review"  # being handled (审核中 / 部门办理)
    correction_requested = "correction_requested"  # 补正
    approved = "approved"  # decided in the applicant's favour (办结·准予)
    rejected = "rejected"  # not accepted or refused (不予受理 / 办结·不予)
    completed = "completed"  # closed by the gateway with the result in hand
    cancelled = "cancelled"  # withdrawn by the applicant (撤件)
    failed = "failed"  # could not be delivered; needs people to look at it


TERMINAL: frozenset[CaseStatus] = frozenset(
    {CaseStatus.completed, CaseStatus.rejected, CaseStatus.cancelled, CaseStatus.failed}
)
"""A case in one of these never changes again."""

LEG_TERMINAL: frozenset[CaseStatus] = frozenset(
    {CaseStatus.approved, CaseStatus.rejected, CaseStatus.cancelled, CaseStatus.failed}
)
"""A province's leg in one of these is closed on the province's side."""
