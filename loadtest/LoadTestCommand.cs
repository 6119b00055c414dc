using System.Diagnostics;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Contracts.Producing;

namespace Fairlane.LoadTest;

internal static class LoadTestCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(LoadTestOptions.Usage);
            return 0;
        }
        LoadTestOptions options;
        try
        {
            options = LoadTestOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"fairlane-loadtest: {ex.Message}");
            return 2;
        }

        var runId = Guid.NewGuid().ToString("N")[..8];
        var tenants = Enumerable.Range(1, options.Tenants).Select(i => $"load-{runId}-{i:0000}").ToArray();
        var topic = new Topics(options.TopicPrefix).Webhooks;
        var ledger = new ResultLedger(options.Postgres);
        using var producer = new FairlaneProducer(options.BootstrapServers, "fairlane-loadtest");

        await ledger.RegisterTenantsAsync(tenants);
        Console.WriteLine($"run {runId}: {options.RatePerSecond}/s over {options.Tenants} tenants for {options.Duration.TotalSeconds:0} s to {topic}");
        var sent = await SendAsync(producer, topic, tenants, options);
        Console.WriteLine($"sent {sent} events; waiting for them to be processed");

        var clock = Stopwatch.StartNew();
        long processed;
        while ((processed = await ledger.CountAsync(runId)) < sent && clock.Elapsed < options.DrainTimeout)
        {
            Console.WriteLine($"  processed {processed}/{sent}");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var report = await ledger.ReportAsync(runId, sent);
        Console.WriteLine(report.ToMarkdown(options));
        return report.Lost == 0 && report.Duplicated == 0 ? 0 : 1;
    }

    // Open loop: events go out on a fixed schedule whatever the fleet's speed, so a slow fleet shows as latency.
    private static async Task<long> SendAsync(FairlaneProducer producer, string topic, string[] tenants, LoadTestOptions options)
    {
        var total = (long)(options.RatePerSecond * options.Duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        long failed = 0;
        for (long i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / options.RatePerSecond);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            var tenant = tenants[i % tenants.Length];
            var envelope = EnvelopeCodec.Create(tenant, EventTypes.StockChanged,
                new StockChanged { ChannelType = "wix", ChannelId = "wix-main", ExternalId = $"item-{i % 100}", Quantity = (int)(i % 500), Sequence = i },
                FairlaneJsonContext.Default.StockChanged);
            producer.Produce(topic, envelope, r => { if (r.Error.IsError) Interlocked.Increment(ref failed); });
        }
        var unsent = producer.Flush(TimeSpan.FromSeconds(30));
        var lost = Interlocked.Read(ref failed) + unsent;
        if (lost > 0) Console.Error.WriteLine($"fairlane-loadtest: {lost} events could not be sent (is Kafka at {options.BootstrapServers}?)");
        return total - lost;
    }
}
