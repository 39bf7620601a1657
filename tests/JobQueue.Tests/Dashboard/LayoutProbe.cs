using Microsoft.Playwright;

namespace JobQueue.Tests.Dashboard;

/// <summary>
/// Nothing cut off: every visible button (and expand control) of the page lies inside the viewport's
/// width, inside its container (the nearest cell, actions group, panel, form or section) and inside
/// every ancestor that clips (overflow other than visible), by bounding boxes; no table is wider than its box.
/// </summary>
internal static class LayoutProbe
{
    public static async Task<IReadOnlyList<string>> ProblemsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>(
            """
            () => {
              const problems = [];
              const vw = document.documentElement.clientWidth;
              const slack = 1;
              const inside = (r, box) => r.left >= box.left - slack && r.right <= box.right + slack && r.top >= box.top - slack && r.bottom <= box.bottom + slack;
              const name = (e) => ((e.getAttribute('aria-label') || e.textContent || e.tagName).trim().replace(/\s+/g, ' ')).slice(0, 60);
              const containers = 'td, th, .row-actions, .page-tools, .trigger-row, .form-actions, .filter-actions, .pager, .panel-head, .panel, .banner, .session, .processing, .dialog-actions, dialog, form, section, header, main';
              for (const b of document.querySelectorAll('button, summary')) {
                const r = b.getBoundingClientRect();
                if (r.width === 0 && r.height === 0) { continue; }
                if (r.left < -slack || r.right > vw + slack) { problems.push(`"${name(b)}" is outside the viewport's width (${Math.round(r.left)}..${Math.round(r.right)} of ${vw})`); }
                const box = b.parentElement.closest(containers);
                if (box && !inside(r, box.getBoundingClientRect())) { problems.push(`"${name(b)}" is outside its container ${box.tagName.toLowerCase()}.${box.className}`); }
                for (let a = b.parentElement; a && a !== document.body; a = a.parentElement) {
                  const s = getComputedStyle(a);
                  if (s.overflowX !== 'visible' && !inside(r, a.getBoundingClientRect())) {
                    problems.push(`"${name(b)}" is cut off by ${a.tagName.toLowerCase()}.${a.className}`);
                    break;
                  }
                }
              }
              for (const w of document.querySelectorAll('.table-wrap')) {
                if (w.scrollWidth > w.clientWidth + slack) {
                  problems.push(`the table "${w.querySelector('caption')?.textContent}" is wider than its box (${w.scrollWidth} > ${w.clientWidth})`);
                }
              }
              if (document.documentElement.scrollWidth > vw + slack) { problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${vw})`); }
              return problems;
            }
            """);
}
