using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Oci;

/// <summary>What <see cref="OciFleetReader"/> read: the inventory, the desired state, and the capture filter to make when none matches.</summary>
internal sealed record OciFleet(FleetInventory Inventory, SyncDesiredState Desired, OciSyncRequest Request, MirrorFilterSpec? NewFilter);
