// Hardened streaming XML input on libxml2's xmlTextReader.
//
// - No network, no external entities, no DTD loading, no entity substitution
//   (XML_PARSE_NONET, never XML_PARSE_NOENT / DTDLOAD / DTDATTR / XINCLUDE),
//   and any DOCTYPE is refused outright: the formats we read never need one,
//   and that closes both XXE and billion-laughs ("xml-entity").
// - Malformed input -> "bad-xml", undecodable or mislabelled bytes ->
//   "bad-encoding", each with "line N" as the field.
// - The input is pulled in 64 KiB chunks from a file or from one ZIP entry,
//   so memory stays bounded by the largest subtree the caller expands.
#pragma once

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"
#include "schema/translate/translate.h"
#include "schema/translate/zip.h"

namespace dossier::translate {

class XmlStream {
 public:
  // Opens `path`; a ZIP archive (by its magic bytes) is read through its
  // single .xml entry (the first one, for a GUDID release).
  static StatusOr<std::unique_ptr<XmlStream>> Open(const std::filesystem::path& path,
                                                   const ImportLimits& limits);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Moves to the next node; false at the end or on error (check status()).
  bool Read();
  // Skips the current node's subtree; false at the end or on error.
  bool Next();
  int NodeType() const;  // XML_READER_TYPE_*
  std::string LocalName() const;
  std::string NamespaceUri() const;
  int Depth() const;
  // The current element with its subtree, valid until the next Read/Next.
  xmlNodePtr Expand();
  int Line() const;
  const Status& status() const { return status_; }

 private:
  XmlStream() = default;
  static int ReadCallback(void* ctx, char* buf, int len);
  static void ErrorCallback(void* ctx, xmlErrorPtr error);
  bool Check(int rc);

  FILE* file_ = nullptr;
  std::unique_ptr<ZipReader> zip_;
  std::unique_ptr<ZipReader::Stream> entry_;
  xmlTextReaderPtr reader_ = nullptr;
  Status status_;
  Status io_status_;
};

// Helpers over an expanded subtree.
// Text content: trimmed, internal whitespace runs collapsed to one space.
std::string NodeText(xmlNodePtr node);
// True unless NodeText(node) and Children(node) are both empty (cheaper).
bool HasContent(xmlNodePtr node);
std::string LocalNameOf(xmlNodePtr node);
// The first element child named `local` (any namespace), or nullptr.
xmlNodePtr Child(xmlNodePtr node, std::string_view local);
std::string ChildText(xmlNodePtr node, std::string_view local);
// Element children.
std::vector<xmlNodePtr> Children(xmlNodePtr node);

}  // namespace dossier::translate
