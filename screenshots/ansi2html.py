#!/usr/bin/env python3
"""Turns `tmux capture-pane -e -p` output (text with SGR escapes) into an HTML page that looks like the
terminal: monospace cells, the 16 ANSI colours and the 256-colour cube, bold, underline, reverse.
Usage: ansi2html.py TITLE < capture > page.html"""
import html
import re
import sys

BASE = ["#1e1e1e", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
        "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff"]
FG, BG = "#d4d4d4", "#1e1e1e"


def color256(n):
    if n < 16:
        return BASE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


def main():
    title = sys.argv[1] if len(sys.argv) > 1 else "ctview"
    state = {"fg": None, "bg": None, "bold": False, "ul": False, "rev": False}
    out = []
    for line in sys.stdin.read().rstrip("\n").split("\n"):
        pos = 0
        for m in re.finditer(r"\x1b\[([0-9;]*)m|([^\x1b]+)", line):
            if m.group(2) is not None:
                fg, bg = state["fg"] or FG, state["bg"] or BG
                if state["rev"]:
                    fg, bg = bg, fg
                style = f"color:{fg};background:{bg}"
                if state["bold"]:
                    style += ";font-weight:bold"
                if state["ul"]:
                    style += ";text-decoration:underline"
                out.append(f'<span style="{style}">{html.escape(m.group(2))}</span>')
                continue
            codes = [int(c) if c else 0 for c in m.group(1).split(";")]
            i = 0
            while i < len(codes):
                c = codes[i]
                if c == 0:
                    state = {"fg": None, "bg": None, "bold": False, "ul": False, "rev": False}
                elif c == 1:
                    state["bold"] = True
                elif c == 4:
                    state["ul"] = True
                elif c == 7:
                    state["rev"] = True
                elif c == 22:
                    state["bold"] = False
                elif c == 24:
                    state["ul"] = False
                elif c == 27:
                    state["rev"] = False
                elif 30 <= c <= 37:
                    state["fg"] = BASE[c - 30]
                elif 90 <= c <= 97:
                    state["fg"] = BASE[c - 90 + 8]
                elif 40 <= c <= 47:
                    state["bg"] = BASE[c - 40]
                elif 100 <= c <= 107:
                    state["bg"] = BASE[c - 100 + 8]
                elif c == 39:
                    state["fg"] = None
                elif c == 49:
                    state["bg"] = None
                elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                    state["fg" if c == 38 else "bg"] = color256(codes[i + 2])
                    i += 2
                i += 1
        out.append("\n")
    print(f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{margin:0;background:{BG}}}pre{{margin:0;padding:8px;font:15px/1.25 'DejaVu Sans Mono',monospace;color:{FG}}}</style>
</head><body><pre>{''.join(out)}</pre></body></html>""")


main()
