using Firebreak.Core.Detection.Nab;

namespace Firebreak.Core.Tests.Detection;

public sealed class NabCorpusTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("firebreak-nab-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Load_MapsWindowTimestampsToRows_AndSkipsUnlabelledFiles()
    {
        Write("realThing/a.csv", "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,2.5\n2014-04-01 00:10:00,3\n2014-04-01 00:15:00,4\n");
        Write("realThing/unlabelled.csv", "timestamp,value\n2014-04-01 00:00:00,1\n");
        Write(NabCorpus.WindowsFile, """{"realThing/a.csv": [["2014-04-01 00:05:00.000000", "2014-04-01 00:10:00.000000"]], "realThing/gone.csv": []}""");
        var warnings = new List<string>();

        var corpus = NabCorpus.Load(folder.FullName, warnings);

        var series = Assert.Single(corpus);
        Assert.Equal("realThing/a.csv", series.RelativePath);
        Assert.Equal([1, 2.5, 3, 4], series.Values);
        Assert.Equal(new NabWindow(1, 2), Assert.Single(series.Windows));
        Assert.Equal([false, true, true, false], Enumerable.Range(0, 4).Select(series.IsLabelled));
        Assert.Contains(warnings, w => w.Contains("unlabelled.csv", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("gone.csv", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_WithoutWindowsFile_SaysWhatIsMissing()
    {
        var error = Assert.Throws<NabFormatException>(() => NabCorpus.Load(folder.FullName, []));

        Assert.Contains(NabCorpus.WindowsFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadValue_NamesFileAndLine()
    {
        Write("x/a.csv", "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,oops\n");
        Write(NabCorpus.WindowsFile, """{"x/a.csv": []}""");

        var error = Assert.Throws<NabFormatException>(() => NabCorpus.Load(folder.FullName, []));

        Assert.Contains("x/a.csv:3", error.Message, StringComparison.Ordinal);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(folder.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
