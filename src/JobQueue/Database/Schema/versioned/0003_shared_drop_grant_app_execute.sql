-- jobqueue.grant_app_execute(pattern) is replaced by jobqueue.set_app_execute(names), which
-- ../grants.sql calls with the whole list on every run. A function that goes away is dropped by a
-- versioned script (IF EXISTS: on a new database it was never created) and its file removed.
DROP PROCEDURE IF EXISTS jobqueue.grant_app_execute(text);
