#include "sharing/tlp.h"

#include <cctype>
#include <string>

namespace rampart::sharing {

namespace {

struct TlpRow {
  Tlp tlp;
  std::string_view label;
  std::string_view marking_id;  // from the STIX 2.1 TLP 2.0 marking definitions
};

constexpr TlpRow kTlp[] = {
    {Tlp::kClear, "TLP:CLEAR", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"},
    {Tlp::kGreen, "TLP:GREEN", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"},
    {Tlp::kAmber, "TLP:AMBER", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"},
    {Tlp::kAmberStrict, "TLP:AMBER+STRICT",
     "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"},
    {Tlp::kRed, "TLP:RED", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"},
};

struct PapRow {
  Pap pap;
  std::string_view label;
};
constexpr PapRow kPap[] = {{Pap::kClear, "PAP:CLEAR"},
                           {Pap::kGreen, "PAP:GREEN"},
                           {Pap::kAmber, "PAP:AMBER"},
                           {Pap::kRed, "PAP:RED"}};

// Upper case, with the scheme prefix added when the caller left it out.
std::string Canonical(std::string_view text, std::string_view prefix) {
  std::string out;
  out.reserve(text.size() + prefix.size());
  for (char c : text) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (!out.starts_with(prefix)) out.insert(0, prefix);
  return out;
}

}  // namespace

std::string_view Label(Tlp tlp) { return kTlp[static_cast<int>(tlp)].label; }
std::string_view MarkingId(Tlp tlp) { return kTlp[static_cast<int>(tlp)].marking_id; }

std::optional<Tlp> ParseTlp(std::string_view text) {
  const std::string wanted = Canonical(text, "TLP:");
  for (const auto& row : kTlp) {
    if (row.label == wanted) return row.tlp;
  }
  return std::nullopt;
}

std::optional<Tlp> TlpFromMarkingId(std::string_view id) {
  for (const auto& row : kTlp) {
    if (row.marking_id == id) return row.tlp;
  }
  return std::nullopt;
}

std::string_view Label(Pap pap) { return kPap[static_cast<int>(pap)].label; }

std::optional<Pap> ParsePap(std::string_view text) {
  const std::string wanted = Canonical(text, "PAP:");
  for (const auto& row : kPap) {
    if (row.label == wanted) return row.pap;
  }
  return std::nullopt;
}

}  // namespace rampart::sharing
