SELECT *
FROM cloudtrail_logs
WHERE (lower(eventname) LIKE 'assumerole' ESCAPE '\' OR lower(eventname) LIKE 'consolelogin' ESCAPE '\')
  AND NOT coalesce((lower(useridentity.type) LIKE 'iamuser' ESCAPE '\' OR lower(useridentity.type) LIKE 'root' ESCAPE '\'), false)
  AND readonly = 'false'
