-- differs from ctview -f: "'); DROP TABLE x; --": free text, looked for in each column's text (structs as JSON with lower-case keys) rather than in the event's JSON as logged: top-level key names are not searched
SELECT *
FROM cloudtrail_logs
WHERE lower(useragent) LIKE 'it''s \\ \%\_ -- /% %/ " ;' ESCAPE '\'
  AND lower(concat_ws(chr(10), eventversion, eventtime, eventsource, eventname, awsregion, sourceipaddress, useragent, errorcode, errormessage, requestparameters, responseelements, additionaleventdata, requestid, eventid, readonly, eventtype, apiversion, recipientaccountid, serviceeventdetails, sharedeventid, vpcendpointid, eventcategory, json_format(CAST(useridentity AS JSON)), json_format(CAST(resources AS JSON)), json_format(CAST(tlsdetails AS JSON)))) LIKE '%''); drop table x; --%' ESCAPE '\'
