-- differs from ctview -f: requestParameters.bucketName:/^$/: where a key on the path holds an array, ctview matches each element's value; json_extract_scalar finds none there
SELECT *
FROM cloudtrail_logs
WHERE (eventname <> '' AND regexp_like(eventname, '(?i)x*'))
  AND regexp_like(coalesce(json_extract_scalar(requestparameters, '$.bucketName'), nullif(json_format(json_extract(requestparameters, '$.bucketName')), 'null')), '(?i)^$')
