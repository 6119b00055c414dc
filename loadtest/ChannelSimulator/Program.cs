using Fairlane.ChannelSimulator;

// fairlane-channel-simulator: the channel look-alikes as a process of their own, for load tests.
if (args is ["--help" or "-h"])
{
    Console.WriteLine(SimulatorCommandLine.Usage);
    return 0;
}
SimulatorCommandLine options;
try
{
    options = SimulatorCommandLine.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(SimulatorCommandLine.Usage);
    return 2;
}

await using var server = await ChannelSimulatorServer.StartAsync(options.Port, options.Faults, options.Seed, standalone: true);
Console.WriteLine($"Channel simulator on {server.BaseUrl} (seed {server.Seed}); Ctrl-C stops it.");
await server.WaitForShutdownAsync();
return 0;
