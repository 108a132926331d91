using System.Security.Cryptography;
using System.Text;

namespace Defence.Domain.Cases;

/// <summary>Case ids derived from a name, for commands that must land on the same case when repeated.</summary>
public static class CaseIds
{
    /// <summary>A stable id for <paramref name="name"/>: a version 8 UUID (RFC 9562) from its SHA-256.</summary>
    public static Guid Named(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("defence/" + name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
