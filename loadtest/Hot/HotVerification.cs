using Fairlane.LoadTest.Chaos;
using Fairlane.LoadTest.Measurement;
using Fairlane.LoadTest.Seeding;
using Npgsql;

namespace Fairlane.LoadTest.Hot;

/// <summary>What the `hot` run found beyond the common report: rates by window, order and stock.</summary>
internal sealed record HotFindings(IReadOnlyList<RateWindow> Windows, double? BestSustained30s, OrderFindings Order,
    int Products, IReadOnlyList<StockMismatch> StockMismatches, int ReportsSent)
{
    public const int WindowSeconds = 5;
    public const int SustainedSeconds = 30;
}

/// <summary>
/// Reads the run's ledger and stock after the drain and checks them against what was sent: each
/// processed report joined with its effect (its sync_events row) for the order check, and every
/// product's stock against the model (the last level sent for its item).
/// </summary>
internal sealed class HotVerification(NpgsqlDataSource owner, string webhooksTopic)
{
    public async Task<HotFindings> VerifyAsync(IReadOnlyList<SentReport> sent, SystemResult fairlane, CancellationToken cancellationToken)
    {
        var bySent = sent.ToDictionary(r => (r.Tenant, r.EventId));
        var ledger = new List<LedgerReport>();
        await using (var cmd = owner.CreateCommand("""
            SELECT p.tenant_id, p.event_id, p.partition, p."offset", min(s.id)
            FROM processed_events p
            LEFT JOIN sync_events s ON s.tenant_id = p.tenant_id AND s.source_event_id = p.event_id
            WHERE p.topic = @topic
            GROUP BY p.tenant_id, p.event_id, p.partition, p."offset"
            """))
        {
            cmd.Parameters.AddWithValue("topic", webhooksTopic);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // Only reports this run sent; anything else is counted as unknown by the common analysis.
                if (!bySent.TryGetValue((reader.GetString(0), reader.GetString(1)), out var report)) continue;
                ledger.Add(new LedgerReport($"{report.Tenant}/{report.ProductId}", report.EventId, report.Sequence!.Value,
                    reader.GetInt32(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
            }
        }

        var model = new StockModel(CatalogSeeder.InitialStock);
        foreach (var report in sent) model.Add(report);
        var stock = await new EffectReader(owner, webhooksTopic).StockAsync(cancellationToken);
        var mismatches = stock.Select(s => new StockMismatch(s.Tenant, s.Product, false, model.Expected(s.Tenant, s.Product), s.Stock))
            .Where(m => m.Expected != m.Actual).ToList();

        return new HotFindings(ThroughputWindows.Of(fairlane.SentPerSecond, fairlane.ProcessedPerSecond, HotFindings.WindowSeconds),
            ThroughputWindows.BestSustained(fairlane.ProcessedPerSecond, HotFindings.SustainedSeconds), ItemOrderCheck.Check(ledger),
            stock.Count, mismatches, sent.Count);
    }
}
