SELECT *
FROM "Trails"."_raw"
