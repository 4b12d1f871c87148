using System.Runtime.CompilerServices;

namespace MirrorTools.Decoding;

/// <summary>
/// The VNIs of nested VXLAN headers, outermost first, stored inline so a decode does not allocate.
/// Deeper nesting than <see cref="Capacity"/> is counted but not kept.
/// </summary>
internal struct VniChain
{
    public const int Capacity = 8;

    private VniBuffer _vnis;

    /// <summary>How many VXLAN headers were seen, possibly more than are stored.</summary>
    public int Depth { readonly get; private set; }

    public readonly int StoredCount => Math.Min(Depth, Capacity);

    public readonly uint this[int index] => _vnis[index];

    public void Clear() => Depth = 0;

    public void Add(uint vni)
    {
        if (Depth < Capacity)
            _vnis[Depth] = vni;
        Depth++;
    }

    public readonly int[] ToArray()
    {
        var vnis = new int[StoredCount];
        for (var i = 0; i < vnis.Length; i++)
            vnis[i] = (int)_vnis[i];
        return vnis;
    }

    [InlineArray(Capacity)]
    private struct VniBuffer
    {
        private uint _first;
    }
}
