using System.Collections;
using System.Globalization;
using System.Net;

namespace MirrorTools.Flows;

/// <summary>
/// Reads an <see cref="InnerFlow"/> back from its properties, however it travelled: PowerShell
/// remoting and Import-Clixml (addresses as strings or rebuilt IPAddress objects, enums as their
/// numbers, times as DateTime), ConvertFrom-Json (addresses as objects with IPAddressToString,
/// TimeSpan as an object with Ticks, enums as numbers, times as DateTime or ISO strings) and
/// Import-Csv (everything a string). Property bags arrive as dictionaries of their properties.
/// The nanosecond times are preferred; FirstSeen/LastSeen are read when they are missing.
/// </summary>
internal static class FlowHalfReader
{
    public const string InvalidErrorId = "InvalidFlowObject";

    /// <exception cref="MirrorToolsException"><see cref="InvalidErrorId"/>, naming the property and <paramref name="target"/>.</exception>
    public static FlowHalf Read(Func<string, object?> property, object target)
    {
        var reader = new Reader(property, target);
        var protocol = reader.Enum<IpProtocol>(nameof(InnerFlow.Protocol)) ?? throw reader.Missing(nameof(InnerFlow.Protocol));
        return new FlowHalf
        {
            Vni = (int)reader.RequiredInteger(nameof(InnerFlow.Vni)),
            VlanId = (int?)reader.Integer(nameof(InnerFlow.VlanId)),
            Protocol = protocol,
            SourceAddress = reader.Address(nameof(InnerFlow.SourceAddress)),
            SourcePort = (int?)reader.Integer(nameof(InnerFlow.SourcePort)),
            DestinationAddress = reader.Address(nameof(InnerFlow.DestinationAddress)),
            DestinationPort = (int?)reader.Integer(nameof(InnerFlow.DestinationPort)),
            FirstSeenNanoseconds = reader.Time(nameof(InnerFlow.FirstSeenNanoseconds), nameof(InnerFlow.FirstSeen)),
            LastSeenNanoseconds = reader.Time(nameof(InnerFlow.LastSeenNanoseconds), nameof(InnerFlow.LastSeen)),
            ForwardPackets = reader.RequiredInteger(nameof(InnerFlow.ForwardPackets)),
            ForwardBytes = reader.RequiredInteger(nameof(InnerFlow.ForwardBytes)),
            ReversePackets = reader.RequiredInteger(nameof(InnerFlow.ReversePackets)),
            ReverseBytes = reader.RequiredInteger(nameof(InnerFlow.ReverseBytes)),
            SynSeen = reader.Boolean(nameof(InnerFlow.SynSeen)),
            HandshakeSeen = reader.Boolean(nameof(InnerFlow.HandshakeSeen)),
            FinSeen = reader.Boolean(nameof(InnerFlow.FinSeen)),
            RstSeen = reader.Boolean(nameof(InnerFlow.RstSeen)),
            HandshakeRoundTripTime = reader.Duration(nameof(InnerFlow.HandshakeRoundTripTime)),
            // Absent from flows of earlier versions: then only a host that saw the whole handshake tells.
            SynSeenNanoseconds = reader.Integer(nameof(InnerFlow.SynSeenNanoseconds)),
            SynAckSeenNanoseconds = reader.Integer(nameof(InnerFlow.SynAckSeenNanoseconds)),
            HandshakeAckSeenNanoseconds = reader.Integer(nameof(InnerFlow.HandshakeAckSeenNanoseconds)),
            Retransmissions = reader.Integer(nameof(InnerFlow.Retransmissions)) ?? 0,
            TruncatedPackets = reader.Integer(nameof(InnerFlow.TruncatedPackets)) ?? 0,
            MalformedPackets = reader.Integer(nameof(InnerFlow.MalformedPackets)) ?? 0,
            EndReason = reader.Enum<FlowEndReason>(nameof(InnerFlow.EndReason)) ?? FlowEndReason.EndOfInput,
            Source = reader.Text(nameof(InnerFlow.Source)),
        };
    }

    private readonly struct Reader(Func<string, object?> property, object target)
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        /// <summary>The value, or null when absent, null or an empty string (Import-Csv's null).</summary>
        private object? Value(string name) =>
            property(name) switch
            {
                string { Length: 0 } => null,
                var value => value,
            };

        public MirrorToolsException Missing(string name) =>
            new(InvalidErrorId, ProblemCategory.InvalidData,
                $"The flow object has no {name}: Get-InnerFlow merges InnerFlow objects (live, or read back from remoting, " +
                "Import-Clixml, ConvertFrom-Json or Import-Csv) with all their properties; pipe them whole, not through Select-Object.", target);

        private MirrorToolsException Unreadable(string name, object value) =>
            new(InvalidErrorId, ProblemCategory.InvalidData,
                $"The flow object's {name} '{value}' is not a {Expected(name)}: was the object changed on the way?", target);

        private static string Expected(string name) => name switch
        {
            nameof(InnerFlow.SourceAddress) or nameof(InnerFlow.DestinationAddress) => "IP address",
            nameof(InnerFlow.FirstSeen) or nameof(InnerFlow.LastSeen) => "date and time",
            nameof(InnerFlow.HandshakeRoundTripTime) => "time span",
            nameof(InnerFlow.Protocol) => "protocol name or number",
            nameof(InnerFlow.EndReason) => "flow end reason (Closed, IdleTimeout, Evicted, EndOfInput)",
            nameof(InnerFlow.SynSeen) or nameof(InnerFlow.HandshakeSeen) or nameof(InnerFlow.FinSeen) or nameof(InnerFlow.RstSeen) => "true or false",
            _ => "whole number",
        };

        public long RequiredInteger(string name) => Integer(name) ?? throw Missing(name);

        public long? Integer(string name)
        {
            var value = Value(name);
            try
            {
                return value switch
                {
                    null => null,
                    string text when long.TryParse(text, NumberStyles.Integer, Invariant, out var parsed) => parsed,
                    string => throw Unreadable(name, value),
                    IConvertible and not bool and not DateTime => Convert.ToInt64(value, Invariant),
                    _ => throw Unreadable(name, value),
                };
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw Unreadable(name, value!);
            }
        }

        public bool Boolean(string name) =>
            Value(name) switch
            {
                null => false,
                bool flag => flag,
                string text when bool.TryParse(text, out var parsed) => parsed,
                var value => throw Unreadable(name, value),
            };

        public T? Enum<T>(string name) where T : struct, Enum
        {
            var value = Value(name);
            return value switch
            {
                null => null,
                T typed => typed,
                string text when System.Enum.TryParse<T>(text, ignoreCase: true, out var parsed) => parsed,
                IConvertible and not string and not bool => (T)System.Enum.ToObject(typeof(T), Convert.ToInt64(value, Invariant)),
                _ => throw Unreadable(name, value),
            };
        }

        public IPAddress Address(string name)
        {
            var value = Value(name) ?? throw Missing(name);
            var text = value switch
            {
                IPAddress address => address.ToString(),
                // ConvertTo-Json writes an IPAddress as its properties: at the top level with PowerShell's
                // IPAddressToString, nested (an InnerFlow's) with only Address, the IPv4 address as a number.
                IDictionary bag => bag["IPAddressToString"] as string ?? Ipv4(bag["Address"]) ?? bag["ToString"] as string,
                _ => value.ToString(),
            };
            if (IPAddress.TryParse(text, out var parsed))
                return parsed;
            if (value is IDictionary { Count: > 0 } written && !written.Contains("IPAddressToString"))
                throw new MirrorToolsException(InvalidErrorId, ProblemCategory.InvalidData,
                    $"The flow object's {name} was written by ConvertTo-Json as an object without the address itself (an IPv6 address loses it): " +
                    "write flows with ConvertTo-Json -AsArray -Depth 1 (addresses as text), or with Export-Clixml.", target);
            throw Unreadable(name, value);
        }

        private static string? Ipv4(object? address) =>
            address is IConvertible and not string and not bool && Convert.ToInt64(address, Invariant) is >= 0 and <= uint.MaxValue and var value
                ? new IPAddress(value).ToString()
                : null;

        /// <summary>Nanoseconds since the epoch, from the exact property or else from the DateTime one.</summary>
        public long Time(string nanosecondsName, string dateTimeName)
        {
            if (Integer(nanosecondsName) is { } nanoseconds)
                return nanoseconds;
            var value = Value(dateTimeName) ?? throw Missing(nanosecondsName);
            return value switch
            {
                DateTime time => UnixTime.FromDateTime(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time),
                DateTimeOffset offset => UnixTime.FromDateTime(offset.UtcDateTime),
                string text when DateTimeOffset.TryParse(text, Invariant, DateTimeStyles.AssumeUniversal, out var parsed) =>
                    UnixTime.FromDateTime(parsed.UtcDateTime),
                _ => throw Unreadable(dateTimeName, value),
            };
        }

        public TimeSpan? Duration(string name)
        {
            var value = Value(name);
            return value switch
            {
                null => null,
                TimeSpan span => span,
                string text when TimeSpan.TryParse(text, Invariant, out var parsed) => parsed,
                // ConvertTo-Json writes a TimeSpan as its properties.
                IDictionary bag when bag["Ticks"] is IConvertible ticks and not string => TimeSpan.FromTicks(Convert.ToInt64(ticks, Invariant)),
                _ => throw Unreadable(name, value),
            };
        }

        public string Text(string name) => Value(name)?.ToString() ?? "";
    }
}
