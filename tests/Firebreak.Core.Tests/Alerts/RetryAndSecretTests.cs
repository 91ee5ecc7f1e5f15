using System.Security.Cryptography;
using Firebreak.Core.Alerts;
using Firebreak.Core.Secrets;

namespace Firebreak.Core.Tests.Alerts;

public sealed class RetryScheduleTests
{
    private static readonly AlertOptions Options = new() { RetryBase = TimeSpan.FromSeconds(5), RetryMax = TimeSpan.FromMinutes(15), MaxRetryAfter = TimeSpan.FromHours(1) };

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(8, 640)]
    [InlineData(9, 900)]
    [InlineData(40, 900)]
    public void After_DoublesWithEqualJitter_UpToTheMaximum(int attempt, int fullSeconds)
    {
        var schedule = new RetrySchedule(Options, new Random(1234));
        var delays = Enumerable.Range(0, 200).Select(_ => schedule.After(attempt, null)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(fullSeconds / 2.0), TimeSpan.FromSeconds(fullSeconds)));
        Assert.True(delays.Distinct().Count() > 100, "jitter spreads the delays");
        Assert.Equal(TimeSpan.FromSeconds(fullSeconds / 2.0), schedule.Minimum(attempt));
    }

    [Fact]
    public void After_RetryAfter_IsHonouredWhenLongerAndCapped()
    {
        var schedule = new RetrySchedule(Options, new Random(1));

        Assert.Equal(TimeSpan.FromSeconds(120), schedule.After(1, TimeSpan.FromSeconds(120)));
        Assert.Equal(TimeSpan.FromHours(1), schedule.After(1, TimeSpan.FromHours(5)));
        Assert.InRange(schedule.After(8, TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(320), TimeSpan.FromSeconds(640));
    }
}

public sealed class SecretProtectorTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("firebreak-secrets-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Protect_RoundTripsAndNeverShowsThePlaintext()
    {
        var protector = AesGcmSecretProtector.Load(null, folder.FullName);

        var sealed1 = protector.Protect("hunter2-ünïcode", "alert-channel:1");
        var sealed2 = protector.Protect("hunter2-ünïcode", "alert-channel:1");

        Assert.StartsWith("fbs1." + protector.KeyId + ".", sealed1, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", sealed1, StringComparison.Ordinal);
        Assert.NotEqual(sealed1, sealed2);
        Assert.Equal("hunter2-ünïcode", protector.Unprotect(sealed1, "alert-channel:1"));
    }

    [Fact]
    public void Unprotect_OtherPurposeOrAlteredText_Refused()
    {
        var protector = AesGcmSecretProtector.Load(null, folder.FullName);
        var sealedText = protector.Protect("s3cret", "alert-channel:1");
        var altered = sealedText[..^3] + (sealedText[^3] == 'A' ? "B" : "A") + sealedText[^2..];

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(sealedText, "alert-channel:2"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(altered, "alert-channel:1"));
    }

    [Fact]
    public void Load_CreatesAnOwnerOnlyKeyFileOnce_AndAnotherKeyIsToldApart()
    {
        var first = AesGcmSecretProtector.Load(null, folder.FullName);
        var again = AesGcmSecretProtector.Load(null, folder.FullName);
        var other = AesGcmSecretProtector.Load(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), folder.FullName);
        var sealedText = first.Protect("x", "p");

        Assert.Equal(first.KeyId, again.KeyId);
        Assert.Equal("x", again.Unprotect(sealedText, "p"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder.FullName, AesGcmSecretProtector.KeyFileName)));
        }

        var refused = Assert.ThrowsAny<CryptographicException>(() => other.Unprotect(sealedText, "p"));
        Assert.Contains(AesGcmSecretProtector.KeyVariable, refused.Message, StringComparison.Ordinal);
    }
}
