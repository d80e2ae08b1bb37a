"""The report as text for the terminal and as CSV (one row per item, a `section` column)."""
from __future__ import annotations

import csv
import io
import textwrap

from .report import TOP, Report


def _groups(title: str, groups) -> list[str]:
    lines = [f"{title} ({sum(g.count for g in groups)} questions, {len(groups)} groups)"]
    for g in groups[:TOP]:
        lines.append(f"  {g.count:>4}  {g.text}")
        lines.extend(f"          ~ {variant}" for variant in g.variants[:5])
        if len(g.variants) > 5:
            lines.append(f"          ~ … {len(g.variants) - 5} more wordings")
    return lines + [""]


def as_text(report: Report) -> str:
    lines = [f"kbbot feedback report{' since ' + report.since if report.since else ''}: "
             f"{report.questions} questions answered or declined", ""]
    lines += _groups("Declined questions", report.declined)
    lines += _groups("Low-confidence questions", report.low_confidence)
    lines.append(f"Down-voted answers ({len(report.down_voted)})")
    for d in report.down_voted[:TOP]:
        reasons = ", ".join(f"{reason} ×{n}" for reason, n in d.reasons) or "no reason given"
        lines.append(f"  {d.downs:>4} down, {d.ups} up — {reasons}")
        lines.append(f"        asked: {' | '.join(d.questions[:3])}")
        lines.append("        answer: " + textwrap.shorten(d.answer.replace("\n", " "), 110))
        lines.extend(f"        comment: {c}" for c in d.comments[:3])
        if d.cited:
            lines.append(f"        cited: {', '.join(d.cited[:4])}")
    lines += ["", "Articles cited most (questions citing them)"]
    lines += [f"  {n:>4}  {article}" for article, n in report.cited_most[:TOP]]
    lines += ["", f"Articles never cited ({len(report.never_cited)})"]
    lines += textwrap.wrap(", ".join(report.never_cited), 100, initial_indent="  ", subsequent_indent="  ",
                           break_on_hyphens=False)
    lines += ["", "Week        questions  declined  low-conf  up  down"]
    lines += [f"{w.week}  {w.questions:>9}  {w.declined:>8}  {w.low_confidence:>8}  {w.up:>2}  {w.down:>4}"
              for w in report.weeks]
    return "\n".join(lines) + "\n"


def as_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "item", "count", "detail"])
    for section, groups in (("declined", report.declined), ("low_confidence", report.low_confidence)):
        for g in groups:
            writer.writerow([section, g.text, g.count, " | ".join(g.variants)])
    for d in report.down_voted:
        reasons = "; ".join(f"{reason}={n}" for reason, n in d.reasons)
        writer.writerow(["down_voted", d.answer, d.downs, f"up={d.ups}; {reasons}; asked: {' | '.join(d.questions)}"])
    for article, n in report.cited_most:
        writer.writerow(["cited", article, n, ""])
    for article in report.never_cited:
        writer.writerow(["never_cited", article, 0, ""])
    for w in report.weeks:
        writer.writerow(["week", w.week, w.questions,
                         f"declined={w.declined}; low_confidence={w.low_confidence}; up={w.up}; down={w.down}"])
    return out.getvalue()
