SELECT DISTINCT "$path"
FROM cloudtrail_logs
WHERE "timestamp" >= '2024/02/29'
  AND eventtime >= '2024-03-01T00:00:00Z'
  AND lower(eventname) LIKE 'putobject' ESCAPE '\'
