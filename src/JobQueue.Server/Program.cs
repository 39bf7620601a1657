using JobQueue.Server;

if (args.Length > 0 && args[0] == MigrateCommand.Verb)
{
    return await MigrateCommand.RunAsync(args);
}

if (args.Length > 0 && args[0] == CutoverCommand.Verb)
{
    return await CutoverCommand.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddLocalSettingsFile();
JobQueueServer.ConfigureBuilder(builder);
var app = builder.Build();
await JobQueueServer.ConfigureAppAsync(app);
await app.RunAsync();
return 0;
