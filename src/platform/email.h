// E-mail messages as RFC 5322 text: headers that cannot be injected into, non-ASCII subjects and
// names as RFC 2047 encoded words, and a UTF-8 plain-text body in quoted-printable, so the
// message passes any relay (7-bit clean, lines under 78 characters). Pure functions; sending is
// outbound.h's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "platform/clock.h"

namespace rampart::email {

struct Mailbox {
  std::string name;     // may be empty
  std::string address;  // local@domain
};

// "Name <local@domain>", "\"Name\" <local@domain>" or "local@domain"; nullopt when the address
// is not one we would put in a header or an SMTP command (see ValidAddress).
std::optional<Mailbox> ParseMailbox(std::string_view text);
// One '@' between a non-empty local part and domain, at most 254 characters, and nothing that
// could end a header line or an SMTP command: no controls, spaces, '<', '>', ',', ';', '"', '\\',
// '(' or ')'.
bool ValidAddress(std::string_view address);

struct Message {
  Mailbox from;
  Mailbox to;
  std::string subject;     // one line; line breaks and controls become spaces
  std::string text;        // UTF-8, lines separated by "\n" (or "\r\n")
  std::string message_id;  // without angle brackets: "id@domain"
  Millis date = 0;
  std::string event;  // for the X-Rampart-Event header; may be empty
};

// The whole message, CRLF line endings, ready for an SMTP DATA command. A header value never
// carries a line break of its own: every CR, LF and other control character becomes a space.
std::string Format(const Message& message);

// The pieces, for tests.
std::string HeaderDate(Millis ms);  // "Mon, 23 Nov 2026 08:54:00 +0000"
// An unstructured header value (Subject): as is when printable ASCII, else RFC 2047 "B" encoded
// words of whole UTF-8 characters; folded so no line exceeds 78 characters.
std::string EncodeUnstructured(std::string_view value, std::size_t header_name_length);
// A display name: as is when it is an atom sequence, quoted when ASCII with specials, RFC 2047
// when not ASCII.
std::string EncodePhrase(std::string_view name);
std::string QuotedPrintable(std::string_view text);

}  // namespace rampart::email
