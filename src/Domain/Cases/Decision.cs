namespace Defence.Domain.Cases;

/// <summary>Why a command was refused.</summary>
/// <param name="Reason">A sentence a person can act on.</param>
/// <param name="Field">
/// Set when the command itself is wrong for this case (a date before the complaint it withdraws);
/// unset when the case's state forbids the command (advice on a closed case).
/// </param>
public sealed record Rejection(string Reason, string? Field = null);

/// <summary>The outcome of a decision: the event to append, or the reason nothing is appended.</summary>
public readonly record struct Decision<TEvent> where TEvent : class, ICaseEvent
{
    Decision(TEvent? @event, Rejection? rejection) => (Event, Rejection) = (@event, rejection);

    public TEvent? Event { get; }
    public Rejection? Rejection { get; }

    public static implicit operator Decision<TEvent>(TEvent @event) => new(@event, null);
    public static implicit operator Decision<TEvent>(Rejection rejection) => new(null, rejection);
}
