using Defence.Domain.Rules;

namespace Defence.Domain.Cases;

/// <summary>Why a command was refused.</summary>
/// <param name="Reason">A sentence a person can act on.</param>
/// <param name="Errors">
/// Set when the command itself is wrong (a blank summary, a date before the complaint it withdraws): each bad
/// field with its messages. Unset when the case's state forbids the command (advice on a closed case).
/// </param>
public sealed record Rejection(string Reason, FieldErrors? Errors = null)
{
    public const string InvalidReason = "The command is not valid.";

    /// <summary>The first bad field, when the command itself is wrong.</summary>
    public string? Field => Errors?.Fields.FirstOrDefault();

    public static Rejection OnField(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return new Rejection(message, errors);
    }

    public static implicit operator Rejection(FieldErrors errors) => new(InvalidReason, errors);
}

/// <summary>The outcome of a decision: what to append, or the reason nothing is appended.</summary>
public readonly record struct Decision<T> where T : class
{
    Decision(T? accepted, Rejection? rejection) => (Event, Rejection) = (accepted, rejection);

    public T? Event { get; }
    public Rejection? Rejection { get; }

    public static implicit operator Decision<T>(T accepted) => new(accepted, null);
    public static implicit operator Decision<T>(Rejection rejection) => new(null, rejection);
    public static implicit operator Decision<T>(FieldErrors errors) => new(null, errors);
}
