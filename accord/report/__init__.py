"""The briefing: answers to the case's key questions with every claim tied to its evidence.

`build_report(case, analysis, out_dir)` writes index.html, report.pdf, report.md and references.json.
"""

from .briefing import Briefing, build_briefing
from .builder import ReportPaths, build_report, md_escape

__all__ = ["Briefing", "ReportPaths", "build_briefing", "build_report", "md_escape"]
