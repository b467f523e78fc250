"""The identity shapes gen_corpus.py --identities adds, each with its truth: the origin of every event it
writes (type, arn, account, as ctview's trace must find it) and the roles assumed along the chain.
One scenario is a few events, made with the generator's own random source.

An actor is a person or principal across accounts: an AWS service, an Identity Center user and a
web-identity user (provider and subject) have no account in their truth (None); IAM users, root and SAML
users (whose provider is an account's IAM resource) have theirs. Identity Center users are a fixed set
with one identity store in a fourth account (IC_ACCOUNT), working in all four: through onBehalfOf
(IdentityCenterUser calls, role sessions on their behalf) and through permission sets' AWSReservedSSO
role sessions named by their user name. The first AWSReservedSSO session of each user carries onBehalfOf
too, the event that says which user id the name is; so each user is one actor, keyed by user id and
named by user name."""
from datetime import timedelta

import gen_corpus as gc

IDP = "arn:aws:iam::{a}:saml-provider/corp-idp"
IC_ACCOUNT = "444444444444"
STORE = f"arn:aws:identitystore::{IC_ACCOUNT}:identitystore/d-9067642ac7"
IC_USERS = ["ic-ana@example.com", "ic-ben@example.com", "ic-cho@example.com", "ic-dan@example.com"]
PERMISSION_SETS = ["AdministratorAccess", "ReadOnly"]


def _ic_user(g):
    """One of the Identity Center users: (user id, user name), the id drawn once per corpus."""
    ids = g.__dict__.setdefault("ic_ids", {})
    name = g.r.choice(IC_USERS)
    if name not in ids:
        ids[name] = g.uuid()
    return ids[name], name


def _ic_origin(uid, name, roles):
    return ("IdentityCenterUser", uid, None, roles, {"name": name, "identity_store": STORE})


def _iso(t):
    return gc.iso(t)


def _temp_user(acct, user, key, created, root=False):
    arn = f"arn:aws:iam::{acct}:root" if root else f"arn:aws:iam::{acct}:user/{user}"
    ident = {"type": "Root" if root else "IAMUser", "principalId": acct if root else "AIDA" + acct[:4] + user.upper(),
             "arn": arn, "accountId": acct, "accessKeyId": key,
             "sessionContext": {"attributes": {"creationDate": _iso(created), "mfaAuthenticated": "true"}}}
    if not root:
        ident["userName"] = user
    return ident


def _role_session(acct, role_path, session, key, created, source_identity=None, obo=None):
    role = role_path.rsplit("/", 1)[-1]
    ident = {"type": "AssumedRole", "principalId": f"AROA{acct[:4]}X:{session}",
             "arn": f"arn:aws:sts::{acct}:assumed-role/{role}/{session}", "accountId": acct, "accessKeyId": key,
             "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": f"AROA{acct[:4]}X",
                                                  "arn": f"arn:aws:iam::{acct}:role/{role_path}", "accountId": acct,
                                                  "userName": role},
                                "attributes": {"creationDate": _iso(created), "mfaAuthenticated": "false"}}}
    if source_identity:
        ident["sessionContext"]["sourceIdentity"] = source_identity
    if obo:
        ident["onBehalfOf"] = obo
    return ident


def _call(g, t, ident, acct, origin, emit, n=2, quirks=False):
    """n ordinary calls by ident, a second apart; with quirks, readOnly as a string and an empty errorCode."""
    for k in range(n):
        source, name, ro = g.r.choice(gc.REGIONAL_CALLS)
        region = g.r.choice(gc.REGIONS)
        ev = gc.base_event(g, t + timedelta(seconds=k + 1), source, name, region, ident, g.ip(), acct, ro)
        if quirks:
            ev["readOnly"] = "True" if ro else "False"
            if k == 0:
                ev["errorCode"] = ""
        emit(ev, False, origin)


def _sts(g, t, name, ident, acct, origin, emit, params, response, ip=None, extra=None):
    ev = gc.base_event(g, t, "sts.amazonaws.com", name, "us-east-1", ident, ip or g.ip(), acct, True)
    ev["requestParameters"] = params
    ev["responseElements"] = response
    ev.update(extra or {})
    ev["tlsDetails"]["clientProvidedHostHeader"] = "sts.amazonaws.com"
    emit(ev, True, origin)
    return ev


def _creds(g, t, key):
    return {"accessKeyId": key, "sessionToken": "IQoJb3JpZ2luX2VjE" + g.hexid(32),
            "expiration": _iso(t + timedelta(hours=1))}


def scenario(g, t, emit, user_keys):
    acct = g.r.choice(gc.ACCOUNTS)
    user = g.r.choice(gc.USERS)
    akia = user_keys[(acct, user)]
    user_arn = f"arn:aws:iam::{acct}:user/{user}"
    me = ("IAMUser", user_arn, acct, [])
    shape = g.r.choice(["session_token", "console", "root", "source_identity", "federation", "saml", "web",
                        "service", "linked", "owner_only", "identity_center", "sso", "masked", "ghost"])
    key = g.key("ASIA")
    if shape == "session_token":
        if g.r.random() < 0.7:
            _sts(g, t, "GetSessionToken", gc.user_identity(acct, user, akia), acct, me, emit,
                 {"durationSeconds": 3600}, {"credentials": _creds(g, t, key)})
        _call(g, t, _temp_user(acct, user, key, t), acct, me, emit, quirks=True)
    elif shape in ("console", "root"):
        root = shape == "root"
        origin = ("Root", f"arn:aws:iam::{acct}:root", acct, []) if root else me
        if g.r.random() < 0.7:
            ident = {"type": "Root", "principalId": acct, "arn": origin[1], "accountId": acct} if root else \
                {"type": "IAMUser", "principalId": "AIDA" + acct[:4] + user.upper(), "arn": user_arn,
                 "accountId": acct, "userName": user}
            ev = gc.base_event(g, t, "signin.amazonaws.com", "ConsoleLogin", "us-east-1", ident, g.ip(), acct, False)
            ev["eventType"] = "AwsConsoleSignin"
            ev["requestParameters"] = None
            ev["responseElements"] = {"ConsoleLogin": "Success"}
            ev["additionalEventData"] = {"MFAUsed": "Yes", "MobileVersion": "No"}
            emit(ev, True, origin)
        _call(g, t + timedelta(seconds=2), _temp_user(acct, user, key, t, root), acct, origin, emit)
    elif shape == "source_identity":
        sid = f"{user}@example.com"
        r1, r2 = f"arn:aws:iam::{acct}:role/Deploy", f"arn:aws:iam::{acct}:role/Admin"
        key2 = g.key("ASIA")
        s1, s2 = "s" + g.hexid(8), "s" + g.hexid(8)
        _sts(g, t, "AssumeRole", gc.user_identity(acct, user, akia), acct, ("IAMUser", user_arn, acct, [r1]), emit,
             {"roleArn": r1, "roleSessionName": s1, "sourceIdentity": sid},
             {"credentials": _creds(g, t, key), "sourceIdentity": sid,
              "assumedRoleUser": {"assumedRoleId": "AROAX:" + s1, "arn": f"arn:aws:sts::{acct}:assumed-role/Deploy/{s1}"}})
        sess1 = _role_session(acct, "Deploy", s1, key, t, sid)
        _call(g, t, sess1, acct, ("IAMUser", user_arn, acct, [r1]), emit)
        t2 = t + timedelta(seconds=5)
        _sts(g, t2, "AssumeRole", sess1, acct, ("IAMUser", user_arn, acct, [r1, r2]), emit,
             {"roleArn": r2, "roleSessionName": s2},
             {"credentials": _creds(g, t2, key2), "sourceIdentity": sid,
              "assumedRoleUser": {"assumedRoleId": "AROAX:" + s2, "arn": f"arn:aws:sts::{acct}:assumed-role/Admin/{s2}"}})
        _call(g, t2, _role_session(acct, "Admin", s2, key2, t2, sid), acct, ("IAMUser", user_arn, acct, [r1, r2]), emit)
    elif shape == "federation":
        name = user + "-fed"
        if g.r.random() < 0.7:
            _sts(g, t, "GetFederationToken", gc.user_identity(acct, user, akia), acct, me, emit, {"name": name},
                 {"credentials": _creds(g, t, key),
                  "federatedUser": {"federatedUserId": f"{acct}:{name}", "arn": f"arn:aws:sts::{acct}:federated-user/{name}"}})
        ident = {"type": "FederatedUser", "principalId": f"{acct}:{name}", "arn": f"arn:aws:sts::{acct}:federated-user/{name}",
                 "accountId": acct, "accessKeyId": key,
                 "sessionContext": {"attributes": {"creationDate": _iso(t), "mfaAuthenticated": "false"},
                                    "sessionIssuer": {"type": "IAMUser", "principalId": "AIDA" + acct[:4] + user.upper(),
                                                      "arn": user_arn, "accountId": acct, "userName": user}}}
        _call(g, t, ident, acct, me, emit)
    elif shape in ("saml", "web"):
        role_arn = f"arn:aws:iam::{acct}:role/" + ("SAMLAdmin" if shape == "saml" else "WebApp")
        sname = user + "@example.com" if shape == "saml" else "app-" + g.hexid(6)
        if shape == "saml":
            principal = f"{IDP.format(a=acct).rsplit('/', 1)[-1]}:{user}@example.com"
            ident = {"type": "SAMLUser", "principalId": principal, "userName": user + "@example.com",
                     "identityProvider": IDP.format(a=acct)}
            name, params = "AssumeRoleWithSAML", {"roleArn": role_arn, "principalArn": IDP.format(a=acct),
                                                  "roleSessionName": sname}
        else:
            principal = f"accounts.google.com:app-{acct[:3]}.apps.googleusercontent.com:{g.hexid(10)}"
            ident = {"type": "WebIdentityUser", "principalId": principal, "userName": principal.rsplit(":", 1)[-1],
                     "identityProvider": "accounts.google.com"}
            name, params = "AssumeRoleWithWebIdentity", {"roleArn": role_arn, "roleSessionName": sname}
        typ = "SAMLUser" if shape == "saml" else "WebIdentityUser"
        role = role_arn.rsplit("/", 1)[-1]
        origin = (typ, principal, acct if shape == "saml" else None, [role_arn])
        _sts(g, t, name, ident, acct, origin, emit, params,
             {"credentials": _creds(g, t, key),
              "assumedRoleUser": {"assumedRoleId": "AROAX:" + sname, "arn": f"arn:aws:sts::{acct}:assumed-role/{role}/{sname}"}})
        _call(g, t, _role_session(acct, role, sname, key, t), acct, origin, emit)
    elif shape == "service":
        role_arn = f"arn:aws:iam::{acct}:role/InstanceProfileRole"
        inst = "i-" + g.hexid(17)
        origin = ("AWSService", "ec2.amazonaws.com", None, [role_arn])
        # one account: its sharedEventID names no twin
        _sts(g, t, "AssumeRole", {"type": "AWSService", "invokedBy": "ec2.amazonaws.com"}, acct, origin, emit,
             {"roleArn": role_arn, "roleSessionName": inst},
             {"credentials": _creds(g, t, key),
              "assumedRoleUser": {"assumedRoleId": "AROAX:" + inst,
                                  "arn": f"arn:aws:sts::{acct}:assumed-role/InstanceProfileRole/{inst}"}},
             ip="ec2.amazonaws.com", extra={"sharedEventID": g.uuid()})
        _call(g, t, _role_session(acct, "InstanceProfileRole", inst, key, t), acct, origin, emit)
    elif shape == "linked":
        path = "aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM"
        origin = ("AWSService", "ssm.amazonaws.com", None, [f"arn:aws:iam::{acct}:role/{path}"])
        ident = _role_session(acct, path, "SSM", key, t)
        ident["invokedBy"] = "ssm.amazonaws.com"
        ev = gc.base_event(g, t + timedelta(seconds=1), "ssm.amazonaws.com", "UpdateInstanceInformation",
                           g.r.choice(gc.REGIONS), ident, "ssm.amazonaws.com", acct, False)
        emit(ev, False, origin)
    elif shape == "owner_only":
        # a cross-account AssumeRole whose caller-side record is not loaded: the owner's names only an account
        other = g.r.choice([x for x in gc.ACCOUNTS if x != acct])
        role_arn = f"arn:aws:iam::{acct}:role/Vendor"
        principal = "AIDA" + other[:4] + user.upper()
        sname = "vendor-" + g.hexid(6)
        origin = ("Unknown", principal, other, [role_arn])
        _sts(g, t, "AssumeRole", {"type": "AWSAccount", "principalId": principal, "accountId": other}, acct,
             origin, emit, {"roleArn": role_arn, "roleSessionName": sname},
             {"credentials": _creds(g, t, key),
              "assumedRoleUser": {"assumedRoleId": "AROAX:" + sname, "arn": f"arn:aws:sts::{acct}:assumed-role/Vendor/{sname}"}},
             extra={"sharedEventID": g.uuid()})
        _call(g, t, _role_session(acct, "Vendor", sname, key, t), acct, origin, emit)
    elif shape == "identity_center":
        uid, uname = _ic_user(g)
        acct = g.r.choice(gc.ACCOUNTS + [IC_ACCOUNT])
        obo = {"userId": uid, "identityStoreArn": STORE}
        ident = {"type": "IdentityCenterUser", "accountId": acct, "onBehalfOf": obo, "credentialId": g.hexid(40)}
        ev = gc.base_event(g, t, "qbusiness.amazonaws.com", "Chat", g.r.choice(gc.REGIONS), ident, g.ip(), acct, False)
        emit(ev, False, _ic_origin(uid, uname, []))
        role = "QBusinessWebRole"
        _call(g, t, _role_session(acct, role, "web-" + g.hexid(6), key, t, obo=obo), acct,
              _ic_origin(uid, uname, [f"arn:aws:iam::{acct}:role/{role}"]), emit)
    elif shape == "sso":
        # a permission set's role session in any of the four accounts, named by the user's name; the
        # user's first one also carries onBehalfOf; some are written without a sessionIssuer
        uid, uname = _ic_user(g)
        acct = g.r.choice(gc.ACCOUNTS + [IC_ACCOUNT])
        pset = g.r.choice(PERMISSION_SETS)
        role = f"AWSReservedSSO_{pset}_{(acct + pset)[-6:]}abcd1234"
        role_arn = f"arn:aws:iam::{acct}:role/aws-reserved/sso.amazonaws.com/us-east-1/{role}"
        linked = g.__dict__.setdefault("ic_linked", set())
        ident = _role_session(acct, "aws-reserved/sso.amazonaws.com/us-east-1/" + role, uname, key, t,
                              obo=None if uid in linked else {"userId": uid, "identityStoreArn": STORE})
        ident["principalId"] = f"AROA{acct[:4]}SSO{pset[:4].upper()}:{uname}"
        roles = [role_arn]
        if uid in linked and g.r.random() < 0.25:
            del ident["sessionContext"]["sessionIssuer"]
            roles = []
        linked.add(uid)
        _call(g, t, ident, acct, _ic_origin(uid, uname, roles), emit)
    elif shape == "masked":
        ident = {"type": "IAMUser", "accountId": acct, "accessKeyId": "", "userName": "HIDDEN_DUE_TO_SECURITY_REASONS"}
        ev = gc.base_event(g, t, "signin.amazonaws.com", "ConsoleLogin", "us-east-1", ident, g.ip(), acct, False)
        ev["eventType"] = "AwsConsoleSignin"
        ev["requestParameters"] = None
        ev["errorMessage"] = "No username found in supplied account"
        ev["responseElements"] = {"ConsoleLogin": "Failure"}
        emit(ev, True, ("IAMUser", "HIDDEN_DUE_TO_SECURITY_REASONS", acct, []))
    else:  # ghost: a role session whose issuing call is not loaded
        role_arn = f"arn:aws:iam::{acct}:role/Ghost"
        _call(g, t, _role_session(acct, "Ghost", "g-" + g.hexid(6), key, t), acct, ("Unknown", role_arn, acct, [role_arn]), emit)
