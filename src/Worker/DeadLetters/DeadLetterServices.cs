using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.DeadLetters;

internal static class DeadLetterServices
{
    /// <summary>The one dead-letter sink, its publisher (the dead-letter topic, with the table as fallback), its index, the replayer and the handler notice.</summary>
    public static IServiceCollection AddDeadLetters(this IServiceCollection services)
    {
        services.AddSingleton(sp => new DeadLetterStore(sp.GetRequiredService<DataSources>().Owner));
        services.AddSingleton(sp =>
        {
            var kafka = sp.GetRequiredService<IOptions<KafkaOptions>>().Value;
            return new DeadLetterPublisher(
                sp.GetRequiredService<KafkaClientFactory>().Producer("dlq", kafka.DeadLetterMaxMessageBytes),
                kafka.Topics,
                sp.GetRequiredService<DeadLetterStore>(),
                sp.GetRequiredService<ILogger<DeadLetterPublisher>>());
        });
        services.AddSingleton(sp => new DeadLetterIndex(sp.GetRequiredService<DataSources>().Owner));
        services.AddSingleton<DeadLetterReplayer>();
        services.AddSingleton<DeadLetterNotice>();
        services.AddSingleton<DeadLetterSink>();
        return services;
    }
}
