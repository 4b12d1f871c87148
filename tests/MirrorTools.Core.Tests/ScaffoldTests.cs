namespace MirrorTools.Tests;

public class ScaffoldTests
{
    [Fact]
    public void UnixTime_RoundTripsWholeTicks()
    {
        var t = new DateTime(2026, 11, 21, 6, 0, 0, DateTimeKind.Utc).AddTicks(1234567);
        Assert.Equal(t, UnixTime.ToDateTime(UnixTime.FromDateTime(t)));
    }
}
