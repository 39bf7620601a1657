// The Game Platform simulator, standalone:
//   dotnet run --project tests/GamePlatform.Simulator -- --urls http://127.0.0.1:5081
// See README.md next to this file.
await GamePlatform.Simulator.SimulatorApp.Build(args).RunAsync();
