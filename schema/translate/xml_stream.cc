#include "schema/translate/xml_stream.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <cstdio>
#include <cstring>
#include <mutex>

namespace dossier::translate {

StatusOr<std::unique_ptr<XmlStream>> XmlStream::Open(const std::filesystem::path& path,
                                                     const ImportLimits& limits) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  std::unique_ptr<XmlStream> s(new XmlStream());
  s->file_ = std::fopen(path.c_str(), "rb");
  if (!s->file_) return InvalidArgument("cannot open input", "bad-input", path.string());
  char magic[4] = {};
  const size_t got = std::fread(magic, 1, 4, s->file_);
  std::rewind(s->file_);
  if (got == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0) {
    std::fclose(s->file_);
    s->file_ = nullptr;
    DOSSIER_ASSIGN_OR_RETURN(s->zip_, ZipReader::Open(path, limits));
    std::string xml_name;
    for (const auto& n : s->zip_->Names()) {
      if (n.size() > 4 && n.compare(n.size() - 4, 4, ".xml") == 0) {
        xml_name = n;
        break;
      }
    }
    if (xml_name.empty()) return InvalidArgument("ZIP archive holds no .xml entry", "bad-package");
    DOSSIER_ASSIGN_OR_RETURN(s->entry_, s->zip_->OpenEntry(xml_name));
  }
  // No XML_PARSE_NOENT (entities stay unexpanded), no DTDLOAD/DTDATTR, no
  // network. XML_PARSE_HUGE is deliberately absent: libxml2's default limits on
  // text node and name sizes stay on.
  const int options = XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS;
  s->reader_ = xmlReaderForIO(&XmlStream::ReadCallback, nullptr, s.get(), nullptr, nullptr, options);
  if (!s->reader_) return Internal("xmlReaderForIO failed");
  xmlTextReaderSetStructuredErrorHandler(s->reader_, &XmlStream::ErrorCallback, s.get());
  return s;
}

XmlStream::~XmlStream() {
  if (reader_) xmlFreeTextReader(reader_);
  if (file_) std::fclose(file_);
}

int XmlStream::ReadCallback(void* ctx, char* buf, int len) {
  auto* self = static_cast<XmlStream*>(ctx);
  if (self->entry_) {
    const long got = self->entry_->Read(buf, static_cast<size_t>(len));
    if (got < 0) {
      self->io_status_ = self->entry_->status();
      return -1;
    }
    return static_cast<int>(got);
  }
  const size_t got = std::fread(buf, 1, static_cast<size_t>(len), self->file_);
  if (got == 0 && std::ferror(self->file_)) {
    self->io_status_ = InvalidArgument("read error", "bad-input");
    return -1;
  }
  return static_cast<int>(got);
}

void XmlStream::ErrorCallback(void* ctx, xmlErrorPtr error) {
  auto* self = static_cast<XmlStream*>(ctx);
  if (!error || error->level < XML_ERR_ERROR || !self->status_.ok()) return;
  std::string msg = error->message ? error->message : "XML error";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const std::string where = "line " + std::to_string(error->line);
  std::string reason = "bad-xml";
  switch (error->code) {
    case XML_ERR_INVALID_CHAR:
    case XML_ERR_UNKNOWN_ENCODING:
    case XML_ERR_UNSUPPORTED_ENCODING:
    case XML_ERR_ENCODING_NAME:
    case XML_ERR_INVALID_ENCODING:
      reason = "bad-encoding";
      break;
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
    case XML_ERR_ENTITY_LOOP:
    case XML_ERR_ENTITY_BOUNDARY:
    case XML_ERR_ENTITY_PROCESSING:
      reason = "xml-entity";
      break;
    default:
      if (error->domain == XML_FROM_I18N) reason = "bad-encoding";
  }
  self->status_ = InvalidArgument(msg, reason, where);
}

bool XmlStream::Check(int rc) {
  if (!io_status_.ok() && status_.ok()) status_ = io_status_;
  if (!status_.ok() || rc < 0) {
    if (status_.ok()) status_ = InvalidArgument("malformed XML", "bad-xml", "line " + std::to_string(Line()));
    return false;
  }
  if (rc == 0) return false;
  const int type = xmlTextReaderNodeType(reader_);
  if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
    status_ = InvalidArgument("DOCTYPE declarations are not accepted (no DTDs, no entities)", "xml-entity",
                              "line " + std::to_string(Line()));
    return false;
  }
  if (type == XML_READER_TYPE_ENTITY_REFERENCE || type == XML_READER_TYPE_ENTITY) {
    status_ =
        InvalidArgument("entity references are not accepted", "xml-entity", "line " + std::to_string(Line()));
    return false;
  }
  return true;
}

bool XmlStream::Read() { return Check(xmlTextReaderRead(reader_)); }
bool XmlStream::Next() { return Check(xmlTextReaderNext(reader_)); }
int XmlStream::NodeType() const { return xmlTextReaderNodeType(reader_); }
int XmlStream::Depth() const { return xmlTextReaderDepth(reader_); }
int XmlStream::Line() const { return reader_ ? xmlTextReaderGetParserLineNumber(reader_) : 0; }

std::string XmlStream::LocalName() const {
  const xmlChar* n = xmlTextReaderConstLocalName(reader_);
  return n ? reinterpret_cast<const char*>(n) : "";
}
std::string XmlStream::NamespaceUri() const {
  const xmlChar* n = xmlTextReaderConstNamespaceUri(reader_);
  return n ? reinterpret_cast<const char*>(n) : "";
}

xmlNodePtr XmlStream::Expand() {
  xmlNodePtr node = xmlTextReaderExpand(reader_);
  if (!node && status_.ok())
    status_ = InvalidArgument("malformed XML", "bad-xml", "line " + std::to_string(Line()));
  if (!io_status_.ok() && status_.ok()) status_ = io_status_;
  return status_.ok() ? node : nullptr;
}

namespace {

bool IsXmlSpace(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

// `s` trimmed, with internal runs of whitespace collapsed to one space (GUDID
// wraps long text over lines).
std::string Collapsed(std::string_view s) {
  size_t b = 0;
  while (b < s.size() && IsXmlSpace(s[b])) ++b;
  size_t e = s.size();
  while (e > b && IsXmlSpace(s[e - 1])) --e;
  std::string out;
  out.reserve(e - b);
  bool space = false;
  for (size_t i = b; i < e; ++i) {
    const char ch = s[i];
    if (IsXmlSpace(ch)) {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(ch);
  }
  return out;
}

bool IsText(xmlNodePtr n) { return n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE; }

std::string_view NameView(xmlNodePtr node) {
  return node && node->name ? std::string_view(reinterpret_cast<const char*>(node->name))
                            : std::string_view();
}

}  // namespace

std::string NodeText(xmlNodePtr node) {
  if (!node) return "";
  // Most elements hold one text node: read it in place rather than have
  // libxml2 concatenate the subtree's text into a fresh allocation.
  if (node->type == XML_ELEMENT_NODE && node->children && !node->children->next && IsText(node->children)) {
    const xmlChar* c = node->children->content;
    return Collapsed(c ? reinterpret_cast<const char*>(c) : "");
  }
  xmlChar* c = xmlNodeGetContent(node);
  std::string out = Collapsed(c ? reinterpret_cast<const char*>(c) : "");
  xmlFree(c);
  return out;
}

bool HasContent(xmlNodePtr node) {
  if (!node) return false;
  for (xmlNodePtr c = node->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) return true;
    if (IsText(c) && c->content) {
      for (const xmlChar* p = c->content; *p; ++p) {
        if (!IsXmlSpace(static_cast<char>(*p))) return true;
      }
    }
  }
  return false;
}

std::string LocalNameOf(xmlNodePtr node) { return std::string(NameView(node)); }

std::vector<xmlNodePtr> Children(xmlNodePtr node) {
  std::vector<xmlNodePtr> out;
  if (!node) return out;
  for (xmlNodePtr c = node->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}

xmlNodePtr Child(xmlNodePtr node, std::string_view local) {
  if (!node) return nullptr;
  for (xmlNodePtr c = node->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && NameView(c) == local) return c;
  }
  return nullptr;
}

std::string ChildText(xmlNodePtr node, std::string_view local) { return NodeText(Child(node, local)); }

}  // namespace dossier::translate
