"""The tasks each stage asks for, given to every new project (coaches may add more).

Labels are marked for translation and shown translated on the pages.
"""

from __future__ import annotations

from coopkit.i18n import _
from coopkit.incubator.models import ProjectStage

DEFAULT_CHECKLIST: dict[ProjectStage, tuple[str, ...]] = {
    ProjectStage.EXPLORATION: (
        _("Describe the need the cooperative answers and who it serves"),
        _("Meet the coach and agree on the next steps"),
    ),
    ProjectStage.FEASIBILITY: (
        _("Study the market and the competitors"),
        _("List the founders and what each brings"),
    ),
    ProjectStage.BUSINESS_PLAN: (
        _("Write the business plan with a three-year budget"),
        _("Plan the share classes and the founders' pledges"),
    ),
    ProjectStage.STATUTES: (
        _("Choose the legal form"),
        _("Draft the statutes and have them reviewed"),
    ),
    ProjectStage.FOUNDING_ASSEMBLY: (
        _("Convene the founding assembly"),
        _("Adopt the statutes and appoint the directors"),
    ),
    ProjectStage.REGISTRATION: (
        _("Pay the pledged capital into the bank account"),
        _("File the statutes with the registry"),
    ),
}
