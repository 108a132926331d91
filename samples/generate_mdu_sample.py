#!/usr/bin/env python3
"""Writes mdu-amorous-advances-2002-2011.csv: synthetic history that agrees with what the MDU published.

100 reports in 2007-2011 of patients making amorous advances by social media, text or letter, 72 of them
from GPs, psychiatrists and obstetrician-gynaecologists next; 73 such reports in 2002-2006. One 2009 GP
case follows the published story: a GMC complaint alleging a relationship, later withdrawn as fabricated.
Everything else (dates, channels, summaries, references) is invented; no real person is described.
Deterministic: run it again and the file is the same.
"""
import csv, datetime, pathlib, random

rng = random.Random(20111231)
SUMMARIES = [
    "Patient sent repeated friend requests and personal messages after a routine consultation.",
    "Patient wrote letters declaring feelings for the doctor and asked to meet outside the surgery.",
    "Patient sent frequent late-night text messages of a personal nature.",
    "Patient left cards and small gifts at reception with notes asking for a date.",
    "Patient posted messages addressed to the doctor on a social network and followed their accounts.",
    "Patient asked for the doctor's personal mobile number and then sent affectionate messages.",
]

def dates(year_from, year_to, n):
    start = datetime.date(year_from, 1, 1)
    span = (datetime.date(year_to, 12, 31) - start).days
    return sorted(start + datetime.timedelta(days=rng.randrange(span + 1)) for _ in range(n))

def cohort(prefix, year_from, year_to, specialties, channel_sets):
    rows = []
    days = dates(year_from, year_to, len(specialties))
    rng.shuffle(specialties)
    for i, (specialty, occurred) in enumerate(zip(specialties, days), start=1):
        closed = occurred + datetime.timedelta(days=rng.randrange(30, 200))
        rows.append({
            "case_ref": f"{prefix}-{occurred.year}-{i:03d}",
            "occurred_on": occurred.isoformat(),
            "specialty": specialty,
            "channels": "|".join(rng.choice(channel_sets)),
            "concern": "amorous-advances",
            "summary": rng.choice(SUMMARIES),
            "gmc_reference": "", "gmc_received_on": "", "allegation_withdrawn_on": "",
            "closed_on": closed.isoformat() if closed.year <= 2012 else "",
            "outcome": "Advice given; member reported no further contact." if closed.year <= 2012 else "",
        })
    return rows

recent = (["general-practice"] * 72 + ["psychiatry"] * 12 + ["obstetrics-gynaecology"] * 8
          + ["emergency-medicine"] * 3 + ["medicine"] * 2 + ["paediatrics"] * 2 + ["dermatology"] * 1)
earlier = (["general-practice"] * 49 + ["psychiatry"] * 10 + ["obstetrics-gynaecology"] * 6
           + ["medicine"] * 4 + ["emergency-medicine"] * 2 + ["surgery"] * 2)
assert len(recent) == 100 and len(earlier) == 73

rows = cohort("MDU", 2002, 2006, earlier, [["letter"], ["text-message"], ["phone"], ["letter", "text-message"], ["email"]])
rows += cohort("MDU", 2007, 2011, recent,
               [["facebook"], ["facebook"], ["facebook"], ["twitter"], ["text-message"], ["letter"], ["facebook", "text-message"], ["facebook", "letter"], ["text-message", "letter"]])

# The published story: a GP, repeated Facebook friend requests, letters and gifts; care moved to a colleague;
# a GMC complaint alleging a sexual relationship, admitted months later to be fabricated and withdrawn.
story = next(r for r in rows if r["specialty"] == "general-practice" and r["occurred_on"].startswith("2009"))
occurred = datetime.date.fromisoformat(story["occurred_on"])
story.update({
    "channels": "facebook|letter|gift",
    "summary": "Repeated Facebook friend requests, letters and gifts from a patient; care was transferred to a colleague.",
    "gmc_reference": "GMC-SYNTH-0001",
    "gmc_received_on": (occurred + datetime.timedelta(days=60)).isoformat(),
    "allegation_withdrawn_on": (occurred + datetime.timedelta(days=240)).isoformat(),
    "closed_on": (occurred + datetime.timedelta(days=270)).isoformat(),
    "outcome": "Allegation withdrawn as fabricated; no action by the GMC.",
})

out = pathlib.Path(__file__).with_name("mdu-amorous-advances-2002-2011.csv")
with out.open("w", newline="", encoding="utf-8") as f:
    writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
print(f"wrote {len(rows)} cases to {out.name}")
