SELECT *
FROM cloudtrail_logs
WHERE lower(eventid) LIKE '0f%' ESCAPE '\'
  AND sharedeventid <> ''
  AND lower(requestid) LIKE 'abc%' ESCAPE '\'
