using Fairlane.Worker.Configuration;
using Fairlane.Worker.Intake;
using Microsoft.Extensions.Options;
using Fairlane.Worker.Infrastructure;

namespace Fairlane.Worker.Retention;

internal static class RetentionServices
{
    /// <summary>The retention job on every node, and the intake guard that keeps re-sends inside the ledger's window.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddValidatedOptions<RetentionOptions, RetentionOptionsValidator>(RetentionOptions.Section);
        services.AddSingleton<DedupWindow>();
        services.AddSingleton(sp => new RetentionRunner(
            sp.GetRequiredService<DataSources>().Owner,
            sp.GetRequiredService<IOptions<RetentionOptions>>().Value,
            sp.GetRequiredService<ILogger<RetentionRunner>>()));
        services.AddHostedService<RetentionService>();
        return services;
    }
}
