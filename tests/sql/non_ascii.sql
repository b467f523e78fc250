-- differs from ctview -f: ua:*Élan*: Trino's lower() folds non-ASCII letters too; ctview folds ASCII letters only
SELECT *
FROM cloudtrail_logs
WHERE lower(useragent) LIKE lower('%Élan%') ESCAPE '\'
