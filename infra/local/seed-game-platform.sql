-- Registers the Game Platform simulator's seeded competitors (tests/GamePlatform.Simulator, default
-- settings: 2 coaches x 3 competitors) so that a local game_platform_sync has something to sync.
-- Idempotent; run after the app has migrated the database:
--   psql "postgresql://jobqueue:jobqueue@127.0.0.1:${JOBQUEUE_PG_PORT:-25432}/jobqueue" -f infra/local/seed-game-platform.sql
-- Against a real Game Platform, register your own competitors with the same function.
SELECT game_platform.game_platform_upsert_competitor('coach-1', 'gp-user-101', 'Competitor 1-1');
SELECT game_platform.game_platform_upsert_competitor('coach-1', 'gp-user-102', 'Competitor 1-2');
SELECT game_platform.game_platform_upsert_competitor('coach-1', 'gp-user-103', 'Competitor 1-3');
SELECT game_platform.game_platform_upsert_competitor('coach-2', 'gp-user-201', 'Competitor 2-1');
SELECT game_platform.game_platform_upsert_competitor('coach-2', 'gp-user-202', 'Competitor 2-2');
SELECT game_platform.game_platform_upsert_competitor('coach-2', 'gp-user-203', 'Competitor 2-3');
