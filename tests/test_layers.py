#!/usr/bin/env python3
"""The layers of ARCHITECTURE.md, checked from the sources' #include lines.

- parsers/ and model/ never include tui/; model/ never includes parsers/ or curses.
- Inside model/, each folder has a rank; a file may include headers of its own folder or of a folder
  of lower rank, never higher (present and state sit beside the store, using only base and json).
- No two modules include each other, directly or through others (a module is a .c with its .h): the
  module graph of model/ has no cycle.
Exits 1 with every violation listed."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
RANK = {"base": 0, "json": 1, "present": 1, "state": 1, "store": 2, "index": 3, "identity": 4, "detect": 4,
        "query": 5, "sql": 6}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]', re.M)


def sources(top):
    for d, _, files in os.walk(os.path.join(ROOT, top)):
        for f in files:
            if f.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(d, f), ROOT)


def main():
    bad = []
    graph = {}
    for top in ("model", "parsers", "tui"):
        for path in sources(top):
            text = open(os.path.join(ROOT, path), encoding="utf-8").read()
            for inc in INCLUDE.findall(text):
                if top in ("model", "parsers") and inc.startswith("tui/"):
                    bad.append(f"{path}: includes {inc} (the UI is above it)")
                if top == "model" and (inc.startswith("parsers/") or "curses" in inc):
                    bad.append(f"{path}: includes {inc} (model/ knows no parser and no curses)")
                if top == "model" and inc.startswith("model/"):
                    mine, theirs = path.split("/")[1], inc.split("/")[1]
                    if mine not in RANK or theirs not in RANK:
                        bad.append(f"{path}: folder {mine if mine not in RANK else theirs} has no rank")
                    elif theirs != mine and RANK[theirs] >= RANK[mine]:
                        bad.append(f"{path}: includes {inc} ({theirs} is not below {mine})")
                    # a private header (filter_impl.h) belongs to its module (filter)
                    a, b = (re.sub(r"_impl$", "", os.path.splitext(p)[0]) for p in (path, inc))
                    if a != b:
                        graph.setdefault(a, set()).add(b)
    # cycles among modules (depth-first search, colour marks)
    colour, stack = {}, []

    def visit(n):
        colour[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if colour.get(m) == 1:
                bad.append("cycle: " + " -> ".join(stack[stack.index(m):] + [m]))
            elif not colour.get(m):
                visit(m)
        stack.pop()
        colour[n] = 2

    for n in sorted(graph):
        if not colour.get(n):
            visit(n)
    for b in bad:
        print(b)
    print(f"layers: {len(graph)} modules, {len(bad)} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
