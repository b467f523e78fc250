SELECT *
FROM cloudtrail_logs
WHERE (errorcode <> '' OR errormessage <> '' OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure')
