SELECT *
FROM cloudtrail_logs
WHERE "timestamp" BETWEEN '2024/02/29' AND '2024/03/03'
  AND eventtime >= '2024-03-01T00:30:00Z'
  AND eventtime < '2024-03-03T00:00:00Z'
  AND lower(eventname) LIKE 'getobject' ESCAPE '\'
