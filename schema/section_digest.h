// Section digests: a content hash per ToC section, so two versions (or two
// submissions to two agencies, or two nodes) can be compared section by
// section without revealing the content.
//
// Definition (version 1; any change to it must get a new domain tag)
//
//   SectionDigest(s) = "sha256:" + lowercase hex of
//                      SHA-256("dossier.v1.section\n" || Enc(s))
//
// Enc() is a tag-length-value encoding. Item(tag, bytes) is one ASCII tag
// byte, the byte length as an 8-byte big-endian unsigned integer, then the
// bytes. Strings are their UTF-8 bytes. A field that is empty / zero / unset
// is omitted, so adding a new field to the encoding later leaves the digests
// of content that does not use it unchanged.
//
//   Enc(section)  = Item('c', code) Item('t', title)
//                   Item('n', not_applicable_justification)
//                   Item('D', Enc(document)) for each document, the items in
//                   ascending bytewise order of Enc(document) (document order
//                   in the message does not matter; duplicates are kept)
//                   Item('S', EncValue(data as a Struct)) when data has fields
//   Enc(document) = Item('d', digest) Item('m', media_type) Item('f', file_name)
//                   Item('t', title) Item('s', study)
//                   Item('p', part enum name, e.g. "REPORT")
//                   Item('l', language) Item('z', size_bytes as 8-byte BE)
//   EncValue(v):  null   -> Item('0', "")
//                 bool   -> Item('b', one byte 0x00 / 0x01)
//                 number -> Item('#', IEEE-754 binary64, 8 bytes big-endian;
//                           -0.0 is written as +0.0)
//                 string -> Item('s', bytes)
//                 list   -> Item('[', EncValue(item) for each item, in order)
//                 struct -> Item('{', for each member in ascending bytewise
//                           key order: Item('k', key) EncValue(value))
//
// An empty struct and an absent `data` give the same digest. Because the
// encoding is of the parsed message, a section has the same digest whether the
// content arrived as JSON (any member order, any number formatting) or
// protobuf.
//
// All functions are pure and thread-safe.
#pragma once

#include <map>
#include <string>

#include "dossier/v1/dossier.pb.h"

namespace dossier::schema {

// Enc(section) as defined above (exposed for tests and other implementations).
std::string CanonicalSectionEncoding(const v1::Section& section);

// "sha256:<hex>" of one section.
std::string SectionDigest(const v1::Section& section);

// code -> SectionDigest for every section of `dossier`. When a code repeats
// (invalid, see ValidateDossier) the last section with that code wins.
std::map<std::string, std::string> SectionDigests(const v1::Dossier& dossier);

// Name under which DeviceDigest is reported beside the section digests.
inline constexpr char kDevicePseudoSection[] = "device";

// "sha256:<hex>" over the device identity and the classifications:
//   SHA-256("dossier.v1.device\n" || Item('d', P(device')) || Item('k', P(classifications)))
// where device' is `dossier.device()` with its identifiers sorted by
// (type, value, issuer, jurisdiction) and P() is the deterministic protobuf
// binary serialisation (fields in field-number order; these messages have no
// maps). Changes when the trade name, any identifier or any class changes.
std::string DeviceDigest(const v1::Dossier& dossier);

// "sha256:<hex>" of `bytes` (plain SHA-256, no domain tag).
std::string Sha256Digest(std::string_view bytes);

}  // namespace dossier::schema
