SELECT *
FROM cloudtrail_logs
WHERE (lower(eventsource) LIKE 'sts' ESCAPE '\' OR (eventsource LIKE '%.amazonaws.com' AND lower(eventsource) LIKE 'sts.amazonaws.com' ESCAPE '\'))
