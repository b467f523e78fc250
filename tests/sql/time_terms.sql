SELECT *
FROM cloudtrail_logs
WHERE "timestamp" BETWEEN '2024/03/01' AND '2024/03/02'
  AND eventtime >= '2024-03-01T12:00:01Z'
  AND eventtime < '2024-03-02T00:00:00Z'
