using Fairlane.Worker.Engine;
using Npgsql;
using Fairlane.Agents.Tenants;
using Fairlane.Agents.Storage;

namespace Fairlane.Worker.Pipeline;

/// <summary>
/// Opens the run's one transaction and commits it when the steps inside return; a step that throws
/// rolls the whole run back. Its first round trip carries three statements: the binding to the tenant
/// (row-level security), the tenant's row (for the tenant gate) and the run's marks in the
/// processed-events ledger (for idempotency); the steps that decide on them read what it found.
/// </summary>
internal sealed class TransactionStep(TenantDatabase database) : IPipelineStep
{
    public Task InvokeAsync(PipelineRun run, RunStep next, CancellationToken cancellationToken) =>
        database.InTenantTransactionAsync(run.TenantId, async (c, tx, binding, ct) =>
        {
            run.Bind(c, tx);
            await using (var batch = new NpgsqlBatch(c, tx)
            {
                BatchCommands =
                {
                    binding,
                    TenantRecord.ReadCommand(run.TenantId),
                    ProcessedEventLedger.RecordManyCommand(run.TenantId, run.Events.Select(e => (e.Envelope.Id, e.Origin())).ToList()),
                },
            })
            {
                await using var reader = await batch.ExecuteReaderAsync(ct);
                await reader.NextResultAsync(ct); // the binding's row
                run.Tenant = await TenantRecord.FromAsync(reader, ct);
                await reader.NextResultAsync(ct);
                run.Fresh = await ProcessedEventLedger.FreshAsync(reader, ct);
            }
            await next(run, ct);
            return true;
        }, cancellationToken);
}
