namespace Firebreak.Tests.Shared;

using System.Diagnostics;

/// <summary>Waits for something a background loop or a server will make true.</summary>
public static class Poll
{
    /// <summary>Polls every 20 ms until <paramref name="done"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task UntilAsync(Func<bool> done, TimeSpan timeout, Func<string> what)
    {
        var waited = Stopwatch.StartNew();
        while (!done())
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException(what());
            }

            await Task.Delay(20);
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{bool}, TimeSpan, Func{string})"/>
    public static async Task UntilAsync(Func<Task<bool>> done, TimeSpan timeout, Func<string> what)
    {
        var waited = Stopwatch.StartNew();
        while (!await done())
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException(what());
            }

            await Task.Delay(20);
        }
    }
}
