using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Tests.Worker.Hosting;

public sealed class HostFaultsTests
{
    private sealed class FaultingService : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("consume loop broke");
        }
    }

    private sealed class QuietService : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Delay(Timeout.Infinite, stoppingToken);
    }

    [Fact]
    public async Task A_service_that_faults_after_start_stops_the_host_and_is_reported()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHostedService<QuietService>();
        builder.Services.AddHostedService<FaultingService>();
        using var host = builder.Build();

        await host.StartAsync();
        // The fault stops the host by itself; the deadline only guards against a hang.
        await host.WaitForShutdownAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        var fault = HostFaults.FirstFault(host.Services);
        Assert.NotNull(fault);
        Assert.Equal("consume loop broke", fault.Message);
    }

    [Fact]
    public async Task A_clean_stop_reports_no_fault()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHostedService<QuietService>();
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        Assert.Null(HostFaults.FirstFault(host.Services));
    }
}
