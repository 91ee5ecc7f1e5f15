namespace Firebreak.Core.Publishing.Platforms;

using System.Net;
using System.Net.Sockets;

/// <summary>Limits for fetching a post's pictures before upload.</summary>
public sealed class MediaFetcherOptions
{
    /// <summary>The largest picture fetched (Mastodon's default image limit is 16 MB; Bluesky's blob limit is far lower and is checked by its publisher).</summary>
    public long MaxBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Off in production: a media URL naming a loopback, private, link-local or carrier-grade NAT address is refused, so a
    /// post cannot make the server fetch from inside its own network (SSRF). Tests serving pictures on 127.0.0.1 turn it on.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A fetched picture: its bytes and the type read from its first bytes (never trusted from the server's header alone).</summary>
public sealed record MediaFile(string FileName, string ContentType, byte[] Bytes);

/// <summary>Why a picture could not be fetched; <see cref="Transient"/> when trying later may help (timeout, 5xx).</summary>
public sealed class MediaFetchException(string message, bool transient) : Exception(message)
{
    public bool Transient { get; } = transient;
}

/// <summary>
/// Fetches a post's pictures from the URLs the author gave, for the publisher to upload: http(s) only, the connection
/// checked against private networks at connect time (so a DNS answer or redirect cannot point it inside), at most
/// <see cref="MediaFetcherOptions.MaxBytes"/> read, and only JPEG, PNG, GIF or WebP accepted, recognised by their bytes.
/// </summary>
public sealed class MediaFetcher
{
    private readonly HttpClient http;
    private readonly MediaFetcherOptions options;

    public MediaFetcher(MediaFetcherOptions options)
    {
        this.options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        };
        http = new HttpClient(handler) { Timeout = options.Timeout };
    }

    public async Task<MediaFile> FetchAsync(string url, long maxBytes, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new MediaFetchException($"The media address '{Clip(url)}' is not an http(s) URL; give the picture's public address.", false);
        }

        var limit = Math.Min(maxBytes, options.MaxBytes);
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw new MediaFetchException($"Fetching the picture {Clip(url)} answered {status} {response.ReasonPhrase}.", status == 429 || status >= 500);
            }

            if (response.Content.Headers.ContentLength > limit)
            {
                throw new MediaFetchException($"The picture {Clip(url)} is {response.Content.Headers.ContentLength:N0} bytes; at most {limit:N0} are allowed here. Use a smaller picture.", false);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new MediaFetchException($"The picture {Clip(url)} is larger than the {limit:N0} bytes allowed here. Use a smaller picture.", false);
                }

                buffer.Write(chunk, 0, read);
            }

            var bytes = buffer.ToArray();
            var type = Sniff(bytes) ?? throw new MediaFetchException($"{Clip(url)} is not a JPEG, PNG, GIF or WebP picture (its first bytes say otherwise); video and other files are not uploaded yet.", false);
            var name = Path.GetFileName(uri.AbsolutePath) is { Length: > 0 and <= 100 } n ? n : "image";
            return new MediaFile(name, type, bytes);
        }
        catch (HttpRequestException e) when (e.InnerException is MediaFetchException refused)
        {
            throw refused;
        }
        catch (HttpRequestException e)
        {
            throw new MediaFetchException($"The picture {Clip(url)} could not be fetched ({e.Message}).", true);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaFetchException($"Fetching the picture {Clip(url)} took longer than {options.Timeout.TotalSeconds:0} s.", true);
        }
    }

    /// <summary>The picture type from its magic bytes, or null.</summary>
    public static string? Sniff(ReadOnlySpan<byte> b) =>
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.Length >= 8 && b[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }) ? "image/png"
        : b.Length >= 6 && (b[..6].SequenceEqual("GIF87a"u8) || b[..6].SequenceEqual("GIF89a"u8)) ? "image/gif"
        : b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;

    /// <summary>Whether an address is inside a private network: loopback, RFC 1918, link-local, CGNAT, unique-local, unspecified.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] >= 224;
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (address.GetAddressBytes()[0] & 0xFE) == 0xFC;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = options.AllowPrivateAddresses ? addresses : addresses.Where(a => !IsPrivate(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new MediaFetchException($"The media host {context.DnsEndPoint.Host} is on a private network; Firebreak fetches pictures only from public addresses.", false);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Clip(string url) => url.Length <= 120 ? url : url[..120] + "…";
}
