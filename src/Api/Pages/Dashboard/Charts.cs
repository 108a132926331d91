using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace Defence.Api.Pages.Dashboard;

/// <summary>One bar (or pair of bars) of a chart: its label and count, null when suppressed; <c>Previous</c> for a comparison.</summary>
public sealed record Bar(string Label, long? Count, long? Previous = null);

/// <summary>
/// Bar charts as SVG written on the server: no script, no external file, text as text. Each chart is an image with a
/// title and a description listing every figure (its text alternative), labelled axes, the count at the end of each bar,
/// and two fills that differ in lightness and pattern as well as hue (dark blue solid against orange hatching), so they
/// read in greyscale and to colour-blind readers. The charts scale to the page's width (viewBox); the table beside
/// each holds the same numbers. Colours and sizes are attributes, not style, as the pages' CSP allows no inline style.
/// </summary>
public static class Charts
{
    static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");
    const string Ink = "#0b0c0c", Current = "#1d4f91", PreviousInk = "#a34700", Grid = "#b1b4b6";
    const int Width = 420, RightMargin = 60;

    public static string Number(long n) => n.ToString("N0", English);

    /// <summary>How a suppressed count reads: the same <c>&lt;k</c> as the CSV.</summary>
    public static string Hidden(int? k) => $"<{k}";

    /// <summary>
    /// Horizontal bars, one per label, each label on its own line above its bar (so long labels stay whole on a phone);
    /// with <paramref name="paired"/>, each label has this period's bar over the previous period's.
    /// </summary>
    public static IHtmlContent HorizontalBars(string id, string title, string categoryAxis, IReadOnlyList<Bar> bars, int? suppressBelow, bool paired = false)
    {
        const int left = 8, labelLine = 20, barHeight = 17;
        var rowHeight = labelLine + (paired ? 2 * barHeight + 2 : barHeight) + 10;
        var top = paired ? 58 : 30;
        var plotWidth = Width - left - RightMargin;
        var max = Math.Max(1, bars.Max(b => Math.Max(b.Count ?? 0, paired ? b.Previous ?? 0 : 0)));
        var step = Step(max);
        var axisMax = (max + step - 1) / step * step;
        var plotBottom = top + bars.Count * rowHeight;
        var height = plotBottom + 48;
        double X(long value) => left + (double)value / axisMax * plotWidth;

        var svg = Open(id, title, Describe(bars, suppressBelow, paired), Width, height);
        svg.Append(Text(left, 18, categoryAxis, bold: true));
        if (paired) svg.Append(Legend(id, left, 30));
        for (var tick = 0L; tick <= axisMax; tick += step)
        {
            var x = X(tick);
            svg.Append(Line(x, top, x, plotBottom, Grid));
            svg.Append(Text(x, plotBottom + 18, Number(tick), anchor: "middle"));
        }
        svg.Append(Text(left + plotWidth / 2.0, plotBottom + 40, "Cases", anchor: "middle", bold: true));
        svg.Append(Line(left, top, left, plotBottom, Ink));

        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = top + i * rowHeight;
            svg.Append(Text(left + 4, y + labelLine - 5, bar.Label));
            if (paired)
            {
                svg.Append(BarAndValue(X, y + labelLine, barHeight, bar.Count, suppressBelow, Current, null));
                svg.Append(BarAndValue(X, y + labelLine + barHeight + 2, barHeight, bar.Previous, suppressBelow, $"url(#{id}-hatch)", PreviousInk));
            }
            else svg.Append(BarAndValue(X, y + labelLine, barHeight, bar.Count, suppressBelow, Current, null));
        }
        return Close(svg);
    }

    /// <summary>Vertical bars over time (one per year, in order, zero years included), the count above each bar.</summary>
    public static IHtmlContent Columns(string id, string title, string categoryAxis, IReadOnlyList<Bar> bars, int? suppressBelow)
    {
        const int height = 300, top = 24, left = 56, bottom = 64;
        var plotHeight = height - top - bottom;
        var plotWidth = Width - left - 16;
        var max = Math.Max(1, bars.Max(b => b.Count ?? 0));
        var step = Step(max);
        var axisMax = (max + step - 1) / step * step;
        double Y(long value) => top + plotHeight - (double)value / axisMax * plotHeight;
        var slot = (double)plotWidth / Math.Max(1, bars.Count);
        // Label every year while they fit; else every second, fifth, ... year.
        var every = new[] { 1, 2, 5, 10, 20, 50 }.First(n => slot * n >= 40 || n == 50);

        var svg = Open(id, title, Describe(bars, suppressBelow, false), Width, height);
        for (var tick = 0L; tick <= axisMax; tick += step)
        {
            var y = Y(tick);
            svg.Append(Line(left, y, left + plotWidth, y, Grid));
            svg.Append(Text(left - 6, y + 5, Number(tick), anchor: "end"));
        }
        svg.Append(Line(left, top + plotHeight, left + plotWidth, top + plotHeight, Ink));
        svg.Append(Text(16, top + plotHeight / 2.0, "Cases", anchor: "middle", bold: true, rotate: true));
        svg.Append(Text(left + plotWidth / 2.0, height - 12, categoryAxis, anchor: "middle", bold: true));
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var x = left + i * slot;
            var width = Math.Max(2, slot * 0.7);
            var centre = x + slot / 2;
            if (bar.Count is { } count)
            {
                svg.Append(Rect(centre - width / 2, Y(count), width, top + plotHeight - Y(count), Current, null));
                if (slot >= 22) svg.Append(Text(centre, Y(count) - 5, Number(count), anchor: "middle", size: slot >= 34 ? 14 : 10));
            }
            else if (slot >= 22) svg.Append(Text(centre, top + plotHeight - 5, Hidden(suppressBelow), anchor: "middle", size: 11));
            if (i % every == 0) svg.Append(Text(centre, top + plotHeight + 20, bar.Label, anchor: "middle"));
        }
        return Close(svg);
    }

    static string BarAndValue(Func<long, double> x, double y, double height, long? count, int? suppressBelow, string fill, string? stroke)
    {
        var zero = x(0);
        if (count is not { } n) return Text(zero + 6, y + height / 2 + 5, $"{Hidden(suppressBelow)} (suppressed)", italic: true);
        var end = x(n);
        var bar = n > 0 ? Rect(zero, y, Math.Max(1, end - zero), height, fill, stroke) : "";
        return bar + Text(end + 6, y + height / 2 + 5, Number(n));
    }

    static string Legend(string id, double x, double y) =>
        Rect(x, y, 18, 14, Current, null) + Text(x + 24, y + 12, "This period") +
        Rect(x + 130, y, 18, 14, $"url(#{id}-hatch)", PreviousInk) + Text(x + 154, y + 12, "Previous period");

    /// <summary>A "nice" gridline step: 1, 2 or 5 times a power of ten, giving at most about five lines.</summary>
    static long Step(long max)
    {
        var step = 1L;
        while (true)
        {
            foreach (var factor in new[] { 1, 2, 5 })
                if (max / (step * factor) <= 5) return step * factor;
            step *= 10;
        }
    }

    static string Describe(IReadOnlyList<Bar> bars, int? suppressBelow, bool paired)
    {
        if (bars.Count == 0) return "No cases.";
        string Figure(long? n) => n is { } v ? Number(v) : $"fewer than {suppressBelow} (suppressed)";
        return string.Join("; ", bars.Select(b => paired
            ? $"{b.Label}: {Figure(b.Count)} this period, {Figure(b.Previous)} in the previous period"
            : $"{b.Label}: {Figure(b.Count)}")) + ".";
    }

    static StringBuilder Open(string id, string title, string description, int width, int height)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"{id}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-size=\"14\" fill=\"{Ink}\">");
        svg.Append($"<title id=\"{id}-title\">{Encode(title)}</title><desc id=\"{id}-desc\">{Encode(description)}</desc>");
        svg.Append($"<defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">" +
                   $"<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{PreviousInk}\" stroke-width=\"3\"/></pattern></defs>");
        return svg;
    }

    static IHtmlContent Close(StringBuilder svg) => new HtmlString(svg.Append("</svg>").ToString());

    static string Rect(double x, double y, double width, double height, string fill, string? stroke) =>
        string.Create(CultureInfo.InvariantCulture,
            $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{width:0.#}\" height=\"{height:0.#}\" fill=\"{fill}\"{(stroke is null ? "" : $" stroke=\"{stroke}\" stroke-width=\"1.5\"")}/>");

    static string Line(double x1, double y1, double x2, double y2, string stroke) =>
        string.Create(CultureInfo.InvariantCulture, $"<line x1=\"{x1:0.#}\" y1=\"{y1:0.#}\" x2=\"{x2:0.#}\" y2=\"{y2:0.#}\" stroke=\"{stroke}\" stroke-width=\"1\"/>");

    static string Text(double x, double y, string text, string anchor = "start", bool bold = false, bool italic = false, int size = 14, bool rotate = false) =>
        string.Create(CultureInfo.InvariantCulture,
            $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\" font-size=\"{size}\"{(bold ? " font-weight=\"700\"" : "")}{(italic ? " font-style=\"italic\"" : "")}{(rotate ? $" transform=\"rotate(-90 {x:0.#} {y:0.#})\"" : "")}>{Encode(text)}</text>");

    static string Encode(string text) => WebUtility.HtmlEncode(text);
}
