SELECT *
FROM cloudtrail_logs
WHERE lower(eventtype) LIKE 'awsapicall' ESCAPE '\'
  AND lower(eventcategory) LIKE 'management' ESCAPE '\'
