-- differs from ctview -f: requestParameters.bucketName:/^prod-/: where a key on the path holds an array, ctview matches each element's value; json_extract_scalar finds none there
SELECT *
FROM cloudtrail_logs
WHERE regexp_like(coalesce(json_extract_scalar(requestparameters, '$.bucketName'), nullif(json_format(json_extract(requestparameters, '$.bucketName')), 'null')), '(?i)^prod-')
  AND cardinality(filter(resources, r -> regexp_like(r.arn, '(?i)role\/x$'))) > 0
  AND regexp_like(useridentity.sessioncontext.sessionissuer.username, '(?i)^admin$')
