SELECT *
FROM cloudtrail_logs
WHERE lower(useridentity.sessioncontext.sessionissuer.username) LIKE 'admin' ESCAPE '\'
  AND tlsdetails.tlsversion IS NOT NULL
