#!/usr/bin/env python3
"""The CloudTrail table AWS documents for Athena (partition projection on `timestamp`), written from
CloudTrail events independently of ctview: the rows the SerDe makes of each record, as UNLOAD's JSON lines
and as the console's CSV, and the table's column types in DuckDB's spelling.

The SerDe matches keys case-insensitively, keeps only the declared struct fields, and holds an object
given to a STRING column (requestParameters, responseElements, ...) as its JSON text."""
import csv
import io
import json

STR = "string"
# (column, type); type: STR, ("struct", [...]), ("array", type), ("map", STR)
USERIDENTITY = ("struct", [
    ("type", STR), ("principalid", STR), ("arn", STR), ("accountid", STR), ("invokedby", STR),
    ("accesskeyid", STR), ("username", STR),
    ("onbehalfof", ("struct", [("userid", STR), ("identitystorearn", STR)])),
    ("sessioncontext", ("struct", [
        ("attributes", ("struct", [("mfaauthenticated", STR), ("creationdate", STR)])),
        ("sessionissuer", ("struct", [("type", STR), ("principalid", STR), ("arn", STR), ("accountid", STR),
                                      ("username", STR)])),
        ("ec2roledelivery", STR),
        ("webidfederationdata", ("struct", [("federatedprovider", STR), ("attributes", ("map", STR))])),
    ])),
])
COLUMNS = [
    ("eventversion", STR), ("useridentity", USERIDENTITY), ("eventtime", STR), ("eventsource", STR),
    ("eventname", STR), ("awsregion", STR), ("sourceipaddress", STR), ("useragent", STR), ("errorcode", STR),
    ("errormessage", STR), ("requestparameters", STR), ("responseelements", STR), ("additionaleventdata", STR),
    ("requestid", STR), ("eventid", STR), ("readonly", STR),
    ("resources", ("array", ("struct", [("arn", STR), ("accountid", STR), ("type", STR)]))),
    ("eventtype", STR), ("apiversion", STR), ("recipientaccountid", STR), ("serviceeventdetails", STR),
    ("sharedeventid", STR), ("vpcendpointid", STR), ("vpcendpointaccountid", STR), ("eventcategory", STR),
    ("addendum", ("struct", [("reason", STR), ("updatedfields", STR), ("originalrequestid", STR),
                             ("originaleventid", STR)])),
    ("sessioncredentialfromconsole", STR), ("edgedevicedetails", STR),
    ("tlsdetails", ("struct", [("tlsversion", STR), ("ciphersuite", STR), ("clientprovidedhostheader", STR)])),
]


def _get(obj, name):
    if not isinstance(obj, dict):
        return None
    for k, v in obj.items():
        if k.lower() == name:
            return v
    return None


def _string(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return json.dumps(v)
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def _value(v, typ):
    if v is None:
        return None
    if typ == STR:
        return _string(v)
    kind = typ[0]
    if kind == "struct":
        if not isinstance(v, dict):
            return None
        return {name: _value(_get(v, name), t) for name, t in typ[1]}
    if kind == "array":
        return [_value(x, typ[1]) for x in v] if isinstance(v, list) else None
    if kind == "map":
        return {k: _string(x) for k, x in v.items()} if isinstance(v, dict) else None
    raise ValueError(typ)


def row(event):
    """The table row of one CloudTrail event: {column: value} in the table's column order."""
    return {name: _value(_get(event, name), typ) for name, typ in COLUMNS}


def duckdb_type(typ):
    if typ == STR:
        return "VARCHAR"
    if typ[0] == "struct":
        return "STRUCT(" + ", ".join(f'"{n}" {duckdb_type(t)}' for n, t in typ[1]) + ")"
    if typ[0] == "array":
        return duckdb_type(typ[1]) + "[]"
    return "MAP(VARCHAR, VARCHAR)"


def unload_json_line(r):
    """One line as UNLOAD ... WITH (format = 'JSON') writes it: null columns left out."""
    return json.dumps({k: v for k, v in r.items() if v is not None}, separators=(",", ":"), ensure_ascii=False)


def _trino_text(v):
    """A value as Trino prints it in a CSV cell: structs as {k=v, ...}, arrays as [a, b], null as null."""
    if v is None:
        return "null"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={_trino_text(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_trino_text(x) for x in v) + "]"
    return v


def console_csv(rows):
    """The CSV the Athena console downloads: a header of column names, every cell quoted, NULL empty."""
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow([n for n, _ in COLUMNS])
    for r in rows:
        out.write(",".join("" if r[n] is None else '"' + _trino_text(r[n]).replace('"', '""') + '"'
                           for n, _ in COLUMNS) + "\n")
    return out.getvalue()
