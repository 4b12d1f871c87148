namespace MirrorTools.Cloud;

/// <summary>-EndpointUrl for every cloud: the one place its text becomes a <see cref="Uri"/>.</summary>
internal static class MirrorEndpointUrl
{
    /// <summary>The URL, or null when none was given; a URL the clients cannot call is <see cref="MirrorErrors.EndpointUrlInvalid"/>.</summary>
    public static Uri? Parse(string? text)
    {
        if (text is null)
            return null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
            throw Invalid(text, "is not an absolute URL");
        // ftp:// or file:/// parse as URLs but reached the HTTP clients as a raw NotSupportedException.
        if (url.Scheme is not ("http" or "https"))
            throw Invalid(text, $"is a {url.Scheme} URL; the clients call http and https only");
        return url;
    }

    private static MirrorToolsException Invalid(string text, string why) => new(MirrorErrors.EndpointUrlInvalid, ProblemCategory.InvalidArgument,
        $"-EndpointUrl '{text}' {why}: write it as https://host[:port]/.", text);
}
