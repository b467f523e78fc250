SELECT *
FROM cloudtrail_logs
WHERE (lower(recipientaccountid) LIKE '1111%' ESCAPE '\' OR lower(useridentity.accountid) LIKE '1111%' ESCAPE '\')
  AND lower(awsregion) LIKE 'eu-%' ESCAPE '\'
  AND lower(useridentity.type) LIKE 'assumedrole' ESCAPE '\'
