using System.Net;
using Fairlane.ChannelSimulator.Vendors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fairlane.ChannelSimulator;

/// <summary>
/// Eposnow, Wix and Deliveroo look-alikes on one loopback Kestrel server, for tests and load tests.
/// Each account (one tenant's channel) lives under its own path, <c>{BaseUrl}/{type}/{account}</c>,
/// so any number of tenants share a server. Faults are set server-wide (<see cref="Faults"/>) or
/// per account (<see cref="SimulatedAccount.Faults"/>), here or through the <c>/_sim</c> API.
/// </summary>
public sealed class ChannelSimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatedAccounts _accounts;
    private SimulatedFaults _faults;

    private ChannelSimulatorServer(WebApplication app, SimulatedAccounts accounts, SimulatedFaults faults)
    {
        _app = app;
        _accounts = accounts;
        _faults = faults;
    }

    /// <summary>
    /// Starts a server on 127.0.0.1. <paramref name="port"/> 0 lets the OS pick a free port. The same
    /// <paramref name="seed"/> gives every account the same sequence of random faults for the same calls.
    /// <paramref name="standalone"/> lets Ctrl-C and SIGTERM stop it and logs to the console; in-process
    /// (the default) it leaves the host process's signals alone and logs nothing.
    /// </summary>
    public static async Task<ChannelSimulatorServer> StartAsync(
        int port = 0, SimulatedFaults? faults = null, int? seed = null, bool standalone = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(ChannelSimulatorServer).Assembly.GetName().Name });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.Configure<JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SimulatorJson.Default));
        if (standalone)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        }
        else
        {
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        }

        var app = builder.Build();
        var accounts = new SimulatedAccounts(seed ?? Random.Shared.Next());
        var server = new ChannelSimulatorServer(app, accounts, (faults ?? new SimulatedFaults()).Validated());
        app.UseRouting();
        app.Use(new FaultGate(accounts, () => server.Faults).InvokeAsync);
        EposNowApi.Map(app);
        WixApi.Map(app);
        DeliverooApi.Map(app);
        ControlApi.Map(app, server);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        accounts.ServerUrl = address.TrimEnd('/');
        return server;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:40123</c> (no trailing slash).</summary>
    public string BaseUrl => _accounts.ServerUrl;

    /// <summary>The seed random faults are drawn from.</summary>
    public int Seed => _accounts.Seed;

    /// <summary>Faults of every account, where the account does not override them.</summary>
    public SimulatedFaults Faults
    {
        get => Volatile.Read(ref _faults);
        set => Volatile.Write(ref _faults, (value ?? throw new ArgumentNullException(nameof(value))).Validated());
    }

    /// <summary>The account, created on first mention. Its <see cref="SimulatedAccount.BaseUrl"/> is what an adapter points at.</summary>
    public SimulatedAccount Account(string channelType, string name) => _accounts.GetOrAdd(channelType, name);

    public IReadOnlyList<SimulatedAccount> Accounts => _accounts.All;

    /// <summary>Restarts every account's random fault sequence from <paramref name="seed"/>.</summary>
    public void Reseed(int seed) => _accounts.Reseed(seed);

    /// <summary>Forgets every account and clears the server-wide faults.</summary>
    public void Reset()
    {
        _accounts.Clear();
        Faults = new SimulatedFaults();
    }

    /// <summary>Completes when the server is asked to stop (Ctrl-C or SIGTERM when standalone).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
