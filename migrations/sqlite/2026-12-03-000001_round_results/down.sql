DROP TABLE round_total_results;
DROP TABLE round_group_results;
DROP TABLE round_unit_results;
DROP TABLE round_results;
