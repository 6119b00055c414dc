using Microsoft.Extensions.Configuration;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace Fairlane.Tests.Worker;

public sealed class OptionsValidationTests
{
    private static string Failures<T>(IValidateOptions<T> validator, T options) where T : class =>
        validator.Validate(Options.DefaultName, options) is { Failed: true } r ? string.Join("\n", r.Failures) : "";

    [Fact]
    public void Missing_bootstrap_servers_names_the_setting_and_its_environment_variable()
    {
        var failures = Failures(new KafkaOptionsValidator(), new KafkaOptions());
        Assert.Contains("Kafka:BootstrapServers", failures);
        Assert.Contains("FAIRLANE__KAFKA__BOOTSTRAPSERVERS", failures);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("host:0")]
    [InlineData("a:1,b")]
    public void Bootstrap_servers_must_be_host_port_pairs(string value) =>
        Assert.Contains("Kafka:BootstrapServers", Failures(new KafkaOptionsValidator(), new KafkaOptions { BootstrapServers = value }));

    [Fact]
    public void Valid_kafka_options_pass()
    {
        Assert.Equal("", Failures(new KafkaOptionsValidator(), new KafkaOptions { BootstrapServers = "a:9092,b:9092" }));
    }

    [Fact]
    public void Topic_prefix_with_a_space_is_rejected() =>
        Assert.Contains("Kafka:TopicPrefix", Failures(new KafkaOptionsValidator(), new KafkaOptions { BootstrapServers = "a:1", TopicPrefix = "a b" }));

    [Theory]
    [InlineData(0L)]
    [InlineData(1024L * 1024 - 1)]
    public void Buffer_byte_watermark_below_one_mebibyte_is_named(long bytes)
    {
        var failures = Failures(new EngineOptionsValidator(), new EngineOptions { BufferHighWatermarkBytes = bytes });
        Assert.Contains("Engine:BufferHighWatermarkBytes", failures);
        Assert.Contains("FAIRLANE__ENGINE__BUFFERHIGHWATERMARKBYTES", failures);
    }

    [Fact]
    public void Default_engine_options_pass_with_a_256_MiB_byte_watermark()
    {
        Assert.Equal(256L * 1024 * 1024, new EngineOptions().BufferHighWatermarkBytes);
        Assert.Equal("", Failures(new EngineOptionsValidator(), new EngineOptions()));
    }

    [Fact]
    public void Postgres_connection_strings_are_required_and_never_echoed()
    {
        var missing = Failures(new PostgresOptionsValidator(), new PostgresOptions());
        Assert.Contains("Postgres:ConnectionString", missing);
        Assert.Contains("Postgres:OwnerConnectionString", missing);

        var bad = Failures(new PostgresOptionsValidator(), new PostgresOptions
        {
            ConnectionString = "Host=h;Database=d;Password=s3cret;Bogus Key=1",
            OwnerConnectionString = "Host=h;Database=d",
        });
        Assert.Contains("Postgres:ConnectionString", bad);
        Assert.DoesNotContain("s3cret", bad);
    }

    [Fact]
    public void Redis_needs_distinct_host_port_endpoints()
    {
        Assert.Contains("Redis:Endpoints", Failures(new RedisOptionsValidator(), new RedisOptions()));
        Assert.Contains("Redis:Endpoints:1", Failures(new RedisOptionsValidator(), new RedisOptions { Endpoints = ["a:1", "nope"] }));
        Assert.Contains("same node twice", Failures(new RedisOptionsValidator(), new RedisOptions { Endpoints = ["a:1", "a:1"] }));
    }

    [Fact]
    public void Unknown_agent_is_named()
    {
        var failures = Failures(new WorkerOptionsValidator(), new WorkerOptions { Agents = ["watcher", "janitor"] });
        Assert.Contains("Worker:Agents", failures);
        Assert.Contains("janitor", failures);
    }

    [Fact]
    public void Metrics_port_out_of_range_is_named() =>
        Assert.Contains("Http:MetricsPort", Failures(new HttpOptionsValidator(), new HttpOptions { MetricsPort = 70000 }));

    [Fact]
    public void Agents_bound_from_configuration_replace_the_default_rather_than_add_to_it()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Worker:Agents:0"] = "watcher" })
            .Build();
        var options = configuration.GetSection("Worker").Get<WorkerOptions>()!;

        Assert.Equal(["watcher"], options.Agents);
        Assert.False(options.Runs("guardian"));
    }

    [Fact]
    public void Worker_runs_all_agents_by_default_or_only_those_listed()
    {
        Assert.True(new WorkerOptions().Runs("guardian"));
        var guardianOnly = new WorkerOptions { Agents = ["guardian"] };
        Assert.True(guardianOnly.Runs("guardian"));
        Assert.False(guardianOnly.Runs("watcher"));
    }
}
