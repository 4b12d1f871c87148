using System.Text.Json;

namespace MirrorTools.Cloud.Oci;

/// <summary>One answered call: the JSON body (undefined when empty), its etag and the next page's token.</summary>
internal sealed record OciResponse(JsonElement Body, string? ETag, string? NextPage);
