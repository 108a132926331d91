namespace Defence.Domain.Vocabulary;

/// <summary>The medical specialty of the reporting member (docs/domain.md, "Vocabulary").</summary>
public enum Specialty
{
    GeneralPractice, Psychiatry, ObstetricsGynaecology, EmergencyMedicine, Surgery, Medicine,
    Paediatrics, Anaesthetics, Radiology, Dermatology, Ophthalmology, Dentistry, Other,
}

/// <summary>How the patient made contact.</summary>
public enum Channel
{
    Facebook, Twitter, Instagram, OtherSocialMedia, TextMessage, Email, Phone, Letter, Gift, InPerson, Other,
}

/// <summary>What the member is worried about.</summary>
public enum Concern
{
    AmorousAdvances, Harassment, ThreatsOrViolence, OnlineCriticism, Complaint, Other,
}

/// <summary>The actions an adviser can recommend when giving advice.</summary>
public enum AdviceAction
{
    ExplainBoundaryInWriting, TransferCare, KeepContactLog, DeclineGifts, PrivacySettings,
    WithholdNumber, DoNotReply, ContactPolice, Other,
}

/// <summary>Whether a case is being worked; codes <c>open</c> and <c>closed</c>.</summary>
public enum CaseStatus { Open, Closed }
