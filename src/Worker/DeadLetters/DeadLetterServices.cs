using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.DeadLetters;

internal static class DeadLetterServices
{
    /// <summary>The one dead-letter sink, its publisher (the dead-letter topic, with the table as fallback) and its handler notice.</summary>
    public static IServiceCollection AddDeadLetters(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var kafka = sp.GetRequiredService<IOptions<KafkaOptions>>().Value;
            return new DeadLetterPublisher(
                sp.GetRequiredService<KafkaClientFactory>().Producer("dlq", kafka.DeadLetterMaxMessageBytes),
                kafka.Topics,
                new DeadLetterStore(sp.GetRequiredService<DataSources>().Owner),
                sp.GetRequiredService<ILogger<DeadLetterPublisher>>());
        });
        services.AddSingleton<DeadLetterNotice>();
        services.AddSingleton<DeadLetterSink>();
        return services;
    }
}
