// The fuzz harness's entry: `dotnet MirrorTools.Fuzz.dll <target>` under afl-fuzz (run.sh), or
// without it to replay one input from stdin: `dotnet MirrorTools.Fuzz.dll capture < crashes/id:000000…`.
using MirrorTools.Fuzz;
using SharpFuzz;

const string Usage = "usage: MirrorTools.Fuzz (capture | canary) < input";

if (args.Length != 1 || FuzzTargets.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine(Usage);
    return 2;
}
Fuzzer.OutOfProcess.Run(target);
return 0;
