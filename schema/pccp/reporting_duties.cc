#include "schema/pccp/reporting_duties.h"

namespace dossier::pccp {

namespace {

// Verified (issue 16) with the `search` tool against reproductions of the
// official texts named in each entry; the quotation is from that text.
const std::vector<ReportingDuty>& AllDuties() {
  static const std::vector<ReportingDuty> duties = {
      {"US", "us-803-30-day", "Medical Device Report (MDR), 30-day report", "21 CFR",
       "803.50(a); 803.10(c)(1)", "regulation", "no later than 30 calendar days after becoming aware",
       "information reasonably suggests the device may have caused or contributed to a death or serious "
       "injury, or malfunctioned in a way likely to cause or contribute to one if it recurred (a sustained "
       "drop in sensitivity is a candidate malfunction)",
       "\"Submit reports of individual adverse events no later than 30 calendar days after the day that you "
       "become aware of a reportable death, serious injury, or malfunction.\" (803.10(c)(1))",
       "verified: eCFR text of 21 CFR 803.10(c)(1) and 803.50(a) as reproduced by law.lawstack.com "
       "(\"verified against eCFR.gov as of June 20, 2026\") and codes.findlaw.com"},
      {"US", "us-803-5-day", "Medical Device Report (MDR), 5-day report", "21 CFR", "803.53(a); 803.10(c)(2)",
       "regulation", "no later than 5 work days after becoming aware",
       "a reportable event necessitates remedial action to prevent an unreasonable risk of substantial harm "
       "to the public health; awareness may come from any information, including trend analysis",
       "\"… no later than 5 work days after the day that you become aware that: (a) An MDR reportable event "
       "necessitates remedial action to prevent an unreasonable risk of substantial harm to the public "
       "health. You may become aware of the need for remedial action from any information, including any "
       "trend analysis …\" (803.53)",
       "verified: 21 CFR 803.53 at law.cornell.edu (LII reproduction of the eCFR)"},
      {"US", "us-806-correction-removal", "Report of a correction or removal", "21 CFR", "806.10(a)-(b)",
       "regulation", "within 10 working days of initiating the correction or removal",
       "the manufacturer corrects or removes the device (e.g. withdraws or retrains the released version) to "
       "reduce a risk to health posed by the device",
       "\"The manufacturer or importer shall submit any report required by paragraph (a) of this section "
       "within 10-working days of initiating such correction or removal.\" (806.10(b))",
       "verified: 21 CFR 806.10 (revised as of April 1, 2002) at edocket.access.gpo.gov; the current "
       "eCFR text was not compared"},
      {"EU", "eu-art87-serious-incident", "Serious incident report", "Regulation (EU) 2017/745 (MDR)",
       "Article 87(1)(a), 87(3)-(5)", "regulation",
       "immediately, and not later than 15 days after awareness; 10 days for death or unanticipated serious "
       "deterioration in health; 2 days for a serious public health threat",
       "the drift is linked to a serious incident (death, serious deterioration of health, serious public "
       "health threat) with a causal relationship established or reasonably possible",
       "\"… not later than 15 days after they become aware of the incident.\" (87(3)); \"… in the event of a "
       "serious public health threat … not later than 2 days after the manufacturer becomes aware of that "
       "threat.\" (87(4))",
       "verified: Article 87(1)-(4) text at medicaldevicehq.com and de-mdr-ivdr.tuvsud.com; the 10-day "
       "limit of 87(5) from sukl.gov.cz (the reproductions cut 87(5) short). Some third-party summaries "
       "swap the 2- and 10-day limits"},
      {"EU", "eu-art87-fsca", "Field safety corrective action report", "Regulation (EU) 2017/745 (MDR)",
       "Article 87(1)(b)", "regulation", "unverified: the timing rule of Article 87(8) was not checked",
       "the manufacturer takes a field safety corrective action (e.g. withdraws or updates the released "
       "version) in respect of a device on the Union market",
       "\"any field safety corrective action in respect of devices made available on the Union market …\" "
       "(87(1)(b))",
       "unverified: the duty itself is in the Article 87(1)(b) text at medicaldevicehq.com, its deadline "
       "was not checked"},
      {"EU", "eu-art88-trend", "Trend report", "Regulation (EU) 2017/745 (MDR)", "Article 88(1)",
       "regulation",
       "no fixed number of days in Article 88: the observation periods and thresholds are those the "
       "manufacturer's post-market surveillance plan (Article 84) sets",
       "a statistically significant increase in the frequency or severity of incidents that are not serious "
       "incidents, or of expected undesirable side-effects, that could have a significant impact on the "
       "benefit-risk analysis",
       "\"… any statistically significant increase in the frequency or severity of incidents that are not "
       "serious incidents or that are expected undesirable side-effects that could have a significant "
       "impact on the benefit-risk analysis …\"",
       "verified: Article 88 wording as quoted by meddeviceguide.com and conformd.com; the absence of a day "
       "limit is read from that text"},
      {"EU", "eu-art89-investigation", "Investigation of a reported serious incident",
       "Regulation (EU) 2017/745 (MDR)", "Article 89(1)", "regulation", "without delay after the report",
       "a serious incident was reported under Article 87(1): the manufacturer investigates, including a risk "
       "assessment, and co-operates with the competent authority",
       "\"Following the reporting of a serious incident pursuant to Article 87(1), the manufacturer shall, "
       "without delay, perform the necessary investigations in relation to the serious incident and the "
       "devices concerned.\"",
       "verified: Article 89(1) text at de-mdr-ivdr.tuvsud.com"},
      {"SG", "sg-reg42-48-hours", "Adverse event report: serious threat to public health",
       "Health Products (Medical Devices) Regulations 2010", "Regulation 42(1)(a)", "regulation",
       "within 48 hours of first becoming aware",
       "the defect or adverse effect represents a serious threat to public health (a systematic failure that "
       "may lead to death or serious injury, not previously known, needing prompt action)",
       "\"within 48 hours, if the information relates to any defect or adverse effect that represents a "
       "serious threat to public health\"",
       "verified: Regulation 42 text at laws.sg"},
      {"SG", "sg-reg42-10-days", "Adverse event report: death or serious deterioration",
       "Health Products (Medical Devices) Regulations 2010", "Regulation 42(1)(b)", "regulation",
       "within 10 days of first becoming aware",
       "an incident has led to the death, or a serious deterioration in the state of health, of a patient, "
       "user or other person",
       "\"within 10 days, if the information relates to an incident that has led to the death, or a serious "
       "deterioration in the state of health, of a patient, a user of the medical device or any other "
       "person\"",
       "verified: Regulation 42 text at laws.sg"},
      {"SG", "sg-reg42-30-days", "Adverse event report: incident whose recurrence might lead to death",
       "Health Products (Medical Devices) Regulations 2010", "Regulation 42(1)(c)", "regulation",
       "within 30 days of first becoming aware",
       "an incident a recurrence of which might lead to death or serious deterioration in health (a "
       "performance drop that could recur is the typical case)",
       "\"within 30 days, if the information relates to an incident a recurrence of which might lead to the "
       "death, or a serious deterioration in the state of health, of a patient, a user of the medical device "
       "or any other person\"",
       "verified: Regulation 42 text at laws.sg"},
  };
  return duties;
}

}  // namespace

std::vector<ReportingDuty> ReportingDutiesFor(std::string_view jurisdiction) {
  std::vector<ReportingDuty> out;
  for (const ReportingDuty& d : AllDuties()) {
    if (d.jurisdiction == jurisdiction) out.push_back(d);
  }
  return out;
}

boost::json::array ReportingDutiesToJson(const std::vector<ReportingDuty>& duties) {
  boost::json::array out;
  for (const ReportingDuty& d : duties) {
    out.push_back(boost::json::object{{"jurisdiction", d.jurisdiction},
                                      {"id", d.id},
                                      {"title", d.title},
                                      {"source", d.source},
                                      {"section", d.section},
                                      {"binding", d.binding},
                                      {"deadline", d.deadline},
                                      {"trigger", d.trigger},
                                      {"quote", d.quote},
                                      {"verification", d.verification},
                                      {"verified", d.verification.rfind("verified:", 0) == 0}});
  }
  return out;
}

}  // namespace dossier::pccp
