namespace Firebreak.Core.Tests.Security;

using Firebreak.Core.Security;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("password")]
    [InlineData("Password")]
    [InlineData("passwordpassword")]
    [InlineData("P@ssw0rd2024!")]
    [InlineData("p@$$w0rd123456")]
    [InlineData("Password1234!!")]
    [InlineData("PASSWORD123456")]
    [InlineData("iloveyou2024!!")]
    [InlineData("Qwertyuiop123!")]
    [InlineData("letmein!letmein")]
    [InlineData("Sunshine123456")]
    [InlineData("2024Welcome!!!")]
    [InlineData("Tr0ub4dor&3")]
    [InlineData("aaaaaaaaaaaaaa")]
    [InlineData("123456789012")]
    [InlineData("abcdefghijklm")]
    [InlineData("zyxwvutsrqpon")]
    [InlineData("qwertyuiopasdf")]
    [InlineData("1qaz2wsx3edc4rfv")]
    [InlineData("abcabcabcabc")]
    [InlineData("short")]
    [InlineData("")]
    [InlineData("Firebreak-is-great-2024")]
    [InlineData("my f1r3br3ak password")]
    public void Check_WeakPassword_IsRefused(string password) =>
        Assert.NotNull(PasswordPolicy.Check(password, "ana.garcia@example.com", "Ana García"));

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("violet-tuesday-ferry-71")]
    [InlineData("Gx7#pQ2!mW9z")]
    [InlineData("the owls are not what they seem")]
    [InlineData("Kaffee mit Zimt um Mitternacht")]
    [InlineData("日本語のパスフレーズです十二文字")]
    public void Check_StrongPassword_IsAccepted(string password) =>
        Assert.Null(PasswordPolicy.Check(password, "ana.garcia@example.com", "Ana García"));

    [Theory]
    [InlineData("ana.garcia-rocks-2024", "e-mail")]
    [InlineData("xx-AnaGarcia-blue-sky", "name")]
    [InlineData("garcia the great bard", "name")]
    public void Check_PasswordWithPersonalDetails_IsRefusedSayingWhy(string password, string mentions) =>
        Assert.Contains(mentions, PasswordPolicy.Check(password, "ana.garcia@example.com", "Ana Garcia"), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Check_TooLong_IsRefused() => Assert.Contains("at most", PasswordPolicy.Check(new string('x', 100) + "correct horse battery staple" + new string('y', 200)));

    [Fact]
    public void Check_ProblemsAreSentencesForPeople() =>
        Assert.Matches("^[A-Z].+[.;]", PasswordPolicy.Check("password123456")!);
}
