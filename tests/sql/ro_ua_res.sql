SELECT *
FROM cloudtrail_logs
WHERE readonly = 'false'
  AND lower(useragent) LIKE '%boto3%' ESCAPE '\'
  AND cardinality(filter(resources, r -> lower(r.arn) LIKE 'arn:aws:iam::%:role/%' ESCAPE '\')) > 0
