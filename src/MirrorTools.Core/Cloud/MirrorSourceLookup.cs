namespace MirrorTools.Cloud;

/// <summary>
/// -MirrorSource's <see cref="MirrorSession"/> values turned into the addresses of the session's
/// source interface, looked up once before any packet is read: on AWS the ENI's private IPv4
/// addresses (primary and secondary), IPv6 addresses and MAC (DescribeNetworkInterfaces); on OCI
/// the VNIC's private IPs (GetVnic, ListPrivateIps for the secondary ones), IPv6 addresses and
/// MAC. A VTAP whose source is no VNIC (load balancer, DB system, subnet) has no one interface to
/// look up: it is left to the tunnel rule, with a notice. A failed lookup is a problem naming the
/// session and the permission it needs; packets are read all the same.
/// </summary>
internal static class MirrorSourceLookup
{
    public const string FailedErrorId = "MirrorSourceLookupFailed";

    /// <summary>
    /// <paramref name="values"/> with each session replaced by its interface's addresses
    /// (IPAddress, PhysicalAddress); other values pass unchanged.
    /// </summary>
    /// <param name="provider">The provider of a session, in its region; may throw a <see cref="MirrorToolsException"/>.</param>
    /// <param name="problems">Failed lookups, as non-terminating errors for the caller to report.</param>
    /// <param name="notices">Warnings: a session left to the tunnel rule, and why.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<List<object>> ResolveAsync(IEnumerable<object> values, Func<MirrorSession, IMirrorProvider> provider,
        ICollection<MirrorToolsException> problems, ICollection<string> notices, CancellationToken cancellationToken)
    {
        var resolved = new List<object>();
        var unresolved = new List<MirrorSession>();
        foreach (var value in values)
        {
            if (value is not MirrorSession session)
            {
                resolved.Add(value);
                continue;
            }
            try
            {
                if (await provider(session).LookupSourceAsync(session, notices, cancellationToken).ConfigureAwait(false) is { } addresses)
                    resolved.AddRange(addresses);
                else
                    unresolved.Add(session);
            }
            catch (MirrorToolsException problem)
            {
                problems.Add(new MirrorToolsException(FailedErrorId, problem.Category,
                    $"-MirrorSource: could not look up the source interface {session.NetworkInterfaceId} of session {session.Id} " +
                    $"in {session.Region}: {problem.Message} Or give the interface's addresses to -MirrorSource.", session, problem));
                unresolved.Add(session);
            }
        }
        foreach (var session in unresolved)
            notices.Add(resolved.Count == 0
                ? $"Session {session.Id}: without its source's addresses, Direction comes from the tunnel's outer source " +
                  "(on AWS the source interface's primary private IP; on OCI only where an inner address equals it)."
                : $"Session {session.Id}: its source's addresses are not known; only the other -MirrorSource addresses give Direction.");
        return resolved;
    }
}
