"""JUnit XML, which every CI server shows as a test report: one testcase per rule and target.

Findings are grouped into one testsuite per rule. A finding that fails the build (at or above
``--fail-on``, or a source that could not be checked) is a ``<failure>`` (its type is the
severity). One below the threshold is a passing testcase that shows the finding in its
``<system-out>``: GitLab and Jenkins count any ``<failure>`` as a failed test and show the
report red, which would contradict a build that passed; a ``<skipped>`` would say it was not
checked, though it was. A waived finding or one in the baseline is ``<skipped>`` with the
reason.
Input errors are failing testcases of their own testsuite. A run without findings or errors is
one passing testcase per input, so the report is never empty.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from seloste.checks.findings import NOT_CHECKED, RANK, Finding, suppression
from seloste.checks.reports import Report
from seloste.checks.reports.ruledocs import rule_doc
from seloste.checks.reports.text import plural

# Characters XML 1.0 cannot carry at all, even escaped.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text)


def _fails(f: Finding, fail_on: str) -> bool:
    """Whether ``f`` fails the build: at or above the threshold, or not checked at all."""
    return f.rule == NOT_CHECKED or RANK[f.severity] >= RANK[fail_on]


def _detail(f: Finding) -> str:
    detail = f"{f.location}: {f.rule} [{f.severity}] {f.message}"
    return detail if f.rows is None else detail + f" ({plural(f.rows, 'row')})"


def _testcase(suite: ET.Element, f: Finding, fail_on: str) -> None:
    case = ET.SubElement(suite, "testcase", classname=f.rule, name=_clean(f.target))
    if f.location.file:
        case.set("file", _clean(f.location.file))
        if f.location.line:
            case.set("line", str(f.location.line))
    why = suppression(f)
    if why is not None:
        ET.SubElement(case, "skipped", message=_clean(why.describe()))
        return
    if not _fails(f, fail_on):
        ET.SubElement(case, "system-out").text = _clean(_detail(f))
        return
    failure = ET.SubElement(case, "failure", type=f.severity, message=_clean(f.message))
    failure.text = _clean(_detail(f))


def _count(element: ET.Element, tag: str) -> int:
    return sum(1 for case in element.iter("testcase") if case.find(tag) is not None)


def _totals(element: ET.Element) -> None:
    element.set("tests", str(sum(1 for _ in element.iter("testcase"))))
    element.set("failures", str(_count(element, "failure")))
    element.set("errors", "0")
    element.set("skipped", str(_count(element, "skipped")))


def render(report: Report) -> str:
    root = ET.Element("testsuites", name="seloste")
    by_rule = sorted(report.findings, key=lambda f: (f.rule, f.target, f.sort_key()))
    for rule, group in groupby(by_rule, key=lambda f: f.rule):
        doc = rule_doc(rule)
        suite = ET.SubElement(root, "testsuite", name=f"{rule} {doc.name}")
        for f in group:
            _testcase(suite, f, report.fail_on)
        _totals(suite)
    if report.errors:
        suite = ET.SubElement(root, "testsuite", name="input errors")
        for p in report.errors:
            case = ET.SubElement(
                suite, "testcase", classname="input", name=_clean(p.place), file=_clean(p.file)
            )
            if p.line:
                case.set("line", str(p.line))
            failure = ET.SubElement(case, "failure", type="error", message=_clean(p.message))
            failure.text = _clean(str(p))
        _totals(suite)
    if not report.findings and not report.errors:
        suite = ET.SubElement(root, "testsuite", name="seloste")
        for name in report.inputs or ("seloste",):
            ET.SubElement(suite, "testcase", classname="seloste", name=_clean(name))
        _totals(suite)
    _totals(root)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
