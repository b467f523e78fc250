-- differs from ctview -f: userIdentity.sessionContext:*true*: the struct as Trino writes it in JSON (lower-case keys, declared fields, nulls)
-- differs from ctview -f: requestParameters:*maxResults*: the JSON text as the table keeps it, not as logged (spacing, escapes, number forms)
SELECT *
FROM cloudtrail_logs
WHERE lower(json_format(CAST(useridentity.sessioncontext AS JSON))) LIKE '%true%' ESCAPE '\'
  AND lower(requestparameters) LIKE '%maxresults%' ESCAPE '\'
