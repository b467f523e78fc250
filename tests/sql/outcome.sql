SELECT *
FROM cloudtrail_logs
WHERE NOT coalesce((errorcode <> '' OR errormessage <> '' OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure'), false)
  AND ((errorcode <> '' OR errormessage <> '' OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure') OR NOT coalesce((errorcode <> '' OR errormessage <> '' OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure'), false))
