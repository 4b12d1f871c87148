using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Module;

/// <summary>
/// Every error id the module can raise, found in its source (src/MirrorTools.Core and the cmdlets)
/// by Roslyn's syntax trees, so an id added anywhere is found without a list to keep:
/// the first argument of each <c>new MirrorToolsException(…)</c> (or target-typed <c>new(id,
/// ProblemCategory.…)</c>) and the id argument of each <c>new ErrorRecord(…)</c>, resolved when it
/// is a literal or a <c>const string</c>; and every id-shaped const of an error catalog (a type named
/// <c>…Errors</c> or <c>…Problems</c>), whose ids reach the exception through a variable.
/// </summary>
internal sealed class ErrorIdScan
{
    private static readonly string[] SourceFolders = [Path.Combine("src", "MirrorTools.Core"), Path.Combine("src", "MirrorTools")];

    private readonly List<Constant> _constants = [];
    private List<SyntaxTree> _trees = [];

    private ErrorIdScan()
    {
    }

    /// <summary>Each id with the place that raises it (the first found).</summary>
    public SortedDictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    /// <summary>Raise sites whose id is neither a literal, a const, nor inside an error catalog: ids the scan cannot see.</summary>
    public List<string> UnresolvedSites { get; } = [];

    public static ErrorIdScan Run()
    {
        var scan = new ErrorIdScan();
        var trees = SourceFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: Path.GetRelativePath(TestPaths.RepoRoot, file)))
            .ToList();
        scan._trees = trees;
        foreach (var tree in trees)
            scan.CollectConstants(tree);
        foreach (var tree in trees)
            scan.CollectRaiseSites(tree);
        foreach (var constant in scan._constants.Where(c => IsCatalog(c.Type) && IsIdShaped(c.Value)))
            scan.Add(constant.Value, constant.Where);
        return scan;
    }

    private void CollectConstants(SyntaxTree tree)
    {
        foreach (var field in tree.GetRoot().DescendantNodes().OfType<FieldDeclarationSyntax>())
        {
            if (!field.Modifiers.Any(SyntaxKind.ConstKeyword))
                continue;
            foreach (var variable in field.Declaration.Variables)
            {
                if (variable.Initializer?.Value is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal)
                    _constants.Add(new Constant(TypeOf(field), variable.Identifier.Text, literal.Token.ValueText, tree.FilePath, Where(field)));
            }
        }
    }

    private void CollectRaiseSites(SyntaxTree tree)
    {
        foreach (var creation in tree.GetRoot().DescendantNodes().OfType<BaseObjectCreationExpressionSyntax>())
        {
            var arguments = creation.ArgumentList?.Arguments;
            if (arguments is not { Count: >= 2 } args)
                continue;
            var typeName = creation is ObjectCreationExpressionSyntax explicitType ? LastName(explicitType.Type) : null;
            ExpressionSyntax? id = typeName switch
            {
                "MirrorToolsException" => args[0].Expression,
                "ErrorRecord" => args[1].Expression,
                null when args[1].Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "ProblemCategory" } } => args[0].Expression,
                _ => null,
            };
            if (id is not null)
                Resolve(id, creation, tree.FilePath);
        }
    }

    private void Resolve(ExpressionSyntax id, SyntaxNode site, string file)
    {
        switch (id)
        {
            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal:
                Add(literal.Token.ValueText, Where(site));
                return;
            case ConditionalExpressionSyntax conditional:
                Resolve(conditional.WhenTrue, site, file);
                Resolve(conditional.WhenFalse, site, file);
                return;
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceExpression } coalesce:
                Resolve(coalesce.Left, site, file);
                Resolve(coalesce.Right, site, file);
                return;
            case MemberAccessExpressionSyntax { Name.Identifier.Text: "ErrorId" }:
            case ConditionalAccessExpressionSyntax { WhenNotNull: MemberBindingExpressionSyntax { Name.Identifier.Text: "ErrorId" } }:
                return; // an id already raised elsewhere, passed on
            case IdentifierNameSyntax parameter when CallersArguments(parameter, site) is { } arguments:
                foreach (var argument in arguments)
                    Resolve(argument, argument, argument.SyntaxTree.FilePath);
                return;
            case IdentifierNameSyntax name when Find(name.Identifier.Text, TypeOf(site), file) is { } constant:
                Add(constant.Value, Where(site));
                return;
            case MemberAccessExpressionSyntax { Expression: var type, Name: var name }
                when _constants.FirstOrDefault(c => c.Name == name.Identifier.Text && c.Type == LastName(type)) is { } constant:
                Add(constant.Value, Where(site));
                return;
        }
        if (!IsCatalog(TypeOf(site)))
            UnresolvedSites.Add($"{Where(site)}: {id}");
    }

    /// <summary>
    /// When <paramref name="name"/> is a parameter of the method around <paramref name="site"/> (a helper
    /// that raises the id it is given), the arguments its callers in any scanned file pass for it.
    /// </summary>
    private List<ExpressionSyntax>? CallersArguments(IdentifierNameSyntax name, SyntaxNode site)
    {
        if (site.Ancestors().OfType<BaseMethodDeclarationSyntax>().FirstOrDefault() is not MethodDeclarationSyntax method)
            return null;
        var index = method.ParameterList.Parameters.IndexOf(p => p.Identifier.Text == name.Identifier.Text);
        if (index < 0)
            return null;
        var arguments = new List<ExpressionSyntax>();
        foreach (var call in _trees.SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()))
        {
            var called = call.Expression switch
            {
                IdentifierNameSyntax simple => simple.Identifier.Text,
                MemberAccessExpressionSyntax access => access.Name.Identifier.Text,
                _ => null,
            };
            if (called != method.Identifier.Text)
                continue;
            var args = call.ArgumentList.Arguments;
            var named = args.FirstOrDefault(a => a.NameColon?.Name.Identifier.Text == name.Identifier.Text);
            if (named is not null)
                arguments.Add(named.Expression);
            else if (index < args.Count && args[index].NameColon is null)
                arguments.Add(args[index].Expression);
        }
        return arguments.Count > 0 ? arguments : null;
    }

    /// <summary>A const by simple name: in the site's own type, else in its file, else the only one of that name.</summary>
    private Constant? Find(string name, string type, string file)
    {
        var named = _constants.Where(c => c.Name == name).ToList();
        return named.FirstOrDefault(c => c.Type == type)
            ?? named.FirstOrDefault(c => c.File == file)
            ?? (named.Count == 1 ? named[0] : null);
    }

    private void Add(string id, string where) => Ids.TryAdd(id, where);

    private static bool IsCatalog(string type) =>
        type.EndsWith("Errors", StringComparison.Ordinal) || type.EndsWith("Problems", StringComparison.Ordinal);

    /// <summary>PascalCase letters and digits: not a check id (Aws.X), a message or a format string.</summary>
    public static bool IsIdShaped(string value) =>
        value.Length > 1 && char.IsAsciiLetterUpper(value[0]) && value.All(char.IsAsciiLetterOrDigit);

    private static string TypeOf(SyntaxNode node) =>
        node.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.Text ?? "";

    private static string? LastName(ExpressionSyntax type) => type switch
    {
        IdentifierNameSyntax name => name.Identifier.Text,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.Text,
        MemberAccessExpressionSyntax access => access.Name.Identifier.Text,
        _ => null,
    };

    private static string? LastName(TypeSyntax type) => LastName((ExpressionSyntax)type);

    private static string Where(SyntaxNode node)
    {
        var line = node.GetLocation().GetLineSpan();
        return $"{line.Path}:{line.StartLinePosition.Line + 1}";
    }

    private sealed record Constant(string Type, string Name, string Value, string File, string Where);
}
