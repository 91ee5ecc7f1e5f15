namespace Firebreak.Core.Scenarios;

/// <summary>What the crowd writes in one language once a story's burst starts (same slots as the language packs).</summary>
internal sealed record StoryTexts(string[] Crisis, string[] Replies, string[] News);

/// <summary>
/// A crisis storyline other than the airline one: the viral post that starts it, the crowd's texts per language, its
/// hashtags and the brand's late statement. The everyday stream around it stays the language packs' (the brand's ordinary
/// chatter); only what the burst says changes, so one generator plays every story with the same arrival model.
/// </summary>
/// <param name="MainTag">The main hashtag ({X}); "{brand}" becomes the brand's compact name.</param>
/// <param name="Tags">The secondary hashtags ({x}); "{brand}" as in <paramref name="MainTag"/>.</param>
/// <param name="Texts">Per language code; a stream of this story may only mix these languages.</param>
internal sealed record CrisisStory(
    string Key,
    string MainTag,
    string[] Tags,
    string Viral,
    string Statement,
    IReadOnlyDictionary<string, StoryTexts> Texts)
{
    public string Tag(string template, string brandCompact) => template.Replace("{brand}", brandCompact, StringComparison.Ordinal);

    /// <summary>The pack with its crisis texts replaced by this story's (parsed once per model).</summary>
    public LanguagePack Apply(LanguagePack pack) =>
        Texts.TryGetValue(pack.Code, out var texts)
            ? pack.WithCrisis(TextTemplate.ParseAll(texts.Crisis), TextTemplate.ParseAll(texts.Replies), TextTemplate.ParseAll(texts.News))
            : throw new ArgumentException($"The '{Key}' story has no text in '{pack.Code}'. It has: {string.Join(", ", Texts.Keys)}.", nameof(pack));
}
