-- The privileges granted at the end of every upgrade: the allow-lists of
-- meta.apply_privileges() (05_privileges.sql), after every file has
-- (re)created its objects and the leftovers of the earlier version are gone.

-- Functions the owner creates between upgrades are nobody's but his until
-- the next upgrade lists them (PostgreSQL's default gives EXECUTE to
-- PUBLIC; the per-schema form of this statement cannot take it away).
ALTER DEFAULT PRIVILEGES FOR ROLE gis_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

SELECT meta.apply_privileges();
