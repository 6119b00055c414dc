using Fairlane.Contracts.Events;

namespace Fairlane.LoadTest.Load;

/// <summary>A tenant's source of webhooks for the open-loop sender: the next one to send in a phase.</summary>
internal interface IWebhookStream
{
    EventEnvelope Next(string phase);
}
