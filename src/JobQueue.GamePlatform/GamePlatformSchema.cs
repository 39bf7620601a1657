using JobQueue.Database;

namespace JobQueue.GamePlatform;

/// <summary>
/// The Game Platform's migration set (Schema/ in this project, embedded): its tables and functions in
/// the schema <c>game_platform</c>, its journals there too (<c>game_platform.schema_versions</c>,
/// <c>game_platform.schema_files</c>). <c>AddGamePlatform()</c> registers it; a tool that migrates
/// without the builder passes it to <see cref="DatabaseMigrator"/> itself.
/// </summary>
public static class GamePlatformSchema
{
    /// <summary>The module's schema.</summary>
    public const string Name = "game_platform";

    /// <summary>The logical name prefix of the embedded files (JobQueue.GamePlatform.csproj).</summary>
    public const string ResourcePrefix = "game-platform-schema/";

    public static ModuleSchema Set { get; } = new(Name, typeof(GamePlatformSchema).Assembly, ResourcePrefix);
}
