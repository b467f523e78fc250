SELECT *
FROM cloudtrail_logs
WHERE regexp_like(eventname, '(?i)^assume')
  AND (regexp_like(eventsource, '(?i)^sts$') OR (eventsource LIKE '%_.amazonaws.com' AND regexp_like(substr(eventsource, 1, length(eventsource) - 14), '(?i)^sts$')))
  AND NOT coalesce(((regexp_like(useridentity.username, '(?i)^al') OR regexp_like(reverse(split_part(reverse(useridentity.username), '/', 1)), '(?i)^al') OR regexp_like(reverse(split_part(reverse(useridentity.username), ':', 1)), '(?i)^al')) OR (regexp_like(useridentity.arn, '(?i)^al') OR regexp_like(reverse(split_part(reverse(useridentity.arn), '/', 1)), '(?i)^al') OR regexp_like(reverse(split_part(reverse(useridentity.arn), ':', 1)), '(?i)^al')) OR (regexp_like(useridentity.principalid, '(?i)^al') OR regexp_like(reverse(split_part(reverse(useridentity.principalid), '/', 1)), '(?i)^al') OR regexp_like(reverse(split_part(reverse(useridentity.principalid), ':', 1)), '(?i)^al')) OR (regexp_like(useridentity.onbehalfof.userid, '(?i)^al') OR regexp_like(reverse(split_part(reverse(useridentity.onbehalfof.userid), '/', 1)), '(?i)^al') OR regexp_like(reverse(split_part(reverse(useridentity.onbehalfof.userid), ':', 1)), '(?i)^al'))), false)
  AND regexp_like(sourceipaddress, '(?i)^10\.')
  AND (regexp_like(errorcode, '(?i)denied$') OR regexp_like(errormessage, '(?i)denied$'))
