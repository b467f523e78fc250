SELECT *
FROM cloudtrail_logs
WHERE lower(eventname) LIKE 'assumerole%' ESCAPE '\'
