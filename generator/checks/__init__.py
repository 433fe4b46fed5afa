"""Quality checks of the protocols: what in a protocol needs work, and why.

The layer between the model and the site: it reads the validated ``Handbook``
(its ``checks`` come from ``protocols/checks.yaml``) and returns a ``Report``
of findings. It never changes a protocol, and imports nothing that renders
(no Jinja, no Markdown): ``python -m generator check`` stays light.

- ``text``: reading a protocol's text (fields, sentences, links, phone numbers);
- ``rules``: the procedural rules and the declarative kinds;
- ``report``: running the rules, the report and its JSON.
"""

from ..model.sources import ChecksConfig, CheckSettings, RuleConfig, RuleKind, Severity
from .report import JSON_FORMAT, ContactFinding, Finding, Report, checked_versions, rechecked, run_checks
from .rules import KINDS, PROCEDURES, Context, config_problems, rule_function

__all__ = [
    "CheckSettings", "ChecksConfig", "ContactFinding", "Context", "Finding", "JSON_FORMAT", "KINDS", "PROCEDURES", "Report",
    "RuleConfig", "RuleKind", "Severity", "checked_versions", "config_problems", "rule_function", "rechecked",
    "run_checks",
]
