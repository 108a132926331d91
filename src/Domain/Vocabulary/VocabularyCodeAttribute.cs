namespace Defence.Domain.Vocabulary;

/// <summary>Marks a string (or list of strings) that carries codes of a vocabulary, so documents can list them.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class VocabularyCodeAttribute(Type vocabulary) : Attribute
{
    public Type Vocabulary { get; } = vocabulary;
}
