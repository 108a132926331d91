namespace Defence.Domain.Vocabulary;

// Each member's code is its name in kebab-case (Code.cs); its [Label] is the plain words people read on the
// pages (Labels.cs). docs/domain.md lists both, and a test keeps the document and this file in agreement.

/// <summary>The medical specialty of the reporting member (docs/domain.md, "Vocabulary").</summary>
public enum Specialty
{
    [Label("General practice (GP)")] GeneralPractice,
    [Label("Psychiatry")] Psychiatry,
    [Label("Obstetrics and gynaecology")] ObstetricsGynaecology,
    [Label("Emergency medicine")] EmergencyMedicine,
    [Label("Surgery")] Surgery,
    [Label("Medicine")] Medicine,
    [Label("Paediatrics")] Paediatrics,
    [Label("Anaesthetics")] Anaesthetics,
    [Label("Radiology")] Radiology,
    [Label("Dermatology")] Dermatology,
    [Label("Ophthalmology")] Ophthalmology,
    [Label("Dentistry")] Dentistry,
    [Label("Another specialty")] Other,
}

/// <summary>How the patient made contact.</summary>
public enum Channel
{
    [Label("Facebook")] Facebook,
    [Label("Twitter")] Twitter,
    [Label("Instagram")] Instagram,
    [Label("Other social media")] OtherSocialMedia,
    [Label("Text message")] TextMessage,
    [Label("Email")] Email,
    [Label("Phone call")] Phone,
    [Label("Letter")] Letter,
    [Label("Gift")] Gift,
    [Label("In person")] InPerson,
    [Label("Another way")] Other,
}

/// <summary>What the member is worried about.</summary>
public enum Concern
{
    [Label("Amorous advances")] AmorousAdvances,
    [Label("Harassment")] Harassment,
    [Label("Threats or violence")] ThreatsOrViolence,
    [Label("Criticism online")] OnlineCriticism,
    [Label("A complaint")] Complaint,
    [Label("Something else")] Other,
}

/// <summary>The actions an adviser can recommend when giving advice.</summary>
public enum AdviceAction
{
    [Label("Explain politely but firmly, in writing, that only a professional relationship is possible")] ExplainBoundaryInWriting,
    [Label("Consider transferring the patient's care to a colleague")] TransferCare,
    [Label("Keep a log of all calls and contacts")] KeepContactLog,
    [Label("Be cautious before accepting gifts")] DeclineGifts,
    [Label("Use privacy settings on social media")] PrivacySettings,
    [Label("Consider withholding your mobile number")] WithholdNumber,
    [Label("Don't reply to social media messages from the patient")] DoNotReply,
    [Label("Contact the police")] ContactPolice,
    [Label("Other advice")] Other,
}

/// <summary>Whether a case is being worked; codes <c>open</c> and <c>closed</c>.</summary>
public enum CaseStatus
{
    [Label("Open")] Open,
    [Label("Closed")] Closed,
}
