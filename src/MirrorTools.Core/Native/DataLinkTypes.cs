namespace MirrorTools.Native;

/// <summary>
/// libpcap's live and dead handles speak DLT_ numbers, files speak LINKTYPE_ numbers. They agree
/// for every type MirrorTools decodes except raw IP: LINKTYPE_RAW is 101, DLT_RAW is 12.
/// </summary>
internal static class DataLinkTypes
{
    private const int DltRaw = 12;

    public static int ToDataLinkType(LinkType linkType) => linkType == LinkType.Raw ? DltRaw : (int)linkType;

    public static LinkType ToLinkType(int dataLinkType) => dataLinkType == DltRaw ? LinkType.Raw : (LinkType)dataLinkType;
}
