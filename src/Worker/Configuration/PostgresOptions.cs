namespace Fairlane.Worker.Configuration;

/// <summary>The PostgreSQL connections: the application role for tenant work, the owner for the schema.</summary>
public sealed class PostgresOptions
{
    public const string Section = "Postgres";

    /// <summary>
    /// Connection string of the application role. It must not be a superuser and must not have
    /// BYPASSRLS, or row-level security would not isolate tenants. Required.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Connection string of the schema owner: runs migrations and fleet-wide (cross-tenant) jobs.
    /// Required.
    /// </summary>
    public string OwnerConnectionString { get; set; } = "";

    /// <summary>The role granted access to the tables by the migrations (the application role).</summary>
    public string AppRole { get; set; } = "fairlane_app";

    /// <summary>Apply pending migrations when <c>fairlane run</c> starts.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
