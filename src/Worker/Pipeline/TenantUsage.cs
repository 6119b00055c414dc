using Npgsql;

namespace Fairlane.Worker.Pipeline;

/// <summary>Counts a tenant's processed jobs per calendar month (UTC), in the processing transaction.</summary>
internal static class TenantUsage
{
    /// <summary>Adds <paramref name="jobs"/> to this month's count; returns the count before and after.</summary>
    public static async Task<(long Before, long After)> AddAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, int jobs,
        CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO tenant_usage AS u (tenant_id, month, jobs)
            VALUES (@tenant, date_trunc('month', now() AT TIME ZONE 'utc')::date, @jobs)
            ON CONFLICT (tenant_id, month) DO UPDATE SET jobs = u.jobs + excluded.jobs
            RETURNING jobs
            """, connection, tx);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("jobs", (long)jobs);
        var after = (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        return (after - jobs, after);
    }
}
