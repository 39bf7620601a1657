using JobQueue.Server;

var builder = WebApplication.CreateBuilder(args);
JobQueueServer.ConfigureBuilder(builder);
var app = builder.Build();
await JobQueueServer.ConfigureAppAsync(app);
await app.RunAsync();
