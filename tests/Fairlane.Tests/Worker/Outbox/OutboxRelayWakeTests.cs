using Fairlane.Agents.Outbox;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.DevKafka;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Observability;
using Fairlane.Worker.Outbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Worker.Outbox;

/// <summary>
/// The relay against a real database and the mock Kafka cluster, with a 10 s poll: rows written by
/// another connection must be relayed within 2 s, so only the outbox trigger's notice can have woken
/// it; and killing its listening session must lose no row and bring the listener back.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OutboxRelayWakeTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WellBeforePoll = TimeSpan.FromSeconds(2);

    private sealed class Rig : IAsyncDisposable
    {
        private readonly MockCluster _cluster = MockCluster.Start(1);
        private string _topic = "";
        private DataSources? _sources;
        private OutboxRelay? _relay;

        public TestDatabase Db { get; private set; } = null!;

        public static async Task<Rig> StartAsync()
        {
            var rig = new Rig { Db = await TestDatabase.CreateAsync() };
            await rig.Db.RegisterTenantsAsync(["shop"]);
            var prefix = TestServers.UniqueName("relaywake");
            rig._topic = new Topics(prefix).Alerts;
            rig._cluster.CreateTopic(rig._topic, 1, 1);
            rig._sources = new DataSources(Options.Create(new PostgresOptions
                { ConnectionString = rig.Db.AppConnectionString, OwnerConnectionString = rig.Db.OwnerConnectionString }));
            rig._relay = new OutboxRelay(rig._sources,
                Options.Create(new KafkaOptions { BootstrapServers = rig._cluster.BootstrapServers, TopicPrefix = prefix }),
                Options.Create(new WorkerOptions { NodeId = "relaywake" }),
                Options.Create(new AgentOptions { OutboxPollMs = (int)Poll.TotalMilliseconds }),
                NullLogger<OutboxRelay>.Instance);
            await rig._relay.StartAsync(CancellationToken.None);
            return rig;
        }

        /// <summary>The backend id of the relay's listening session, once it listens (not <paramref name="not"/>).</summary>
        public Task<int> ListenerAsync(int not = 0) => Eventually.WaitAsync(
            () => Db.ScalarAsync<int>($"""
                SELECT coalesce(max(pid), 0) FROM pg_stat_activity
                WHERE datname = '{Db.Name}' AND query = 'LISTEN {OutboxNotices.Channel}' AND pid <> {not}
                """),
            pid => pid != 0, TimeSpan.FromSeconds(15), "the relay's listening session");

        /// <summary>Writes <paramref name="count"/> rows in one transaction of a connection of the test's own.</summary>
        public async Task WriteAsync(string prefix, int count)
        {
            await using var connection = await Db.Owner.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await OutboxWriter.AddForTenantsAsync(connection, tx, EventCatalog.AlertCheck,
                Enumerable.Range(0, count).Select(i => ("shop", new AlertCheck { Check = "all" }, $"{prefix}-{i}")).ToList(), CancellationToken.None);
            await tx.CommitAsync();
        }

        /// <summary>The records the relay published: the effect, whatever the rows say of themselves.</summary>
        public long Published => DeadLetterReader.Count(_cluster.BootstrapServers, _topic);

        public Task<long> UnsentAsync(string prefix) =>
            Db.ScalarAsync<long>($"SELECT count(*) FROM outbox WHERE sent_at IS NULL AND event_id LIKE '{prefix}-%'");

        public async Task RelayedWithinAsync(string prefix, TimeSpan deadline) =>
            await Eventually.WaitAsync(() => UnsentAsync(prefix), unsent => unsent == 0, deadline, $"the relay to send the {prefix} rows");

        public async ValueTask DisposeAsync()
        {
            if (_relay is not null) await _relay.StopAsync(CancellationToken.None);
            _relay?.Dispose();
            if (_sources is not null) await _sources.DisposeAsync();
            await Db.DisposeAsync();
            _cluster.Dispose();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_row_written_by_another_connection_wakes_the_relay_long_before_its_poll()
    {
        await using var rig = await Rig.StartAsync();
        await rig.ListenerAsync();
        var notified = FairlaneMetrics.OutboxWakeups.WithLabels("notify").Value;

        // Twice: the second round runs once the wake-up of the listener's connection was surely taken.
        foreach (var round in new[] { "first", "second" })
        {
            await rig.WriteAsync(round, 3);
            await rig.RelayedWithinAsync(round, WellBeforePoll);
        }

        Assert.Equal(6, rig.Published);
        Assert.True(FairlaneMetrics.OutboxWakeups.WithLabels("notify").Value - notified >= 2, "notices counted as wake-ups");
    }

    [Fact(Timeout = 60_000)]
    public async Task Killing_the_listening_session_loses_no_row_and_the_listener_comes_back()
    {
        await using var rig = await Rig.StartAsync();
        var killed = await rig.ListenerAsync();

        Assert.True(await rig.Db.ScalarAsync<bool>($"SELECT pg_terminate_backend({killed})"));
        await rig.WriteAsync("while-down", 5); // its notice may reach no one

        await rig.RelayedWithinAsync("while-down", Poll + TimeSpan.FromSeconds(5));
        var back = await rig.ListenerAsync(not: killed);
        Assert.NotEqual(killed, back);

        // And the new session is woken by notices again.
        await rig.WriteAsync("after", 2);
        await rig.RelayedWithinAsync("after", WellBeforePoll);
        Assert.Equal(7, rig.Published); // nothing written while the listener was down was lost
    }
}
