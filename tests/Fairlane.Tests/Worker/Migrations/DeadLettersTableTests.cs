using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Migrations;

/// <summary>dead_letters holds records with no valid tenant: the owner's alone, like the migration ledger.</summary>
[Trait("Category", "Integration")]
public sealed class DeadLettersTableTests
{
    [Fact(Timeout = 60_000)]
    public async Task The_application_role_can_neither_read_nor_write_stored_dead_letters()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var insert = db.Owner.CreateCommand("""
            INSERT INTO dead_letters (reason, publish_error, origin_topic, origin_partition, origin_offset, record_value)
            VALUES ('malformed', 'MsgSizeTooLarge', 't', 0, 7, '\x00ff'::bytea)
            """))
            await insert.ExecuteNonQueryAsync();

        foreach (var sql in new[] { "SELECT count(*) FROM dead_letters", "DELETE FROM dead_letters" })
        {
            await using var cmd = db.App.CreateCommand(sql);
            var ex = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => cmd.ExecuteScalarAsync());
            Assert.Equal("42501", ex.SqlState); // insufficient_privilege
        }
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dead_letters"));
    }
}
