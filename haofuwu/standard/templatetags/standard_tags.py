"""Template filters of the standard pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The phrases that scoring.py and the evaluation write into a stored explanation. The explanation is kept as
# computed (it is part of the snapshot); pages show it in the reader's language by translating these phrases.
PHRASES = [
    ("veto item failed: the grade is capped", _("veto item failed: the grade is capped")),
    ("veto item met", _("veto item met")),
    ("module not installed yet", _("module not installed yet")),
    ("no data, provided by", _("no data, provided by")),
    ("does not apply to this project", _("does not apply to this project")),
    ("evidence awaiting verification", _("evidence awaiting verification")),
    ("no evidence uploaded", _("no evidence uploaded")),
    ("evidence verified", _("evidence verified")),
    ("evidence rejected", _("evidence rejected")),
    ("less sampling-inspection deductions", _("less sampling-inspection deductions")),
    ("violation found in", _("violation found in")),
    ("sampling inspection(s)", _("sampling inspection(s)")),
    ("sampling inspection", _("sampling inspection")),
    ("points deducted", _("points deducted")),
    ("finding(s)", _("finding(s)")),
    ("between floor", _("between floor")),
    ("reaches the step", _("reaches the step")),
    ("reaches no step", _("reaches no step")),
    ("and target", _("and target")),
    ("target", _("target")),
    (" of ", _(" of ")),
]


@register.filter
def explain(text: str) -> str:
    """A stored explanation in the active language."""
    result = str(text or "")
    for english, translated in PHRASES:
        result = result.replace(english, str(translated))
    return result
