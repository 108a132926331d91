using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Defence.Api.Pages;

/// <summary>
/// The form fields every page uses, one shape for all: a label above the input, a hint under the label, the
/// server's messages above the input, all tied to it with <c>aria-describedby</c>. Text is always encoded.
/// </summary>
public static class Fields
{
    public static IHtmlContent Text(PageForm form, string field, string label, string? hint = null, string type = "text",
        string? value = null, string? autocomplete = null, string? inputMode = null, string? width = null)
    {
        var input = new TagBuilder("input") { TagRenderMode = TagRenderMode.SelfClosing };
        input.Attributes["type"] = type;
        input.Attributes["value"] = form.Value(field, value) ?? "";
        if (autocomplete is not null) input.Attributes["autocomplete"] = autocomplete;
        if (inputMode is not null) input.Attributes["inputmode"] = inputMode;
        if (width is not null) input.AddCssClass(width);
        return Group(form, field, label, hint, input);
    }

    public static IHtmlContent TextArea(PageForm form, string field, string label, string? hint = null, int rows = 5)
    {
        var area = new TagBuilder("textarea");
        area.Attributes["rows"] = rows.ToString(System.Globalization.CultureInfo.InvariantCulture);
        area.InnerHtml.Append(form.Value(field) ?? "");
        return Group(form, field, label, hint, area);
    }

    public static IHtmlContent Select(PageForm form, string field, string label, IEnumerable<(string Code, string Label)> choices,
        string? hint = null, string? value = null, string? anyLabel = null)
    {
        var select = new TagBuilder("select");
        var chosen = form.Value(field, value) ?? "";
        select.InnerHtml.AppendHtml(Option("", anyLabel ?? "Choose one", chosen == ""));
        foreach (var (code, text) in choices) select.InnerHtml.AppendHtml(Option(code, text, chosen == code));
        return Group(form, field, label, hint, select);
    }

    /// <summary>Several choices: a fieldset whose legend is the question, one labelled checkbox per code.</summary>
    public static IHtmlContent Checkboxes(PageForm form, string field, string legend, IEnumerable<(string Code, string Label)> choices,
        string? hint = null, IReadOnlyList<string>? values = null)
    {
        var chosen = form.Values(field, values).ToHashSet(StringComparer.Ordinal);
        var messages = form.MessagesFor(field);
        var fieldset = new TagBuilder("fieldset");
        fieldset.AddCssClass("field");
        fieldset.Attributes["id"] = form.Id(field);
        if (messages.Count > 0) fieldset.AddCssClass("field-error");
        var described = Described(form, field, hint, messages);
        if (described is not null) fieldset.Attributes["aria-describedby"] = described;

        var legendTag = new TagBuilder("legend");
        legendTag.InnerHtml.Append(legend);
        fieldset.InnerHtml.AppendHtml(legendTag);
        fieldset.InnerHtml.AppendHtml(HintAndMessages(form, field, hint, messages));

        var list = new TagBuilder("div");
        list.AddCssClass("choices");
        var i = 0;
        foreach (var (code, text) in choices)
        {
            var id = $"{form.Id(field)}-{i++}";
            var item = new TagBuilder("div");
            item.AddCssClass("choice");
            var box = new TagBuilder("input") { TagRenderMode = TagRenderMode.SelfClosing };
            box.Attributes["type"] = "checkbox";
            box.Attributes["id"] = id;
            box.Attributes["name"] = field;
            box.Attributes["value"] = code;
            if (chosen.Contains(code)) box.Attributes["checked"] = "checked";
            var boxLabel = new TagBuilder("label");
            boxLabel.Attributes["for"] = id;
            boxLabel.InnerHtml.Append(text);
            item.InnerHtml.AppendHtml(box).AppendHtml(boxLabel);
            list.InnerHtml.AppendHtml(item);
        }
        fieldset.InnerHtml.AppendHtml(list);
        return fieldset;
    }

    public static IHtmlContent Hidden(string field, string value)
    {
        var input = new TagBuilder("input") { TagRenderMode = TagRenderMode.SelfClosing };
        input.Attributes["type"] = "hidden";
        input.Attributes["name"] = field;
        input.Attributes["value"] = value;
        return input;
    }

    /// <summary>"There is a problem": every message of the refused forms, each linking to its field.</summary>
    public static IHtmlContent ErrorSummary(params PageForm[] forms)
    {
        var refused = forms.Where(f => f.Refused).ToArray();
        if (refused.Length == 0) return HtmlString.Empty;
        var box = new TagBuilder("div");
        box.AddCssClass("error-summary");
        box.Attributes["role"] = "alert";
        box.Attributes["aria-labelledby"] = "error-summary-title";
        var title = new TagBuilder("h2");
        title.Attributes["id"] = "error-summary-title";
        title.InnerHtml.Append("There is a problem");
        box.InnerHtml.AppendHtml(title);
        var list = new TagBuilder("ul");
        foreach (var form in refused)
        {
            foreach (var message in form.GeneralMessages)
            {
                var item = new TagBuilder("li");
                item.InnerHtml.Append(message);
                list.InnerHtml.AppendHtml(item);
            }
            foreach (var (field, message) in form.FieldMessages)
            {
                var link = new TagBuilder("a");
                link.Attributes["href"] = "#" + form.Id(field);
                link.InnerHtml.Append(message);
                var item = new TagBuilder("li");
                item.InnerHtml.AppendHtml(link);
                list.InnerHtml.AppendHtml(item);
            }
        }
        box.InnerHtml.AppendHtml(list);
        return box;
    }

    static IHtmlContent Group(PageForm form, string field, string label, string? hint, TagBuilder control)
    {
        var messages = form.MessagesFor(field);
        var id = form.Id(field);
        control.Attributes["id"] = id;
        control.Attributes["name"] = field;
        if (messages.Count > 0) control.Attributes["aria-invalid"] = "true";
        if (Described(form, field, hint, messages) is { } described) control.Attributes["aria-describedby"] = described;

        var group = new TagBuilder("div");
        group.AddCssClass("field");
        if (messages.Count > 0) group.AddCssClass("field-error");
        var labelTag = new TagBuilder("label");
        labelTag.Attributes["for"] = id;
        labelTag.InnerHtml.Append(label);
        group.InnerHtml.AppendHtml(labelTag).AppendHtml(HintAndMessages(form, field, hint, messages)).AppendHtml(control);
        return group;
    }

    static string? Described(PageForm form, string field, string? hint, IReadOnlyList<string> messages)
    {
        var ids = new List<string>();
        if (hint is not null) ids.Add(form.Id(field) + "-hint");
        if (messages.Count > 0) ids.Add(form.Id(field) + "-error");
        return ids.Count > 0 ? string.Join(' ', ids) : null;
    }

    static IHtmlContent HintAndMessages(PageForm form, string field, string? hint, IReadOnlyList<string> messages)
    {
        var content = new HtmlContentBuilder();
        if (hint is not null)
        {
            var hintTag = new TagBuilder("div");
            hintTag.AddCssClass("hint");
            hintTag.Attributes["id"] = form.Id(field) + "-hint";
            hintTag.InnerHtml.Append(hint);
            content.AppendHtml(hintTag);
        }
        if (messages.Count > 0)
        {
            var error = new TagBuilder("p");
            error.AddCssClass("error-message");
            error.Attributes["id"] = form.Id(field) + "-error";
            var hidden = new TagBuilder("span");
            hidden.AddCssClass("visually-hidden");
            hidden.InnerHtml.Append("Error: ");
            error.InnerHtml.AppendHtml(hidden).Append(string.Join(" ", messages));
            content.AppendHtml(error);
        }
        return content;
    }

    static IHtmlContent Option(string value, string text, bool selected)
    {
        var option = new TagBuilder("option");
        option.Attributes["value"] = value;
        if (selected) option.Attributes["selected"] = "selected";
        option.InnerHtml.Append(text);
        return option;
    }
}
