namespace MirrorTools.Capture;

/// <summary>
/// Turns a pcapng timestamp (64 bits of <c>if_tsresol</c> units since the epoch) into nanoseconds,
/// exactly, in integer arithmetic. <c>if_tsresol</c>: most significant bit clear means units of
/// 10^-n seconds, set means 2^-n seconds (n in the low 7 bits); absent means microseconds.
/// </summary>
internal readonly struct PcapngTimestampResolution
{
    public const byte Microseconds = 6;
    public const byte Nanoseconds = 9;
    private const byte PowerOfTwoBit = 0x80;
    private const int DecimalDigitsOfNanoseconds = 9;
    private const int MaxUInt128PowerOfTen = 38;

    private readonly long _multiplier;
    private readonly UInt128 _divisor;
    private readonly int _binaryShift;

    public PcapngTimestampResolution(byte tsresol)
    {
        Value = tsresol;
        var exponent = tsresol & ~PowerOfTwoBit;
        if ((tsresol & PowerOfTwoBit) != 0)
        {
            _binaryShift = exponent;
            return;
        }
        _binaryShift = -1;
        if (exponent <= DecimalDigitsOfNanoseconds)
            _multiplier = PowerOfTen(DecimalDigitsOfNanoseconds - exponent);
        else
            _divisor = PowerOfTen128(Math.Min(exponent - DecimalDigitsOfNanoseconds, MaxUInt128PowerOfTen));
    }

    /// <summary>The raw <c>if_tsresol</c> byte.</summary>
    public byte Value { get; }

    public long ToNanoseconds(ulong units)
    {
        if (_binaryShift >= 0)
        {
            var wide = (UInt128)units;
            var seconds = wide >> _binaryShift;
            var fraction = wide - (seconds << _binaryShift);
            return (long)(ulong)seconds * UnixTime.NanosecondsPerSecond
                + (long)(ulong)((fraction * (ulong)UnixTime.NanosecondsPerSecond) >> _binaryShift);
        }
        return _multiplier != 0 ? (long)units * _multiplier : (long)(ulong)(units / _divisor);
    }

    private static long PowerOfTen(int exponent)
    {
        var value = 1L;
        for (var i = 0; i < exponent; i++)
            value *= 10;
        return value;
    }

    private static UInt128 PowerOfTen128(int exponent)
    {
        UInt128 value = 1;
        for (var i = 0; i < exponent; i++)
            value *= 10;
        return value;
    }
}
