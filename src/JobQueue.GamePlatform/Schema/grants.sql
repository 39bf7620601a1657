-- Applied at the end of every run of the module's set that changed anything (ModuleSchema): the
-- schema game_platform locked down as the engine's jobqueue is (no privilege for anyone but the
-- owner; tables with row-level security; USAGE for jobqueue_app), and the functions the app's
-- runtime login (a member of jobqueue_app) may call: exactly these. A new function the handlers or
-- GamePlatformStore call is added here.
CALL jobqueue.lock_down_module('game_platform', ARRAY[
  'game_platform_apply_totals',
  'game_platform_claim_totals_batch',
  'game_platform_list_flagged',
  'game_platform_preview_activity',
  'game_platform_record_activity',
  'game_platform_release_totals_claim',
  'game_platform_sync_scope',
  'game_platform_upsert_competitor'
]);
