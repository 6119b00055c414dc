using Fairlane.Agents.Storage;

namespace Fairlane.Worker.Parking;

/// <summary>Deletes a parked row whose event ended elsewhere (dead-lettered), as its tenant.</summary>
internal sealed class ParkCleaner(TenantDatabase database)
{
    public Task DeleteAsync(string tenant, long parkId, CancellationToken cancellationToken) =>
        database.InTenantTransactionAsync(tenant, async (c, tx, ct) =>
        {
            await ParkedEvents.DeleteAsync(c, tx, parkId, ct);
            return true;
        }, cancellationToken);
}
