// The disclosure protocol for incidents: a case stays with its parties (the reporter, its
// regulators and the CERTs) until the reporting organisation consents to share it wider.
//
//   ask        a CERT holding the case proposes exactly what would be shared: the form (named, or
//              anonymised: the organisation replaced by sector and size class), a title and text
//              the CERT reviewed (never the raw case), observables of the case (each keeps its own
//              label, and none may be labelled narrower than the share), and an audience (label,
//              distribution, sectors, group, recipients) that the audience engine accepts
//   answer     the reporting organisation's head, CISO or management consents or refuses, with a
//              reason; the answer names the digest of what it answers, so consent binds to what
//              was asked and a request changed since needs consent again
//   withdraw   the reporting organisation takes its consent back, any time before publication
//   publish    the asking CERT turns a consented request into a shared incident, which everyone
//              reads through the audience engine like an advisory
//
// Everything here is plain data and pure rules; disclosure.cc holds them and the SQL,
// disclosure_api.cc the handlers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.h"
#include "platform/db.h"
#include "sharing/audience.h"
#include "sharing/tlp.h"

namespace rampart::sharing {

enum class ShareForm : std::uint8_t { kNamed, kAnonymised };
std::string_view Name(ShareForm form);  // "named", "anonymised"
std::optional<ShareForm> ParseShareForm(std::string_view name);

// pending → consented | refused; consented → withdrawn | published; an edit of any request not
// published yet makes it pending again (a changed request needs new consent).
enum class ShareState : std::uint8_t { kPending, kConsented, kRefused, kWithdrawn, kPublished };
std::string_view Name(ShareState state);
std::optional<ShareState> ParseShareState(std::string_view name);

// An observable of the case as it goes with the share: a copy, with the case's own label.
struct SharedObservable {
  std::string observable_id;  // in incident_observables
  std::string type;
  std::string value;
  Tlp tlp = Tlp::kRed;
};

// The audience of a share, as the engine reads it (the author is the asking CERT).
struct ShareAudience {
  Tlp tlp = Tlp::kAmber;
  Distribution distribution = Distribution::kNational;
  std::vector<std::string> sector_ids;
  std::optional<std::string> group_id;
  std::vector<std::string> recipient_org_ids;
  std::vector<std::string> recipient_user_ids;
};

struct ShareRequest {
  std::string id;
  std::string incident_id;
  std::string cert_org_id;      // the CERT that asks, and will publish
  std::string reporter_org_id;  // the organisation whose consent is asked
  ShareForm form = ShareForm::kAnonymised;
  std::string title;
  std::string text;  // reviewed by the CERT
  std::vector<SharedObservable> observables;
  ShareAudience audience;
  std::string digest;  // of what is asked (Digest())
  ShareState state = ShareState::kPending;
  std::string requested_by;
  Millis requested_at = 0;
  std::optional<std::string> answered_by;
  std::optional<Millis> answered_at;
  std::string answer_reason;
  std::optional<std::string> consent_digest;  // the digest consented to
  std::optional<std::string> shared_incident_id;
  std::int64_t version = 1;
  Millis updated_at = 0;
};

// A published share: what readers get, and nothing of the case beyond it.
struct SharedIncident {
  std::string id;
  std::string reference;  // SHI-2026-0001
  std::string request_id;
  std::string incident_id;  // kept for the record; never shown to readers
  std::string author_org_id;
  ShareForm form = ShareForm::kAnonymised;
  std::optional<std::string> organisation_id;  // named form only
  std::string organisation_label;              // the name, or "Finance operator (large)"
  std::string sector_id;
  std::optional<std::string> rsit_class;
  std::optional<std::string> rsit_type;
  std::optional<std::string> severity;
  std::string title;
  std::string text;
  std::vector<SharedObservable> observables;
  ShareAudience audience;
  std::string consent_digest;
  std::string published_by;
  Millis published_at = 0;
};

// ---- rules (pure) ----

// The SHA-256 (hex) of what a request asks to share: incident, CERT, form, title, text, the
// observables with their labels, and the audience (lists as sets). Any change of these changes it.
std::string Digest(const ShareRequest& request);

// What the audience engine needs of a share authored by `author_org_id`.
Item ItemOf(const ShareAudience& audience, const std::string& author_org_id);
Item ItemOf(const SharedIncident& shared);

// How far a label lets an item travel: CLEAR 0 (furthest) … RED 4. A share may carry an
// observable only when the share's label is at least as restrictive as the observable's.
int Narrowness(Tlp tlp);
// Why the observable may not go with a share labelled `share`, or nullopt when it may.
std::optional<std::string> ObservableRefusal(const SharedObservable& observable, Tlp share);

// Whether `text` names the organisation (its name anywhere, its short name as a word, in any
// case): an anonymised share that does is refused, since the text would undo the anonymisation.
bool NamesOrganisation(std::string_view text, std::string_view name, std::string_view short_name);

// What an anonymised share says instead of the organisation, as an anonymised case does:
// "Finance operator (large)".
std::string AnonymousOrgLabel(std::string_view sector_name, std::string_view kind,
                              const std::optional<std::string>& size_class);

// "SHI-2026-0001".
std::string FormatSharedIncidentReference(int year, std::int64_t number);

// ---- store (inside the caller's transaction) ----

void InsertShareRequest(db::Tx& tx, const ShareRequest& request);
std::optional<ShareRequest> FindShareRequest(db::Tx& tx, std::string_view id);
// The case's requests, newest first.
std::vector<ShareRequest> ShareRequestsOf(db::Tx& tx, std::string_view incident_id);
// Writes everything a request may change and bumps its version; false, changing nothing, when
// the row's version is no longer `expected_version`.
bool UpdateShareRequest(db::Tx& tx, const ShareRequest& request, std::int64_t expected_version);

std::string NextSharedIncidentReference(db::Tx& tx, int year);
void InsertSharedIncident(db::Tx& tx, const SharedIncident& shared);
std::optional<SharedIncident> FindSharedIncident(db::Tx& tx, std::string_view id);
// Published shares, newest first, strictly before (at, id) when given; the engine decides each.
std::vector<SharedIncident> ListSharedIncidents(
    db::Tx& tx, const std::optional<std::pair<Millis, std::string>>& after, int limit);

// The request's state for the audit log (JSON text in a fixed key order).
std::string AuditState(const ShareRequest& request);

}  // namespace rampart::sharing
