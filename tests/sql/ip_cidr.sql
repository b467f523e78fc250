SELECT *
FROM cloudtrail_logs
WHERE ((contains('192.0.2.0/24', TRY_CAST(sourceipaddress AS IPADDRESS)) AND strpos(sourceipaddress, ':') = 0) OR (contains('2001:db8::/32', TRY_CAST(sourceipaddress AS IPADDRESS)) AND strpos(sourceipaddress, ':') > 0))
