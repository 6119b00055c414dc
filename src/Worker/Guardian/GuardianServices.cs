using Fairlane.Agents.Guardian;
using Fairlane.Agents.Handling;
using Fairlane.Worker.Configuration;
using Quartz;

namespace Fairlane.Worker.Guardian;

internal static class GuardianServices
{
    /// <summary>
    /// Reconcile jobs are handled by every node running the guardian agent; those nodes also carry
    /// the schedule, and whichever wins the lock leads a run.
    /// </summary>
    public static IServiceCollection AddGuardian(this IServiceCollection services, GuardianOptions options, WorkerOptions worker)
    {
        services.AddValidatedOptions<GuardianOptions, GuardianOptionsValidator>(GuardianOptions.Section);
        services.AddSingleton<GuardianLock>();
        services.AddSingleton<GuardianRunner>();
        services.AddSingleton<IGuardianObserver, GuardianMetricsObserver>();
        services.AddSingleton<IEventHandler, ReconcileHandler>();
        if (!worker.Runs("guardian") || !CronExpression.IsValidExpression(options.Cron)) return services; // a bad cron fails validation at start

        services.AddQuartz(q =>
        {
            q.AddJob<GuardianJob>(GuardianJob.Key);
            q.AddTrigger(t => t.ForJob(GuardianJob.Key).WithIdentity("guardian-schedule")
                .WithCronSchedule(options.Cron, cron => cron.InTimeZone(TimeZoneInfo.Utc).WithMisfireHandlingInstructionDoNothing()));
        });
        services.AddQuartzHostedService(q => q.WaitForJobsToComplete = true);
        return services;
    }
}
