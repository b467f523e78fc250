#!/usr/bin/env python3
"""An independent reading of the Sigma subset ctview runs (README: Detections), for the differential tests.

Written from the Sigma specification, not from ctview's C: PyYAML reads the rules (only null is typed,
as YAML 1.1 resolves it; every other scalar stays the text written), regular expressions are Python's,
wildcards become Python regular expressions, field paths are walked over json.loads() objects.

    load_rules(paths) -> (rules, refused_files, ignored)
    rule.matches(event) -> bool
"""
import ipaddress
import json
import os
import re

import yaml


class TextLoader(yaml.SafeLoader):
    """SafeLoader with only the null resolver: '22' stays '22', 'true' stays 'true'."""


TextLoader.yaml_implicit_resolvers = {}
TextLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"),
                                 ["~", "n", "N", ""])


class Refused(Exception):
    pass


LEVELS = ["informational", "low", "medium", "high", "critical"]
PLACE = {"contains", "startswith", "endswith"}
KINDS = PLACE | {"re", "cidr", "exists"}
KNOWN = KINDS | {"all", "fieldref", "cased", "i", "m", "s"}


def ascii_lower(s):
    return s.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


def glob_regex(value, cased, pre, post):
    """The specification's wildcards: * any run, ? one character, \\ escapes *, ? and itself only."""
    out, i = [".*"] if pre else [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value) and value[i + 1] in "*?\\":
            out.append(re.escape(value[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "*" else "." if c == "?" else re.escape(c))
        i += 1
    if post:
        out.append(".*")
    flags = re.DOTALL | (0 if cased else re.IGNORECASE | re.ASCII)
    return re.compile("".join(out), flags)


def check_modifiers(mods):
    seen = set()
    for m in mods:
        if m not in KNOWN:
            raise Refused(f"modifier {m}")
        if m in seen:
            raise Refused("twice")
        if m in ("i", "m", "s") and "re" not in seen:
            raise Refused("re sub-modifier without re")
        seen.add(m)
    if len(seen & KINDS) > 1:
        raise Refused("two kinds")
    if "fieldref" in seen and seen & {"re", "cidr", "exists"}:
        raise Refused("fieldref with re/cidr/exists")
    if "cased" in seen and seen & {"re", "cidr", "exists"}:
        raise Refused("cased with re/cidr/exists")
    if "exists" in seen and "all" in seen:
        raise Refused("exists with all")
    return seen


def check_path(name):
    """A field name must be a JSON path as ctview's any-field paths read them: keys of one or more bytes
    joined by '.', without blanks, control characters or any of : " \\ ( ) *; 255 bytes, 32 keys at most."""
    raw = name.encode("utf-8", "surrogatepass")
    keys = name.split(".")
    if len(raw) > 255 or len(keys) > 32 or any(k == "" for k in keys) or \
            any(c <= 32 or c == 127 or chr(c) in ':"\\()*' for c in raw):
        raise Refused(f"field name {name!r}")


class Test:
    """One 'field|mods: values' entry (field None: keywords)."""

    def __init__(self, field, mods, values, keywords):
        if field is not None:
            check_path(field)
        self.field = field
        self.mods = check_modifiers(mods)
        if keywords:
            if self.mods & {"exists", "fieldref"}:
                raise Refused("keyword exists/fieldref")
            if not self.mods & {"contains", "startswith", "endswith", "re", "cidr"}:
                self.mods.add("contains")
        if isinstance(values, dict):
            raise Refused("map as value")
        if isinstance(values, list):
            if not values:
                raise Refused("empty list")
            if "exists" in self.mods:
                raise Refused("exists list")
        else:
            values = [values]
        self.all = "all" in self.mods
        self.cased = "cased" in self.mods
        self.pats = [self.compile(v) for v in values]

    def compile(self, v):
        if isinstance(v, (list, dict)):
            raise Refused("nested")
        m = self.mods
        if "exists" in m:
            if v not in ("true", "false"):
                raise Refused("exists value")
            return ("exists", v == "true")
        if v is None:
            if m - {"all"}:
                raise Refused("null with modifiers")
            return ("null",)
        if "re" in m:
            flags = (re.I if "i" in m else 0) | (re.M if "m" in m else 0) | (re.S if "s" in m else 0)
            try:
                return ("re", re.compile(v, flags))
            except re.error:
                raise Refused("bad re")
        if "cidr" in m:
            try:
                return ("cidr", ipaddress.ip_network(v, strict=False))
            except ValueError:
                raise Refused("bad cidr")
        if "fieldref" in m:
            check_path(v)
            where = next((p for p in ("contains", "startswith", "endswith") if p in m), "equal")
            return ("fieldref", v, where)
        pre = bool(m & {"contains", "endswith"})
        post = bool(m & {"contains", "startswith"})
        return ("glob", glob_regex(v, self.cased, pre, post))

    def holds(self, pat, vals, event):
        present = vals
        kind = pat[0]
        if kind == "null":
            return not present
        if kind == "exists":
            return bool(present) == pat[1]
        if kind == "fieldref":
            refs = field_values(event, pat[1])
            fold = (lambda s: s) if self.cased else ascii_lower
            for a in present:
                for b in refs:
                    a2, b2 = fold(a), fold(b)
                    if (pat[2] == "equal" and a2 == b2) or (pat[2] == "contains" and b2 in a2) or \
                            (pat[2] == "startswith" and a2.startswith(b2)) or \
                            (pat[2] == "endswith" and a2.endswith(b2)):
                        return True
            return False
        for v in present:
            if kind == "glob" and pat[1].fullmatch(v):
                return True
            if kind == "re" and pat[1].search(v):
                return True
            if kind == "cidr":
                try:
                    if ipaddress.ip_address(v) in pat[1]:
                        return True
                except ValueError:
                    pass
        return False

    def matches(self, event):
        vals = [event_text(event)] if self.field is None else field_values(event, self.field)
        results = (self.holds(p, vals, event) for p in self.pats)
        return all(results) if self.all else any(results)


class RawNum(str):
    """A number as written in the log ("1.50" stays "1.50")."""


class JObj:
    """A JSON object as logged: its members in order (a repeated key: the first counts) and its text."""
    __slots__ = ("pairs", "raw")

    def __init__(self, pairs, raw):
        self.pairs, self.raw = pairs, raw

    def get(self, key, default=None):
        for k, v in self.pairs:
            if k == key:
                return v
        return default


class JArr:
    __slots__ = ("items", "raw")

    def __init__(self, items, raw):
        self.items, self.raw = items, raw


def _raw_decoder():
    """json's own pure-Python scanner, told to keep every object's and array's text as written."""
    d = json.JSONDecoder(object_pairs_hook=list, parse_int=RawNum, parse_float=RawNum, parse_constant=RawNum)

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        s, start = s_and_end
        pairs, end = json.decoder.JSONObject(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo)
        return JObj(pairs, s[start - 1:end]), end

    def parse_array(s_and_end, scan_once):
        s, start = s_and_end
        items, end = json.decoder.JSONArray(s_and_end, scan_once)
        return JArr(items, s[start - 1:end]), end

    d.parse_object, d.parse_array = parse_object, parse_array
    d.scan_once = json.scanner.py_make_scanner(d)
    return d


RAW = _raw_decoder()
TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s"]+')


def parse_raw(text):
    return RAW.decode(text)


def minify(raw):
    """JSON text without the blanks between tokens; strings, escapes and numbers as written."""
    return "".join(TOKENS.findall(raw))


def leaf_values(node, out):
    if node is None:
        return  # null: no value, as a missing field
    if isinstance(node, (JObj, JArr)):
        out.append(minify(node.raw))
    elif node is True or node is False:
        out.append("true" if node else "false")
    else:
        out.append(str(node))


def walk(node, segs, out):
    if isinstance(node, JArr) and segs:
        for e in node.items:
            walk(e, segs, out)
        return
    if not segs:
        leaf_values(node, out)
        return
    if isinstance(node, JObj):
        for k, v in node.pairs:
            if k == segs[0]:
                walk(v, segs[1:], out)
                return


def field_values(event, path):
    """Values of a dotted path in an event (a JObj): strings decoded, numbers and booleans as written,
    objects and arrays as their minified text; null and a missing key give nothing."""
    out = []
    walk(event, path.split("."), out)
    return out


def event_text(event):
    return minify(event.raw)


class Cond:
    """Recursive descent over: or < and < not < 'x of' < parentheses."""

    def __init__(self, text, names):
        self.toks = re.findall(r"[A-Za-z0-9_*?.\-]+|\S", text)
        self.i = 0
        self.names = names
        self.tree = self.p_or()
        if self.i != len(self.toks):
            raise Refused("trailing")

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def eat(self):
        self.i += 1
        return self.toks[self.i - 1]

    def kw(self, word):
        t = self.peek()
        return t is not None and t.lower() == word

    def p_or(self):
        a = self.p_and()
        while self.kw("or"):
            self.eat()
            a = ("or", a, self.p_and())
        return a

    def p_and(self):
        a = self.p_not()
        while self.kw("and"):
            self.eat()
            a = ("and", a, self.p_not())
        return a

    def p_not(self):
        if self.kw("not"):
            self.eat()
            return ("not", self.p_not())
        return self.p_primary()

    def p_primary(self):
        t = self.peek()
        if t is None or t == "|":
            raise Refused("aggregation or end")
        if t == "(":
            self.eat()
            a = self.p_or()
            if self.peek() != ")":
                raise Refused("no )")
            self.eat()
            return a
        if t == "1" or t.lower() == "all":
            self.eat()
            if not self.kw("of"):
                raise Refused("of")
            self.eat()
            pat = self.peek()
            if pat is None or not re.fullmatch(r"[A-Za-z0-9_*?.\-]+", pat):
                raise Refused("pattern")
            self.eat()
            if pat.lower() == "them":
                sel = [n for n in self.names if not n.startswith("_")]
            else:
                rx = re.compile("".join(".*" if c == "*" else re.escape(c) for c in pat), re.DOTALL)
                sel = [n for n in self.names if rx.fullmatch(n)]
            if not sel:
                raise Refused("no identifier")
            return ("all" if t.lower() == "all" else "any", sel)
        if t in self.names and t.lower() not in ("and", "or", "of", "them", "not"):
            self.eat()
            return ("id", t)
        raise Refused(f"unknown {t}")


class Rule:
    def __init__(self, doc, path):
        self.file = path
        if not isinstance(doc, dict):
            raise Refused("not a map")
        if "correlation" in doc or "action" in doc:
            raise Refused("correlation/action")
        ls = doc.get("logsource")
        self.ignored = not (isinstance(ls, dict) and isinstance(ls.get("product"), str) and
                            isinstance(ls.get("service"), str) and ls["product"].lower() == "aws" and
                            ls["service"].lower() == "cloudtrail")
        if self.ignored:
            return
        title, det = doc.get("title"), doc.get("detection")
        if not isinstance(title, str):
            raise Refused("title")
        if not isinstance(det, dict):
            raise Refused("detection")
        if "timeframe" in doc or "timeframe" in det:
            raise Refused("timeframe")
        level = doc.get("level")
        if level is None:
            self.level = 0
        elif isinstance(level, str) and level.lower() in LEVELS:
            self.level = LEVELS.index(level.lower())
        else:
            raise Refused("level")
        self.title = title
        self.id = doc.get("id") if isinstance(doc.get("id"), str) else None
        self.idents = {}
        cond = None
        for name, body in det.items():
            if not isinstance(name, str):
                raise Refused("identifier name")
            if name == "condition":
                cond = body
                continue
            self.idents[name] = self.ident(body)
        if cond is None:
            raise Refused("no condition")
        if isinstance(cond, str):
            text = cond
        elif isinstance(cond, list) and cond and all(isinstance(c, str) for c in cond):
            text = " or ".join(f"({c})" for c in cond)
        else:
            raise Refused("condition type")
        self.cond = Cond(text, list(self.idents)).tree

    @staticmethod
    def map_tests(m):
        if not m:
            raise Refused("empty map")
        tests = []
        for key, values in m.items():
            if not isinstance(key, str):
                raise Refused("key")
            field, *mods = key.split("|")
            tests.append(Test(field if field else None, mods, values, keywords=not field))
        return tests

    def ident(self, body):
        if isinstance(body, dict):
            return [self.map_tests(body)]
        if not isinstance(body, list) or not body:
            raise Refused("identifier body")
        if any(isinstance(e, list) for e in body):
            raise Refused("list in list")
        maps = [e for e in body if isinstance(e, dict)]
        if maps and len(maps) != len(body):
            raise Refused("mixed")
        if maps:
            return [self.map_tests(m) for m in maps]
        return [[Test(None, [], body, keywords=True)]]

    def ident_matches(self, name, event):
        return any(all(t.matches(event) for t in tests) for tests in self.idents[name])

    def eval(self, node, event):
        op = node[0]
        if op == "id":
            return self.ident_matches(node[1], event)
        if op == "not":
            return not self.eval(node[1], event)
        if op == "and":
            return self.eval(node[1], event) and self.eval(node[2], event)
        if op == "or":
            return self.eval(node[1], event) or self.eval(node[2], event)
        if op == "any":
            return any(self.ident_matches(n, event) for n in node[1])
        return all(self.ident_matches(n, event) for n in node[1])

    def matches(self, event):
        return self.eval(self.cond, event)


def rule_files(path):
    if os.path.isfile(path):
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith(".") and (f.endswith(".yml") or f.endswith(".yaml")):
                yield os.path.join(root, f)


def load_rules(paths):
    rules, refused, ignored = [], [], 0
    for p in paths:
        for f in rule_files(p):
            try:
                docs = list(yaml.load_all(open(f, encoding="utf-8").read(), Loader=TextLoader))
                if len(docs) != 1:
                    raise Refused("documents")
                r = Rule(docs[0], f)
            except (Refused, yaml.YAMLError, UnicodeDecodeError) as e:
                refused.append((f, str(e)))
                continue
            if r.ignored:
                ignored += 1
            else:
                rules.append(r)
    return rules, refused, ignored
