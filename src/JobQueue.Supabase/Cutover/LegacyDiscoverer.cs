using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace JobQueue.Cutover;

/// <summary>
/// Reads what a lived-in database holds of the replaced stack, changing nothing: the legacy queue
/// table in <c>public</c>, its RPCs, the pause switch, RLS policies, what writes the table by name,
/// the pg_cron jobs the connected role can see (pg_cron shows a non-superuser only its own), where
/// secrets are kept (Vault, <c>cron_secrets</c>: names only, never a value), and what an earlier
/// cut-over recorded.
/// </summary>
public static partial class LegacyDiscoverer
{
    public const string QueueTable = "job_queue";
    public const string SettingsTable = "job_queue_settings";
    public static readonly string[] Rpcs = ["job_queue_enqueue", "job_queue_claim", "job_queue_mark_succeeded", "job_queue_mark_failed"];

    /// <summary>The comment that marks the cut-over's own objects in <c>public</c> (wrappers, view, trigger function).</summary>
    public const string Marker = "jobqueue cut-over:";

    public static async Task<LegacyInventory> DiscoverAsync(NpgsqlConnection app, NpgsqlConnection? cron, CancellationToken cancellationToken)
    {
        var (role, superuser, database) = await RoleAsync(app, cancellationToken);
        var installed = await ScalarAsync<bool>(app, "SELECT to_regclass('jobqueue.job_queue') IS NOT NULL", cancellationToken);
        var queues = await QueuesAsync(app, cancellationToken);
        var functions = await FunctionsAsync(app, cancellationToken);
        var settings = await SettingsAsync(app, cancellationToken);
        var policies = await ListAsync(app,
            "SELECT tablename::text, policyname::text, cmd, array_to_string(roles, ', ') FROM pg_policies WHERE schemaname = 'public' AND tablename IN ('job_queue', 'job_queue_settings') ORDER BY 1, 2",
            r => new LegacyPolicy(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)), cancellationToken);
        var writers = await WritersAsync(app, cancellationToken);
        var stores = await ListAsync(app,
            """
            -- by the catalogs: to_regclass needs USAGE on the schema, which a role other than postgres may lack
            SELECT s FROM (VALUES
              (EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'vault' AND c.relname = 'decrypted_secrets'), 'Supabase Vault (vault.decrypted_secrets)'),
              (to_regclass('public.cron_secrets') IS NOT NULL, 'table public.cron_secrets'),
              (to_regprocedure('public.get_secret(text)') IS NOT NULL, 'function public.get_secret(text)')) v(present, s)
            WHERE present
            """, r => r.GetString(0), cancellationToken);
        var actions = installed && await ScalarAsync<bool>(app, "SELECT to_regclass('jobqueue.cutover_actions') IS NOT NULL", cancellationToken)
            ? await ListAsync(app, "SELECT id, kind, legacy_name, kept_as, detail::text FROM jobqueue.cutover_actions WHERE rolled_back_at IS NULL ORDER BY id",
                r => new CutoverAction(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4)), cancellationToken)
            : [];

        var cronDatabase = cron is null ? null : (await RoleAsync(cron, cancellationToken)).Database;
        var jobs = new List<LegacyCronJob>();
        var converted = new List<ConvertedCronJob>();
        if (cron is not null)
        {
            jobs.AddRange(await ListAsync(cron,
                """
                SELECT j.jobid, COALESCE(j.jobname, ''), j.schedule, j.command, j.database, j.username, j.active, md5(j.command)
                  FROM cron.job j
                 WHERE j.database = $1
                   AND (to_regclass('jobqueue.cron_jobs') IS NULL
                        OR NOT EXISTS (SELECT FROM jobqueue.cron_jobs r WHERE r.jobid = j.jobid))
                 ORDER BY j.jobid
                """,
                r => new LegacyCronJob(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetBoolean(6), r.GetString(7)),
                cancellationToken, database));
            if (await ScalarAsync<bool>(cron, "SELECT to_regclass('jobqueue.cutover_cron_jobs') IS NOT NULL", cancellationToken))
            {
                converted.AddRange(await ListAsync(cron,
                    "SELECT old_jobid, old_jobname, new_jobname FROM jobqueue.cutover_cron_jobs WHERE rolled_back_at IS NULL AND old_database = $1 ORDER BY old_jobid",
                    r => new ConvertedCronJob(r.GetInt64(0), r.GetString(1), r.GetString(2)), cancellationToken, database));
            }
        }

        return new LegacyInventory(role, superuser, database, cronDatabase, installed, queues, functions, settings, policies, writers, jobs, stores,
            new CutoverRecord(actions, converted));
    }

    private static async Task<(string Role, bool Superuser, string Database)> RoleAsync(NpgsqlConnection c, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT current_user::text, r.rolsuper, current_database()::text FROM pg_roles r WHERE r.rolname = current_user", c);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetString(0), reader.GetBoolean(1), reader.GetString(2));
    }

    private static async Task<List<LegacyQueueTable>> QueuesAsync(NpgsqlConnection c, CancellationToken cancellationToken)
    {
        var tables = await ListAsync(c,
            """
            SELECT c.oid::bigint, c.relname::text, pg_get_userbyid(c.relowner)::text, pg_has_role(c.relowner, 'MEMBER'), c.relrowsecurity
              FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname = $1
            """,
            r => (Oid: r.GetInt64(0), Name: r.GetString(1), Owner: r.GetString(2), Mine: r.GetBoolean(3), Rls: r.GetBoolean(4)), cancellationToken, QueueTable);
        var result = new List<LegacyQueueTable>();
        foreach (var t in tables)
        {
            var columns = await ListAsync(c,
                """
                SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid), a.attnotnull
                  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY a.attnum
                """,
                r => new LegacyColumn(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetBoolean(3)), cancellationToken, t.Oid);
            var checks = await ListAsync(c, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = $1::oid AND contype = 'c'",
                r => r.GetString(0), cancellationToken, t.Oid);
            var statusColumn = columns.Select(x => x.Name).FirstOrDefault(n => LegacyQueueMapping.StatusNames.Contains(n));
            var vocabulary = checks.Where(k => statusColumn is not null && k.Contains(statusColumn, StringComparison.Ordinal))
                .SelectMany(k => QuotedWords().Matches(k).Select(m => m.Groups[1].Value)).Distinct().ToList();
            var taskColumn = columns.Select(x => x.Name).FirstOrDefault(n => LegacyQueueMapping.TaskNames.Contains(n));
            var readable = await ScalarAsync<bool>(c, "SELECT has_table_privilege($1::oid, 'SELECT')", cancellationToken, t.Oid);
            var counts = statusColumn is null || !readable
                ? []
                : await ListAsync(c,
                    $"SELECT COALESCE({LegacyQueueMapping.Q(statusColumn)}::text, 'pending'), {(taskColumn is null ? "''" : $"COALESCE({LegacyQueueMapping.Q(taskColumn)}::text, '')")}, count(*) "
                    + $"FROM public.{LegacyQueueMapping.Q(t.Name)} GROUP BY 1, 2 ORDER BY 1, 2",
                    r => new LegacyJobCount(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken);
            result.Add(new LegacyQueueTable(t.Name, t.Owner, t.Mine, t.Rls, columns, vocabulary, counts));
        }

        return result;
    }

    private static async Task<List<LegacyFunction>> FunctionsAsync(NpgsqlConnection c, CancellationToken cancellationToken)
    {
        return await ListAsync(c,
            """
            SELECT p.proname::text, p.oid::regprocedure::text, pg_get_function_identity_arguments(p.oid), pg_get_function_arguments(p.oid),
                   pg_get_function_result(p.oid), p.proretset, pg_get_userbyid(p.proowner)::text, pg_has_role(p.proowner, 'MEMBER'),
                   p.proargmodes IS NOT NULL,
                   COALESCE(p.proargnames[1:p.pronargs], array_fill(''::text, ARRAY[p.pronargs])),
                   COALESCE((SELECT array_agg(format_type(t, NULL) ORDER BY i) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i)), '{}'),
                   COALESCE((SELECT array_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
                               FROM aclexplode(p.proacl) a WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner), '{}'),
                   p.proacl IS NULL
              FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f' AND p.proname = ANY ($1)
               AND COALESCE(obj_description(p.oid, 'pg_proc'), '') NOT LIKE 'jobqueue%'
             ORDER BY p.proname, p.oid
            """,
            r =>
            {
                var names = r.GetFieldValue<string[]>(9);
                var types = r.GetFieldValue<string[]>(10);
                var grantees = r.GetFieldValue<string[]>(11).ToList();
                if (r.GetBoolean(12))
                {
                    grantees.Add("PUBLIC");
                }

                return new LegacyFunction(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), types.Select((t, i) => new LegacyArgument(i < names.Length ? names[i] ?? "" : "", t)).ToList(),
                    r.GetString(4), r.GetBoolean(5), r.GetString(6), r.GetBoolean(7), r.GetBoolean(8), grantees);
            }, cancellationToken, new object[] { Rpcs });
    }

    private static async Task<LegacySettings?> SettingsAsync(NpgsqlConnection c, CancellationToken cancellationToken)
    {
        if (!await ScalarAsync<bool>(c, "SELECT EXISTS (SELECT FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname = 'job_queue_settings' AND relkind IN ('r', 'p'))", cancellationToken))
        {
            return null;
        }

        var row = await ScalarAsync<bool>(c, "SELECT has_table_privilege('public.job_queue_settings', 'SELECT')", cancellationToken)
            ? await ScalarAsync<string?>(c, "SELECT row_to_json(s)::text FROM public.job_queue_settings s LIMIT 1", cancellationToken)
            : null;
        if (row is null)
        {
            return new LegacySettings("public." + SettingsTable, null, null);
        }

        using var doc = JsonDocument.Parse(row);
        var o = doc.RootElement;
        bool? enabled = o.TryGetProperty("processing_enabled", out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean()
            : o.TryGetProperty("paused", out var p) && p.ValueKind is JsonValueKind.True or JsonValueKind.False ? !p.GetBoolean()
            : null;
        var reason = o.TryGetProperty("paused_reason", out var why) && why.ValueKind == JsonValueKind.String ? why.GetString() : null;
        return new LegacySettings("public." + SettingsTable, enabled, reason);
    }

    private static Task<List<LegacyWriter>> WritersAsync(NpgsqlConnection c, CancellationToken cancellationToken) =>
        ListAsync(c,
            """
            SELECT 'trigger', t.tgname::text, t.tgrelid::regclass::text
              FROM pg_trigger t
             WHERE NOT t.tgisinternal AND t.tgrelid = to_regclass('public.job_queue')
            UNION ALL
            SELECT 'function', p.oid::regprocedure::text, COALESCE((SELECT string_agg(t.tgname || ' on ' || t.tgrelid::regclass::text, ', ')
                                                        FROM pg_trigger t WHERE t.tgfoid = p.oid AND NOT t.tgisinternal), '')
              FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f' AND NOT (p.proname = ANY ($1))
               AND p.prosrc ~* '\m(insert\s+into|update|delete\s+from)\s+(public\.)?job_queue\M'
               AND COALESCE(obj_description(p.oid, 'pg_proc'), '') NOT LIKE 'jobqueue%'
             ORDER BY 1, 2
            """,
            r => new LegacyWriter(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken, new object[] { Rpcs });

    internal static async Task<T> ScalarAsync<T>(NpgsqlConnection c, string sql, CancellationToken cancellationToken, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        var value = await cmd.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default! : (T)value;
    }

    internal static async Task<List<T>> ListAsync<T>(NpgsqlConnection c, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        var list = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(read(reader));
        }

        return list;
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedWords();
}
