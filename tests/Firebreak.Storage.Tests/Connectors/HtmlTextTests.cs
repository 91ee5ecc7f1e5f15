namespace Firebreak.Storage.Tests.Connectors;

using Firebreak.Core.Connectors;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("<p>Hello <b>world</b></p><p>again</p>", "Hello world\nagain")]
    [InlineData("<P>Upper<BR>case</P>", "Upper\ncase")]
    [InlineData("<p>a &amp; b &lt;3</p>\n\n", "a & b <3")]
    [InlineData("one<SCRIPT>alert(1)</script>two<style>p{}</STYLE>three", "onetwothree")]
    [InlineData("a < b and <unclosed", "a < b and <unclosed")]
    [InlineData("<p>مرحبا 🙏</p><blockquote>q</blockquote>", "مرحبا 🙏\nq")]
    public void ToText_DropsTagsBreaksBlocksDecodesOnceAndTrims(string html, string text) => Assert.Equal(text, HtmlText.ToText(html));
}
