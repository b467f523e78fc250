SELECT *
FROM security.trail_2024
