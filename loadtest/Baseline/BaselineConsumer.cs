using System.Collections.Concurrent;
using System.Threading.Channels;
using Confluent.Kafka;
using Fairlane.Producing;

namespace Fairlane.LoadTest.Baseline;

/// <summary>
/// What a team would write by hand: one plain Confluent.Kafka consumer whose loop hands each record
/// to its partition's queue, and one task per partition that processes that queue strictly in order,
/// one record at a time. Offsets of processed records are committed every second. Queues are not
/// bounded: the embedded broker keeps only ~5 MB per partition, so a consumer that left a hot
/// partition's backlog in the broker would lose records there, which real Kafka would not.
/// </summary>
internal sealed class BaselineConsumer : IAsyncDisposable
{
    private static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(1);
    private readonly IConsumer<string?, byte[]?> _consumer;
    private readonly BaselineProcessor _processor;
    private readonly ConcurrentDictionary<TopicPartition, Channel<ConsumeResult<string?, byte[]?>>> _queues = new();
    private readonly ConcurrentDictionary<TopicPartition, long> _processedUpTo = new();
    private readonly List<Task> _partitionTasks = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _buffered;
    private long _peakBuffered;
    private volatile bool _assigned;

    public BaselineConsumer(string bootstrapServers, string groupId, string topic, BaselineProcessor processor)
    {
        KafkaNativeLibrary.EnsureLoaded();
        _processor = processor;
        _consumer = new ConsumerBuilder<string?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            // The same fetch wait as the daemon's (Kafka:FetchWaitMaxMs), so both see the broker alike.
            FetchWaitMaxMs = 100,
        })
            .SetKeyDeserializer(Deserializers.Utf8!)
            .SetValueDeserializer(Deserializers.ByteArray!)
            .SetPartitionsAssignedHandler((_, _) => _assigned = true)
            .Build();
        _consumer.Subscribe(topic);
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public bool IsAssigned => _assigned;
    public long PeakBuffered => Interlocked.Read(ref _peakBuffered);
    public long Failed => _processor.Failed;

    private void Run()
    {
        var lastCommit = DateTime.UtcNow;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                ConsumeResult<string?, byte[]?>? record = null;
                try
                {
                    record = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    // librdkafka retries by itself; a hand-written loop just keeps polling.
                }
                if (record is { IsPartitionEOF: false })
                {
                    var queue = _queues.GetOrAdd(record.TopicPartition, StartPartition);
                    queue.Writer.TryWrite(record);
                    var buffered = Interlocked.Increment(ref _buffered);
                    if (buffered > Interlocked.Read(ref _peakBuffered)) Interlocked.Exchange(ref _peakBuffered, buffered);
                }
                if (DateTime.UtcNow - lastCommit >= CommitInterval)
                {
                    Commit();
                    lastCommit = DateTime.UtcNow;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private Channel<ConsumeResult<string?, byte[]?>> StartPartition(TopicPartition partition)
    {
        var queue = Channel.CreateUnbounded<ConsumeResult<string?, byte[]?>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        lock (_partitionTasks) _partitionTasks.Add(Task.Run(() => DrainAsync(partition, queue.Reader)));
        return queue;
    }

    private async Task DrainAsync(TopicPartition partition, ChannelReader<ConsumeResult<string?, byte[]?>> queue)
    {
        try
        {
            await foreach (var record in queue.ReadAllAsync(_stop.Token))
            {
                await _processor.ProcessAsync(record, _stop.Token);
                Interlocked.Decrement(ref _buffered);
                _processedUpTo[partition] = record.Offset.Value + 1; // the next offset to read, as Kafka commits it
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void Commit()
    {
        var offsets = _processedUpTo.Select(p => new TopicPartitionOffset(p.Key, p.Value)).ToList();
        if (offsets.Count == 0) return;
        try
        {
            _consumer.Commit(offsets);
        }
        catch (KafkaException)
        {
            // The next commit carries the same or later offsets.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Task[] partitions;
        lock (_partitionTasks) partitions = [.. _partitionTasks];
        await Task.WhenAll(partitions);
        Commit();
        _consumer.Close();
        _consumer.Dispose();
        _stop.Dispose();
    }
}
