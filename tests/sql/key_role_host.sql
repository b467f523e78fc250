SELECT *
FROM cloudtrail_logs
WHERE (lower(useridentity.accesskeyid) LIKE 'asia%' ESCAPE '\' OR lower(json_extract_scalar(responseelements, '$.credentials.accessKeyId')) LIKE 'asia%' ESCAPE '\')
  AND (lower(json_extract_scalar(requestparameters, '$.roleArn')) LIKE '%admin' ESCAPE '\' OR lower(useridentity.sessioncontext.sessionissuer.arn) LIKE '%admin' ESCAPE '\')
  AND lower(tlsdetails.clientprovidedhostheader) LIKE 'sts.%' ESCAPE '\'
