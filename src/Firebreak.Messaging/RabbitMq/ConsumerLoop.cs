namespace Firebreak.Messaging.RabbitMq;

using RabbitMQ.Client;

/// <summary>
/// Keeps a consumer alive across broker outages: connects, lets the caller set up its channel and consumer,
/// waits until the connection closes, then starts again a second later, until cancelled. Automatic recovery is
/// off on purpose (see <see cref="RabbitTopology.ConnectAsync"/>), so this loop is how consumers come back.
/// </summary>
internal static class ConsumerLoop
{
    /// <param name="subscribe">Opens the channel and starts consuming; the channel is disposed when the connection closes.</param>
    public static async Task RunAsync(RabbitMqOptions options, string role, Func<IConnection, CancellationToken, Task<IChannel>> subscribe, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await RabbitTopology.ConnectAsync(options, role, cancellationToken).ConfigureAwait(false);
                var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                connection.ConnectionShutdownAsync += (_, _) =>
                {
                    closed.TrySetResult();
                    return Task.CompletedTask;
                };
                await using var channel = await subscribe(connection, cancellationToken).ConfigureAwait(false);
                await closed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.AlreadyClosedException)
            {
                // Broker away; try again shortly.
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
