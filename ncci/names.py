"""What a CMS file name tells: the quarter, the PTP version and part, the MUE effective
date. Names as CMS publishes them, e.g.
`medicare-ncci-2026q2-practitioner-ptp-edits-ccipra-v321r0-f1.zip` (v321r0 = version
32.1, revision 0; part f1) and `MCR_MUE_PractitionerServices_Eff_10-01-2025.csv`."""
from __future__ import annotations

import re
from dataclasses import dataclass

_PTP = re.compile(r"cci(pra|oph)-v(\d{2,})r(\d+)(?:-f(\d+))?", re.I)
_QUARTER = re.compile(r"(?<![0-9])(20\d\d)[-_ ]?q([1-4])(?![0-9])", re.I)
_MUE = re.compile(r"MUE_?[A-Za-z]+_Eff_(\d\d)-(\d\d)-(\d{4})", re.I)
QUARTER_RE = re.compile(r"^(20\d\d)Q([1-4])$")


@dataclass(frozen=True)
class NameFacts:
    quarter: str | None = None        # "2026Q2"
    ptp_setting: str | None = None    # "pra" (practitioner) or "oph" (hospital outpatient)
    ptp_version: str | None = None    # "32.1r0"
    ptp_part: str | None = None       # "f1"
    mue_effective: str | None = None  # "2025-10-01"


def quarter_of(year: int, month: int) -> str:
    return f"{year}Q{(month - 1) // 3 + 1}"


def read_name(name: str) -> NameFacts:
    """Facts from a file name and the names of the folders or zip it came in."""
    facts = {}
    if match := _QUARTER.search(name):
        facts["quarter"] = f"{match.group(1)}Q{match.group(2)}"
    if match := _PTP.search(name):
        digits = match.group(2)
        facts.update(ptp_setting=match.group(1).lower(), ptp_version=f"{digits[:-1]}.{digits[-1]}r{match.group(3)}",
                     ptp_part=f"f{match.group(4)}" if match.group(4) else None)
    if match := _MUE.search(name):
        month, day, year = (int(g) for g in match.group(1, 2, 3))
        facts["mue_effective"] = f"{year:04d}-{month:02d}-{day:02d}"
        facts.setdefault("quarter", quarter_of(year, month))
    return NameFacts(**facts)
