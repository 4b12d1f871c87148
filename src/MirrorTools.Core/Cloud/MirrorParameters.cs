namespace MirrorTools.Cloud;

/// <summary>Cmdlet parameters that each name the same thing (a source, a target) in a provider's terms, folded into one id.</summary>
internal static class MirrorParameters
{
    /// <summary>The one value given among <paramref name="parameters"/>; more than one (or none, when <paramref name="required"/>) is <paramref name="errorId"/>, naming them.</summary>
    public static string? OneOf(string errorId, string what, bool required, params (string Parameter, string? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null).ToList();
        if (given.Count > 1)
            throw new MirrorToolsException(errorId, ProblemCategory.InvalidArgument,
                $"Give one {what}, not {string.Join(" and ", given.Select(p => p.Parameter))}.", given[0].Value);
        if (given.Count == 0 && required)
            throw new MirrorToolsException(errorId, ProblemCategory.InvalidArgument,
                $"No {what} was given: pass one of {string.Join(", ", parameters.Select(p => p.Parameter))}.", what);
        return given.SingleOrDefault().Value;
    }
}
