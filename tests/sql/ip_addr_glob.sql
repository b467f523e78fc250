SELECT *
FROM cloudtrail_logs
WHERE (((contains('198.51.100.7/32', TRY_CAST(sourceipaddress AS IPADDRESS)) AND strpos(sourceipaddress, ':') = 0) OR lower(sourceipaddress) LIKE '203.1%' ESCAPE '\') OR lower(sourceipaddress) LIKE 'aws%' ESCAPE '\')
