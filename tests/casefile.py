"""The case file ctview keeps for a set of inputs (model/state/case.h), written by a test: where it lives
(case_path_for's key, read here from its contract: each input's FNV-1a 64 hash, sorted, distinct, their
bytes little-endian into one FNV-1a 64, then the case name) and what it holds."""
import json
import os

FNV_OFFSET = 1469598103934665603
FNV_PRIME = 1099511628211
MASK = (1 << 64) - 1


def _fnv(data, h=FNV_OFFSET):
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & MASK
    return h


def case_path(data_home, inputs, name="default"):
    """The file of the case named name over inputs (canonical paths) under XDG_DATA_HOME data_home."""
    hashes = sorted({_fnv(os.path.realpath(p).encode()) for p in inputs})
    key = FNV_OFFSET
    for h in hashes:
        key = _fnv(h.to_bytes(8, "little"), key)
    key = _fnv(name.encode(), key)
    return os.path.join(data_home, "ctview", "cases", f"{key:016x}.json")


def write_case(data_home, inputs, entries, name="default"):
    """Writes a case whose events are entries: {"ACCOUNT:EVENTID": {"marked": bool, "tags": [...],
    "notes": [...]}}. Returns its path."""
    path = case_path(data_home, inputs, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    events = [{"event": k, "marked": bool(v.get("marked")), "tags": sorted(v.get("tags", [])),
               "notes": v.get("notes", []), "updated": 1733600000000} for k, v in sorted(entries.items())]
    doc = {"ctview_case": 1, "name": name, "inputs": [os.path.realpath(p) for p in inputs], "events": events}
    with open(path, "w") as f:
        json.dump(doc, f)
    return path
