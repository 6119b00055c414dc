using Fairlane.Agents.Signals;

namespace Fairlane.Agents.Sync;

/// <summary>
/// Wakes this node's pusher when a request committed (after the debounce it becomes due) or a pass
/// ended (a slot is free, and products requested during the pass are due at once). Wakes coalesce: many
/// signals before the pusher looks are one.
/// </summary>
public sealed class SyncSignal : WakeSignal;
