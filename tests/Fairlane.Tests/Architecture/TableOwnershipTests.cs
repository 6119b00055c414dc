namespace Fairlane.Tests.Architecture;

/// <summary>
/// One owner per table: the SQL that inserts into, updates or deletes from a table appears only in the
/// namespace that owns it (docs/architecture.md has the same table). Retention's age-based purge builds
/// its statements from its own table list and is the one documented exception.
/// </summary>
public sealed class TableOwnershipTests
{
    private static readonly Dictionary<string, string[]> Owners = new(StringComparer.Ordinal)
    {
        ["tenants"] = ["Fairlane.Agents.Tenants"],
        ["tenant_usage"] = ["Fairlane.Worker.Pipeline"],
        ["processed_events"] = ["Fairlane.Worker.Pipeline"],
        ["parked_events"] = ["Fairlane.Worker.Parking"],
        ["dead_letters"] = ["Fairlane.Worker.DeadLetters"],
        ["dlq_index"] = ["Fairlane.Worker.DeadLetters"],
        ["outbox"] = ["Fairlane.Agents.Outbox", "Fairlane.Worker.Outbox"],
        ["products"] = ["Fairlane.Agents.Inventory", "Fairlane.Agents.Catalog"],
        ["product_channel_mappings"] = ["Fairlane.Agents.Inventory", "Fairlane.Agents.Catalog"],
        ["sync_events"] = ["Fairlane.Agents.Inventory"],
        ["sync_pending"] = ["Fairlane.Agents.Sync"],
        ["channels"] = ["Fairlane.Agents.Channels", "Fairlane.Agents.Catalog"],
        ["alerts"] = ["Fairlane.Agents.Alerting"],
        ["guardian_runs"] = ["Fairlane.Agents.Guardian", "Fairlane.Worker.Guardian"],
        ["leadership"] = ["Fairlane.Agents.Guardian"],
        ["schema_migrations"] = ["Fairlane.Worker.Migrations"],
    };

    [Fact]
    public void Every_table_is_written_only_by_its_owner()
    {
        var writes = new[] { Assemblies.Agents, Assemblies.Worker }.SelectMany(a => SqlWriters.Read(Assemblies.PathOf(a))).ToList();
        Assert.NotEmpty(writes); // the scan itself must see the product's SQL
        var strays = writes
            .Where(w => !Owners.TryGetValue(w.Table, out var owners) || !owners.Contains(w.Namespace))
            .Select(w => $"{w.Type} writes {w.Table} (owner: {string.Join(" or ", Owners.GetValueOrDefault(w.Table) ?? ["none declared"])})")
            .ToList();
        Assert.True(strays.Count == 0, string.Join("\n", strays));
    }

    [Fact]
    public void Every_owned_table_is_written_somewhere()
    {
        // A stale entry (a table renamed or dropped) would make the rule above vacuous for it.
        var written = new[] { Assemblies.Agents, Assemblies.Worker }.SelectMany(a => SqlWriters.Read(Assemblies.PathOf(a)))
            .Select(w => w.Table).ToHashSet();
        var stale = Owners.Keys.Where(t => !written.Contains(t)).ToList();
        Assert.True(stale.Count == 0, "Declared owners of tables nothing writes: " + string.Join(", ", stale));
    }
}
