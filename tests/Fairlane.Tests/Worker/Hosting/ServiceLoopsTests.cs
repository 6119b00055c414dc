using Fairlane.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Tests.Worker.Hosting;

/// <summary>A service of several loops (the consumers, the worker pool) faults when any one of them ends early.</summary>
public sealed class ServiceLoopsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // Three loops; the one at index `ends` ends on its own after its first pass, by throwing or returning.
    private sealed class Pool(int ends, bool throws) : BackgroundService
    {
        public int Started;
        public int Stopped;

        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            ServiceLoops.RunAsync("The test pool", Enumerable.Range(0, 3).Select(i => (Func<CancellationToken, Task>)(ct => LoopAsync(i, ct))).ToList(),
                stoppingToken);

        private async Task LoopAsync(int index, CancellationToken ct)
        {
            Interlocked.Increment(ref Started);
            try
            {
                await Task.Yield();
                if (index == ends)
                {
                    if (throws) throw new InvalidOperationException("worker broke");
                    return;
                }
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            finally
            {
                Interlocked.Increment(ref Stopped);
            }
        }
    }

    private static async Task<(Pool Pool, Exception? Fault)> RunUntilTheHostStopsAsync(int ends, bool throws)
    {
        var pool = new Pool(ends, throws);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHostedService(_ => pool);
        using var host = builder.Build();
        await host.StartAsync();
        // The ended loop stops the host by itself; the deadline only guards against a hang.
        await host.WaitForShutdownAsync(new CancellationTokenSource(Deadline).Token);
        return (pool, HostFaults.FirstFault(host.Services));
    }

    [Theory]
    [InlineData(1, true, "The test pool: a loop failed (worker broke)")]
    [InlineData(2, false, "The test pool: a loop ended while the node was running")]
    public async Task One_loop_that_ends_early_stops_its_siblings_and_faults_the_service(int ends, bool throws, string reported)
    {
        var (pool, fault) = await RunUntilTheHostStopsAsync(ends, throws);

        Assert.NotNull(fault);
        Assert.Contains(reported, fault.Message);
        Assert.Equal(3, pool.Stopped);
    }

    [Fact]
    public async Task Loops_that_end_because_the_host_stops_are_no_fault()
    {
        var pool = new Pool(ends: -1, throws: false);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHostedService(_ => pool);
        using var host = builder.Build();
        await host.StartAsync();
        await Eventually.WaitAsync(() => Volatile.Read(ref pool.Started) == 3, Deadline, "the loops to start");
        await host.StopAsync();

        Assert.Null(HostFaults.FirstFault(host.Services));
        Assert.Equal(3, pool.Stopped);
    }
}
