namespace Firebreak.Web.Tests;

using System.Diagnostics;
using System.Text;

/// <summary>A real `firebreak` process, so tests can kill it the way a power cut or OOM killer would.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<string> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(ProcessStartInfo start)
    {
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Observe(e.Data);
        process.ErrorDataReceived += (_, e) => Observe(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("firebreak exited before listening:\n" + Output));
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<(ServerProcess Server, string Url)> StartAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var server = new ServerProcess(start);
        server.process.Start();
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        var url = await server.listening.Task.WaitAsync(timeout);
        return (server, url);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, no drain.</summary>
    public async Task KillHardAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillHardAsync();
        process.Dispose();
    }

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        const string marker = "Firebreak is listening on ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            listening.TrySetResult(line[(at + marker.Length)..].Split(' ', 2)[0]);
        }
    }
}
