namespace Firebreak.Browser.Tests.Accessibility;

using System.Text.Json;
using Microsoft.Playwright;

/// <summary>
/// Accessibility checks run in the page itself: axe-core (vendored, WCAG 2.x A and AA rules) and Firebreak's own
/// structural rules (names for every control and image, one h1, the landmarks, unique ids), plus the keyboard path
/// into the content. Each returns readable problems; an empty list is a pass.
/// </summary>
public static class AccessibilityChecks
{
    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Accessibility", "axe", "axe.min.js")));

    /// <summary>Structural rules, as one function evaluated in the page (no network, no library).</summary>
    private const string StructureScript = """
        () => {
          const problems = [];
          const describe = e => e.outerHTML.replace(/\s+/g, ' ').slice(0, 120);
          const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length) && getComputedStyle(e).visibility !== 'hidden';
          const text = e => (e?.textContent ?? '').trim();
          const labelledBy = e => (e.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean).map(id => text(document.getElementById(id))).join(' ').trim();
          const nameOf = e => {
            if ((e.getAttribute('aria-label') ?? '').trim()) return e.getAttribute('aria-label').trim();
            const by = labelledBy(e); if (by) return by;
            if (e.labels && e.labels.length) { const l = [...e.labels].map(text).join(' ').trim(); if (l) return l; }
            if (e.matches('button, a, summary') && text(e)) return text(e);
            if (e.matches('input[type=submit], input[type=button], input[type=reset]') && (e.value ?? '').trim()) return e.value.trim();
            if ((e.getAttribute('title') ?? '').trim()) return e.getAttribute('title').trim();
            return '';
          };
          for (const e of document.querySelectorAll('input:not([type=hidden]), select, textarea, button, [role=button], [role=textbox], [role=combobox]'))
            if (!nameOf(e)) problems.push(`control without an accessible name: ${describe(e)}`);
          for (const e of document.querySelectorAll('a[href]'))
            if (visible(e) && !nameOf(e) && !e.querySelector('img[alt]:not([alt=""])')) problems.push(`link without a name: ${describe(e)}`);
          for (const e of document.querySelectorAll('img'))
            if (!e.hasAttribute('alt')) problems.push(`image without alt: ${describe(e)}`);
          for (const e of document.querySelectorAll('svg')) {
            if (e.closest('[aria-hidden=true]')) continue;
            const named = (e.getAttribute('role') === 'img' || e.getAttribute('role') === 'graphics-document') && (nameOf(e) || text(e.querySelector(':scope > title')));
            if (!named) problems.push(`svg neither labelled (role=img with a name) nor aria-hidden: ${describe(e)}`);
          }
          const h1 = document.querySelectorAll('h1');
          if (h1.length !== 1) problems.push(`expected exactly one h1, found ${h1.length}`);
          const mains = document.querySelectorAll('main, [role=main]');
          if (mains.length !== 1) problems.push(`expected exactly one main landmark, found ${mains.length}`);
          if (!document.querySelector('nav, [role=navigation]')) problems.push('no nav landmark');
          for (const nav of document.querySelectorAll('nav')) if (document.querySelectorAll('nav').length > 1 && !nameOf(nav)) problems.push(`several navs and this one has no label: ${describe(nav)}`);
          const seen = new Map();
          for (const e of document.querySelectorAll('[id]')) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
          for (const [id, n] of seen) if (n > 1) problems.push(`duplicate id "${id}" (${n} elements)`);
          if (!document.documentElement.lang) problems.push('html has no lang');
          if (!document.title.trim()) problems.push('page has no title');
          return problems;
        }
        """;

    /// <summary>Firebreak's structural rules.</summary>
    public static async Task<IReadOnlyList<string>> StructureAsync(IPage page) => await page.EvaluateAsync<string[]>(StructureScript);

    /// <summary>axe-core's WCAG 2.x A/AA rules; each violation with the elements it found.</summary>
    public static async Task<IReadOnlyList<string>> AxeAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            // Evaluated rather than added as a <script>, so a Content-Security-Policy on the page cannot block it.
            await page.EvaluateAsync(AxeSource.Value);
        }

        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
              return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` + v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + n.failureSummary.replace(/\s+/g, ' ')).join(' | '));
            }
            """);
        return [.. result.EnumerateArray().Select(v => v.GetString()!)];
    }

    /// <summary>Keyboard: the first Tab stop is the skip link, and following it puts focus on main.</summary>
    public static async Task<IReadOnlyList<string>> SkipLinkAsync(IPage page)
    {
        var problems = new List<string>();
        await page.EvaluateAsync("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }");
        await page.Keyboard.PressAsync("Tab");
        var first = await page.EvaluateAsync<JsonElement>("() => { const e = document.activeElement; return { tag: e.tagName, href: e.getAttribute('href'), text: e.textContent.trim(), visible: e.getBoundingClientRect().width > 1 && e.getBoundingClientRect().height > 1 }; }");
        if (first.GetProperty("href").GetString() != "#main" || first.GetProperty("tag").GetString() != "A")
        {
            problems.Add($"the first Tab stop is not the skip link to #main: {first}");
            return problems;
        }

        if (!first.GetProperty("visible").GetBoolean())
        {
            problems.Add($"the skip link is not visible when focused: {first}");
        }

        await page.Keyboard.PressAsync("Enter");
        var focused = await page.EvaluateAsync<string>("() => document.activeElement?.tagName + '#' + document.activeElement?.id");
        if (focused != "MAIN#main")
        {
            problems.Add($"following the skip link focuses {focused}, not main");
        }

        return problems;
    }
}
