namespace MirrorTools;

/// <summary>
/// What kind of failure a <see cref="MirrorToolsException"/> is. The names are PowerShell's
/// ErrorCategory names, so the cmdlet layer maps them by name without Core referencing PowerShell.
/// </summary>
public enum ProblemCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    InvalidResult,
    ObjectNotFound,
    ResourceUnavailable,
    ResourceBusy,
    ResourceExists,
    PermissionDenied,
    NotInstalled,
    NotImplemented,
    OperationStopped,
    OperationTimeout,
    ConnectionError,
    AuthenticationError,
    SecurityError,
    QuotaExceeded,
    LimitsExceeded,
    ReadError,
    WriteError,
    ProtocolError,
}
