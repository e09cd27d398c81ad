// Traffic Light Protocol 2.0 labels and the Permissible Actions Protocol.
//
// A TLP label is stored by its STIX 2.1 marking-definition id (the TLP 2.0 extension's), so
// AMBER+STRICT never collapses into AMBER and a label is never an integer to compare. People see
// and type the label ("TLP:AMBER+STRICT"); the API accepts it with or without the prefix, in any
// case. PAP says what a recipient may do with an indicator (PAP:CLEAR … PAP:RED).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace rampart::sharing {

enum class Tlp : std::uint8_t { kClear, kGreen, kAmber, kAmberStrict, kRed };
inline constexpr Tlp kAllTlp[] = {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict,
                                  Tlp::kRed};

std::string_view Label(Tlp tlp);      // "TLP:AMBER+STRICT"
std::string_view MarkingId(Tlp tlp);  // "marking-definition--939a9414-…"
// "TLP:AMBER", "amber", "Amber+Strict", …; nullopt for anything else (TLP:WHITE included: TLP 2.0
// renamed it CLEAR, and guessing would be worse than asking).
std::optional<Tlp> ParseTlp(std::string_view text);
std::optional<Tlp> TlpFromMarkingId(std::string_view id);

enum class Pap : std::uint8_t { kClear, kGreen, kAmber, kRed };
inline constexpr Pap kAllPap[] = {Pap::kClear, Pap::kGreen, Pap::kAmber, Pap::kRed};
std::string_view Label(Pap pap);  // "PAP:AMBER"
std::optional<Pap> ParsePap(std::string_view text);

}  // namespace rampart::sharing
