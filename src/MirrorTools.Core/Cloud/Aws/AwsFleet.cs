using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Aws;

/// <summary>What <see cref="AwsFleetReader"/> read: the inventory to plan from, the desired state, and the filter a set needs made.</summary>
/// <param name="NewFilter">The filter to create when no equal one exists (Desired.FilterId is null then).</param>
internal sealed record AwsFleet(FleetInventory Inventory, SyncDesiredState Desired, AwsSyncRequest Request, MirrorFilterSpec? NewFilter);
