using System.Collections.Concurrent;

namespace Fairlane.ChannelSimulator;

/// <summary>
/// One tenant's account on one simulated channel: its items' stock, the credential it expects,
/// its fault overrides, and how often each endpoint was called. Every member is thread-safe.
/// </summary>
public sealed class SimulatedAccount
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _stock = new(StringComparer.Ordinal);
    private readonly Queue<int> _scriptedFailures = new();
    private readonly ConcurrentDictionary<(string Operation, int Status), int> _calls = new();
    private Random _random;
    private SimulatedFaults _faults = new();
    private string? _expectedCredential;

    internal SimulatedAccount(string channelType, string name, string baseUrl, int serverSeed)
    {
        ChannelType = channelType;
        Name = name;
        BaseUrl = baseUrl;
        _random = new Random(SeedFor(serverSeed));
    }

    public string ChannelType { get; }
    public string Name { get; }

    /// <summary>Where an adapter points for this account: <c>{server}/{type}/{name}</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>This account's fault overrides; null fields inherit the server-wide faults.</summary>
    public SimulatedFaults Faults
    {
        get => Volatile.Read(ref _faults);
        set => Volatile.Write(ref _faults, (value ?? throw new ArgumentNullException(nameof(value))).Validated());
    }

    /// <summary>
    /// The credential calls must carry, or null to accept any (a credential must still be present).
    /// Epos Now: <c>apiKey:apiSecret</c> (the Basic pair); Wix and Deliveroo: the bearer token.
    /// </summary>
    public string? ExpectedCredential
    {
        get => Volatile.Read(ref _expectedCredential);
        set => Volatile.Write(ref _expectedCredential, value);
    }

    // ---- stock ----

    public void SetStock(string itemId, int quantity)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemId);
        lock (_gate) _stock[itemId] = quantity;
    }

    public void SetStock(IEnumerable<KeyValuePair<string, int>> items)
    {
        lock (_gate)
        {
            foreach (var (id, quantity) in items) _stock[id] = quantity;
        }
    }

    public int? GetStock(string itemId)
    {
        lock (_gate) return _stock.TryGetValue(itemId, out var quantity) ? quantity : null;
    }

    public bool RemoveItem(string itemId)
    {
        lock (_gate) return _stock.Remove(itemId);
    }

    /// <summary>A copy of every item's stock.</summary>
    public IReadOnlyDictionary<string, int> Stock()
    {
        lock (_gate) return new Dictionary<string, int>(_stock, StringComparer.Ordinal);
    }

    /// <summary>The stock of those of <paramref name="itemIds"/> the account has.</summary>
    internal List<KeyValuePair<string, int>> StockOf(IEnumerable<string> itemIds)
    {
        lock (_gate)
        {
            return itemIds.Distinct(StringComparer.Ordinal)
                .Where(_stock.ContainsKey)
                .Select(id => KeyValuePair.Create(id, _stock[id]))
                .ToList();
        }
    }

    /// <summary>Sets an existing item's stock; a channel never invents an item because a push named it.</summary>
    internal StockUpdate TryUpdateStock(string itemId, int quantity)
    {
        if (quantity < 0) return StockUpdate.NegativeQuantity;
        lock (_gate)
        {
            if (!_stock.ContainsKey(itemId)) return StockUpdate.NotFound;
            _stock[itemId] = quantity;
            return StockUpdate.Updated;
        }
    }

    // ---- scripted failures ----

    /// <summary>
    /// Answers the next <paramref name="count"/> calls with <paramref name="statusCode"/> (429 carries
    /// Retry-After), before any random fault: a storm of exactly known size, for deterministic tests.
    /// </summary>
    public void FailNext(int count, int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (statusCode is < 400 or > 599) throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A failure status is 400..599.");
        lock (_gate)
        {
            for (var i = 0; i < count; i++) _scriptedFailures.Enqueue(statusCode);
        }
    }

    internal int? TakeScriptedFailure()
    {
        lock (_gate) return _scriptedFailures.TryDequeue(out var status) ? status : null;
    }

    // ---- randomness ----

    internal double NextDouble()
    {
        lock (_gate) return _random.NextDouble();
    }

    internal void Reseed(int serverSeed)
    {
        lock (_gate) _random = new Random(SeedFor(serverSeed));
    }

    // Each account draws from its own generator, so its fault sequence depends only on the seed and
    // its own calls, never on what other tests or tenants do on the same server at the same time.
    private int SeedFor(int serverSeed)
    {
        var hash = 2166136261u; // FNV-1a: stable across processes, unlike string.GetHashCode
        foreach (var c in $"{ChannelType}/{Name}")
        {
            hash = (hash ^ c) * 16777619u;
        }
        return serverSeed ^ (int)hash;
    }

    // ---- call counts ----

    /// <summary>Calls to <paramref name="operation"/> (see <see cref="SimulatedEndpoint"/>), whatever they were answered.</summary>
    public int Calls(string operation) => _calls.Where(c => c.Key.Operation == operation).Sum(c => c.Value);

    public int Calls(string operation, int status) => _calls.GetValueOrDefault((operation, status));

    public int TotalCalls => _calls.Values.Sum();

    /// <summary>Calls by operation, then by the status they were answered with.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<int, int>> CallCounts() =>
        _calls.GroupBy(c => c.Key.Operation, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<int, int>)g.ToDictionary(c => c.Key.Status, c => c.Value), StringComparer.Ordinal);

    public void ResetCalls() => _calls.Clear();

    internal void CountCall(string operation, int status) => _calls.AddOrUpdate((operation, status), 1, static (_, n) => n + 1);
}
