namespace MirrorTools.Cloud.Oci;

/// <summary>An OCI error document ({"code", "message"}) with the call it answered; the inner exception of the MirrorTools error.</summary>
internal sealed class OciServiceError(string operation, int httpStatus, string code, string ociMessage, string? requestId)
    : Exception($"{operation}: HTTP {httpStatus} {code}: {ociMessage}")
{
    /// <summary>"GET vtaps/ocid1.vtap…": method and path below the service's version.</summary>
    public string Operation { get; } = operation;

    public int HttpStatus { get; } = httpStatus;

    public string Code { get; } = code;

    public string OciMessage { get; } = ociMessage;

    /// <summary>opc-request-id: what Oracle support asks for.</summary>
    public string? RequestId { get; } = requestId;
}
