namespace JobQueue.Secrets;

/// <summary>A module's own secret names (e.g. configured ones), which no job may name either (<see cref="AppSecrets"/>).</summary>
public interface IOwnSecretNames
{
    IEnumerable<string?> Names { get; }
}
