SELECT *
FROM cloudtrail_logs
