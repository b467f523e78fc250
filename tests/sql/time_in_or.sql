SELECT *
FROM cloudtrail_logs
WHERE (eventtime >= '2024-03-01T00:00:00Z' OR lower(eventname) LIKE 'x' ESCAPE '\')
