-- differs from ctview -f: requestParameters.it's-a[key]:x: where a key on the path holds an array, ctview matches each element's value; json_extract_scalar finds none there
SELECT *
FROM cloudtrail_logs
WHERE lower(coalesce(json_extract_scalar(requestparameters, '$["it''s-a[key]"]'), nullif(json_format(json_extract(requestparameters, '$["it''s-a[key]"]')), 'null'))) LIKE 'x' ESCAPE '\'
