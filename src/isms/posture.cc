#include "isms/posture.h"

#include <cmath>
#include <map>

#include "isms/cycle_store.h"

namespace rampart::isms {

namespace {

MaturityBucket BucketFromRow(const db::Row& r, std::size_t first) {
  MaturityBucket b;
  b.status = ParseStatus(r.Text(first)).value_or(Status::kNotStarted);
  b.maturity = r.IsNull(first + 1) ? -1 : static_cast<int>(r.Int(first + 1));
  b.count = r.Int(first + 2);
  return b;
}

double OneDecimal(double v) { return std::round(v * 10.0) / 10.0; }

}  // namespace

Implementation ImplementationOf(db::Tx& tx, const std::string& org_id) {
  std::vector<MaturityBucket> buckets;
  for (const auto& r :
       tx.Query("SELECT e.status, e.maturity, count(*) FROM soa_entries e JOIN soas s ON s.id = "
                "e.soa_id WHERE s.organisation_id = $1 AND e.applicable = 1 GROUP BY e.status, "
                "e.maturity",
                {org_id})) {
    buckets.push_back(BucketFromRow(r, 0));
  }
  return Measure(buckets);
}

Posture PostureOf(db::Tx& tx, const std::string& org_id, Millis now) {
  Posture p;
  p.organisation_id = org_id;
  p.implementation = ImplementationOf(tx, org_id);
  Certification c = LoadCertification(tx, org_id);
  p.certification = EffectiveStatus(c, now);
  if (c.status == "certified") p.certificate_expires_at = c.expires_at;
  p.policy = PolicyStatusOf(tx, org_id, now);
  auto a = tx.QueryOne(
      "SELECT count(*), COALESCE(sum(CASE WHEN due_at < $2 THEN 1 ELSE 0 END), 0) FROM "
      "isms_actions WHERE organisation_id = $1 AND status IN ('open', 'in_progress')",
      {org_id, now});
  p.open_actions = a->Int(0);
  p.overdue_actions = a->Int(1);
  p.open_findings =
      tx.QueryOne(
            "SELECT count(*) FROM isms_findings WHERE organisation_id = $1 AND status = "
            "'open'",
            {org_id})
          ->Int(0);
  p.overdue_evaluations =
      tx.QueryOne(
            "SELECT count(*) FROM isms_evaluations WHERE organisation_id = $1 AND done_at "
            "IS NULL AND planned_for < $2",
            {org_id, now})
          ->Int(0);
  return p;
}

std::vector<SectorComparison> CompareWithSectors(db::Tx& tx, const std::string& org_id,
                                                 int min_organisations) {
  std::vector<SectorComparison> out;
  for (const auto& s :
       tx.Query("SELECT x.id, x.name FROM organisation_sectors os JOIN sectors x ON x.id = "
                "os.sector_id WHERE os.organisation_id = $1 ORDER BY x.name",
                {org_id})) {
    SectorComparison c;
    c.sector_id = s.Text(0);
    c.sector_name = s.Text(1);
    std::map<std::string, std::vector<MaturityBucket>> per_org;
    for (const auto& r : tx.Query(
             "SELECT s.organisation_id, e.status, e.maturity, count(*) FROM soa_entries e JOIN "
             "soas s ON s.id = e.soa_id JOIN organisation_sectors os ON os.organisation_id = "
             "s.organisation_id WHERE os.sector_id = $1 AND e.applicable = 1 GROUP BY "
             "s.organisation_id, e.status, e.maturity",
             {c.sector_id})) {
      per_org[r.Text(0)].push_back(BucketFromRow(r, 1));
    }
    double plain = 0, weighted = 0;
    for (const auto& [id, buckets] : per_org) {
      Implementation m = Measure(buckets);
      if (!m.weighted_share) continue;
      ++c.organisations;
      plain += *m.implemented_share;
      weighted += *m.weighted_share;
    }
    c.withheld = c.organisations < min_organisations;
    if (!c.withheld) {
      const auto n = static_cast<double>(c.organisations);
      c.average_implemented_share = OneDecimal(plain / n);
      c.average_weighted_share = OneDecimal(weighted / n);
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace rampart::isms
