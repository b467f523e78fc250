SELECT *
FROM cloudtrail_logs
WHERE lower(json_extract_scalar(requestparameters, '$.roleArn')) LIKE '%admin' ESCAPE '\'
  AND lower(useridentity.arn) LIKE '%:user/%' ESCAPE '\'
  AND lower(eventname) LIKE 'get%' ESCAPE '\'
