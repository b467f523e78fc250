-- differs from ctview -f: requestParameters.bucketName:prod-*: where a key on the path holds an array, ctview matches each element's value; json_extract_scalar finds none there
-- differs from ctview -f: responseElements.credentials.expiration:*: where a key on the path holds an array, ctview matches each element's value; json_extract_scalar finds none there
SELECT *
FROM cloudtrail_logs
WHERE lower(coalesce(json_extract_scalar(requestparameters, '$.bucketName'), nullif(json_format(json_extract(requestparameters, '$.bucketName')), 'null'))) LIKE 'prod-%' ESCAPE '\'
  AND NOT coalesce(coalesce(json_extract_scalar(responseelements, '$.credentials.expiration'), nullif(json_format(json_extract(responseelements, '$.credentials.expiration')), 'null')) IS NOT NULL, false)
