"""`kbbot ncci import` and `kbbot ncci check`: the NCCI tables from the command line.
Errors are raised as ncci errors; web/cli.py turns them into one line and an exit code."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .settings import Settings


def _db_path(args) -> Path:
    return Settings.from_env(index_dir=args.index_dir, kb_dir=args.kb_dir, model=args.model,
                             ncci_db=args.ncci_db).ncci_path


def _progress(name: str):
    from tqdm import tqdm

    return tqdm(desc=name[-48:], unit=" rows", unit_scale=True, file=sys.stderr)


def cmd_import(args) -> int:
    from ncci.reader import table_files
    from ncci.store import import_files

    db = _db_path(args)
    report = import_files(db, table_files(args.paths), args.quarter, _progress)
    release = report.release
    print(f"imported NCCI release {release.quarter} (PTP version {release.ptp_version or 'unknown'}, "
          f"MUE effective {release.mue_effective or 'unknown'}) → {db}", file=sys.stderr)
    for part in report.imported:
        print(f"  {part.kind.upper()} {part.file}: {part.rows:,} rows", file=sys.stderr)
    for part in report.kept:
        print(f"  kept {part.kind.upper()} {part.file}: {part.rows:,} rows (imported {part.imported_at})",
              file=sys.stderr)
    print(f"  total: {release.rows('ptp'):,} PTP edits, {release.rows('mue'):,} MUE codes", file=sys.stderr)
    return 0


def format_check(result) -> str:
    lines = [f"{result.source} (PTP version {result.release['ptp_version'] or 'unknown'}), "
             f"date of service {result.date}", ""]
    for pair in result.pairs:
        lines.append(pair.summary)
        for edit in pair.edits:
            deletion = f"deleted {edit.deletion}" if edit.deletion else "no deletion date"
            lines.append(f"  {edit.column1} (column 1) / {edit.column2} (column 2): {edit.status}; "
                         f"effective {edit.effective}, {deletion}")
            lines.append(f"    modifier indicator {edit.modifier_indicator_text}")
            lines.append(f"    rationale: {edit.rationale}")
    lines += ["", "MUE (practitioner):"] + [f"  {m.summary}" for m in result.mue]
    lines += [""] + list(result.notes) if result.notes else []
    return "\n".join(lines)


def cmd_check(args) -> int:
    from ncci.check import PairChecker, parse_codes, parse_date

    codes, on = parse_codes(args.codes), parse_date(args.date)
    result = PairChecker(_db_path(args)).check(codes, on)
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if args.json else format_check(result))
    return 0


def add_commands(sub, common) -> None:
    ncci = sub.add_parser("ncci", help="the CMS NCCI PTP and MUE tables: import them, check code pairs")
    commands = ncci.add_subparsers(dest="ncci_command", required=True)
    db = dict(type=Path, help="NCCI database file (default: KBBOT_NCCI_DB or ncci.sqlite beside the index)")
    p = commands.add_parser("import", parents=[common], help="load practitioner PTP and MUE files (zip, txt, csv, xlsx)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files, zips or folders of a quarterly release")
    p.add_argument("--quarter", help="the release quarter, e.g. 2026Q2, when the file names do not say")
    p.add_argument("--ncci-db", **db)
    p.set_defaults(func=cmd_import)
    p = commands.add_parser("check", parents=[common], help="the PTP edits between codes and their MUEs")
    p.add_argument("codes", nargs="+", metavar="CODE", help="two or more CPT/HCPCS codes (a claim's lines)")
    p.add_argument("--date", help="date of service, YYYY-MM-DD (default: today)")
    p.add_argument("--json", action="store_true", help="print the API's JSON object")
    p.add_argument("--ncci-db", **db)
    p.set_defaults(func=cmd_check)
