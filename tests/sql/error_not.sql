SELECT *
FROM cloudtrail_logs
WHERE NOT coalesce((errorcode <> '' OR errormessage <> '' OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure'), false)
  AND (lower(errorcode) LIKE '%denied%' ESCAPE '\' OR lower(errormessage) LIKE '%denied%' ESCAPE '\')
