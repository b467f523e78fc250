SELECT *
FROM cloudtrail_logs
WHERE (cardinality(filter(resources, r -> lower(r.arn) LIKE '%role%' ESCAPE '\')) > 0 OR cardinality(filter(resources, r -> lower(r.type) LIKE 'aws::s3::%' ESCAPE '\')) > 0)
