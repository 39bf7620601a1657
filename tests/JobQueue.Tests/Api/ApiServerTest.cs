using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Api;

/// <summary>A fresh database and server for every test of the class (xunit makes an instance per test).</summary>
public abstract class ApiServerTest : IAsyncLifetime
{
    protected TestDatabase Db { get; private set; } = null!;

    protected ApiTestServer Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        Api = await ApiTestServer.StartAsync(Db);
    }

    public virtual async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Db.DisposeAsync();
    }
}
