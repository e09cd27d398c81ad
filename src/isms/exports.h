// The Statement of Applicability as documents to hand over: an XLSX workbook and a printable HTML
// page. Both read the entries batch by batch in framework order and write each batch out before
// reading the next, so the database work and the writer's memory do not grow with the statement
// (the workbook goes through a temporary file in libxlsxwriter's constant-memory mode).
#pragma once

#include "isms/frameworks.h"
#include "isms/model.h"
#include "platform/db.h"
#include "platform/http.h"

namespace rampart::isms {

http::Response ExportXlsx(db::Tx& tx, const Soa& soa, const Framework& framework);
http::Response ExportHtml(db::Tx& tx, const Soa& soa, const Framework& framework);

}  // namespace rampart::isms
