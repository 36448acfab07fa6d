// Reason constants: the stable `reason()` of every error the SDK returns.
//
// Status::reason() (common/status.h) is the server problem document's `code`
// when the server refused a request, or one of the SDK's own reasons below.
// Compare against these constants rather than spelling strings:
//
//   if (result.status().reason() == dossier::client::reasons::kParentMismatch) ...
//
// kServerReasons lists every reason dossierd constructs (client_reasons_test
// scans the server's sources and fails when one is missing here), so a new
// server reason is declared in the SDK in the same change. HTTP answers
// without a problem document have reason "http-NNN" (not listed). The HTTP
// status of a server refusal is Status::http_status().
//
// Compatibility: reasons are never renamed or removed in a minor version;
// new ones may appear, so a switch over reasons needs a default branch.
#pragma once

#include <array>
#include <string_view>

namespace dossier::client::reasons {

// ---- the SDK's own (transport, local checks, signers, trust configuration)
inline constexpr std::string_view kBadPassphrase = "bad-passphrase";
inline constexpr std::string_view kBadPin = "bad-pin";
inline constexpr std::string_view kBadProducer = "bad-producer";
inline constexpr std::string_view kBadProxy = "bad-proxy";
inline constexpr std::string_view kBadResponse = "bad-response";
inline constexpr std::string_view kBadTlsConfig = "bad-tls-config";
inline constexpr std::string_view kBadUrl = "bad-url";
// The caller cancelled the call (AsyncClient: its token's cancellation slot).
inline constexpr std::string_view kCancelled = "cancelled";
inline constexpr std::string_view kConnectFailed = "connect-failed";
inline constexpr std::string_view kConnectionLost = "connection-lost";
inline constexpr std::string_view kConsistencyProofInvalid = "consistency-proof-invalid";
// The call ran past CallOptions::timeout / deadline.
inline constexpr std::string_view kDeadlineExceeded = "deadline-exceeded";
inline constexpr std::string_view kDigestMismatch = "digest-mismatch";
inline constexpr std::string_view kIdentityRequired = "identity-required";
inline constexpr std::string_view kIoError = "io-error";
inline constexpr std::string_view kKeyNotEncrypted = "key-not-encrypted";
inline constexpr std::string_view kLogFork = "log-fork";
inline constexpr std::string_view kLogKeyChanged = "log-key-changed";
inline constexpr std::string_view kLogKeyNotPinned = "log-key-not-pinned";
inline constexpr std::string_view kLogOriginChanged = "log-origin-changed";
inline constexpr std::string_view kLogOriginMismatch = "log-origin-mismatch";
// AsyncPager::Next while a page of the same pager is being fetched.
inline constexpr std::string_view kPagerBusy = "pager-busy";
inline constexpr std::string_view kPkcs11Error = "pkcs11-error";
inline constexpr std::string_view kPkcs11KeyNotFound = "pkcs11-key-not-found";
inline constexpr std::string_view kPkcs11LoadFailed = "pkcs11-load-failed";
inline constexpr std::string_view kPkcs11LoginFailed = "pkcs11-login-failed";
inline constexpr std::string_view kPkcs11TokenNotFound = "pkcs11-token-not-found";
inline constexpr std::string_view kProxyFailed = "proxy-failed";
inline constexpr std::string_view kReceiptInvalid = "receipt-invalid";
inline constexpr std::string_view kReentrantCall = "reentrant-call";
inline constexpr std::string_view kSignFailed = "sign-failed";
inline constexpr std::string_view kSignerMismatch = "signer-mismatch";
inline constexpr std::string_view kTimeout = "timeout";
inline constexpr std::string_view kTlsFailed = "tls-failed";
inline constexpr std::string_view kUnexpectedObject = "unexpected-object";
inline constexpr std::string_view kUnexpectedSigner = "unexpected-signer";
inline constexpr std::string_view kUnexpectedTenant = "unexpected-tenant";
inline constexpr std::string_view kUnexpectedVersion = "unexpected-version";
inline constexpr std::string_view kUnsupportedKey = "unsupported-key";
inline constexpr std::string_view kWrongLogOrigin = "wrong-log-origin";

// ---- the server's (problem documents' `code`)
inline constexpr std::string_view kAlreadyDecided = "already-decided";
inline constexpr std::string_view kAlreadySubmitted = "already-submitted";
inline constexpr std::string_view kAuditChainBroken = "audit-chain-broken";
inline constexpr std::string_view kBackupSignatureInvalid = "backup-signature-invalid";
inline constexpr std::string_view kBackupTargetExists = "backup-target-exists";
inline constexpr std::string_view kBackupUnsupported = "backup-unsupported";
inline constexpr std::string_view kBad510kNumber = "bad-510k-number";
inline constexpr std::string_view kBadAeTerms = "bad-ae-terms";
inline constexpr std::string_view kBadBase64 = "bad-base64";
inline constexpr std::string_view kBadBinding = "bad-binding";
inline constexpr std::string_view kBadBody = "bad-body";
inline constexpr std::string_view kBadBundle = "bad-bundle";
inline constexpr std::string_view kBadCertificate = "bad-certificate";
inline constexpr std::string_view kBadCheckpoint = "bad-checkpoint";
inline constexpr std::string_view kBadConfidenceInterval = "bad-confidence-interval";
inline constexpr std::string_view kBadCount = "bad-count";
inline constexpr std::string_view kBadCountry = "bad-country";
inline constexpr std::string_view kBadCredentials = "bad-credentials";
inline constexpr std::string_view kBadCrosswalkData = "bad-crosswalk-data";
inline constexpr std::string_view kBadDate = "bad-date";
inline constexpr std::string_view kBadDeNovoNumber = "bad-de-novo-number";
inline constexpr std::string_view kBadDigest = "bad-digest";
inline constexpr std::string_view kBadDuns = "bad-duns";
inline constexpr std::string_view kBadEmdnCode = "bad-emdn-code";
inline constexpr std::string_view kBadEnum = "bad-enum";
inline constexpr std::string_view kBadEnvelope = "bad-envelope";
inline constexpr std::string_view kBadEuClass = "bad-eu-class";
inline constexpr std::string_view kBadEuRule = "bad-eu-rule";
inline constexpr std::string_view kBadEvaluationDate = "bad-evaluation-date";
inline constexpr std::string_view kBadFacts = "bad-facts";
inline constexpr std::string_view kBadFieldType = "bad-field-type";
inline constexpr std::string_view kBadFileName = "bad-file-name";
inline constexpr std::string_view kBadGoldenCase = "bad-golden-case";
inline constexpr std::string_view kBadHdeNumber = "bad-hde-number";
inline constexpr std::string_view kBadHex = "bad-hex";
inline constexpr std::string_view kBadHttp = "bad-http";
inline constexpr std::string_view kBadId = "bad-id";
inline constexpr std::string_view kBadIdempotencyKey = "bad-idempotency-key";
inline constexpr std::string_view kBadInput = "bad-input";
inline constexpr std::string_view kBadInteger = "bad-integer";
inline constexpr std::string_view kBadJson = "bad-json";
inline constexpr std::string_view kBadKey = "bad-key";
inline constexpr std::string_view kBadLeafHash = "bad-leaf-hash";
inline constexpr std::string_view kBadLogLeaf = "bad-log-leaf";
inline constexpr std::string_view kBadManifest = "bad-manifest";
inline constexpr std::string_view kBadMediaType = "bad-media-type";
inline constexpr std::string_view kBadNctNumber = "bad-nct-number";
inline constexpr std::string_view kBadNode = "bad-node";
inline constexpr std::string_view kBadNote = "bad-note";
inline constexpr std::string_view kBadNotifiedBodyNumber = "bad-notified-body-number";
inline constexpr std::string_view kBadOptions = "bad-options";
inline constexpr std::string_view kBadPackage = "bad-package";
inline constexpr std::string_view kBadPageToken = "bad-page-token";
inline constexpr std::string_view kBadParameter = "bad-parameter";
inline constexpr std::string_view kBadPath = "bad-path";
inline constexpr std::string_view kBadPathway = "bad-pathway";
inline constexpr std::string_view kBadPathwaysTable = "bad-pathways-table";
inline constexpr std::string_view kBadPeerAllowList = "bad-peer-allow-list";
inline constexpr std::string_view kBadPmaNumber = "bad-pma-number";
inline constexpr std::string_view kBadPredicateNumber = "bad-predicate-number";
inline constexpr std::string_view kBadProductCode = "bad-product-code";
inline constexpr std::string_view kBadProofRequest = "bad-proof-request";
inline constexpr std::string_view kBadProportion = "bad-proportion";
inline constexpr std::string_view kBadRecord = "bad-record";
inline constexpr std::string_view kBadReference = "bad-reference";
inline constexpr std::string_view kBadRegulationNumber = "bad-regulation-number";
inline constexpr std::string_view kBadRole = "bad-role";
inline constexpr std::string_view kBadSize = "bad-size";
inline constexpr std::string_view kBadSrn = "bad-srn";
inline constexpr std::string_view kBadStatement = "bad-statement";
inline constexpr std::string_view kBadStore = "bad-store";
inline constexpr std::string_view kBadTarget = "bad-target";
inline constexpr std::string_view kBadThreshold = "bad-threshold";
inline constexpr std::string_view kBadTime = "bad-time";
inline constexpr std::string_view kBadTocData = "bad-toc-data";
inline constexpr std::string_view kBadUdiDi = "bad-udi-di";
// kBadUrl ("bad-url") is declared above.
inline constexpr std::string_view kBadValue = "bad-value";
inline constexpr std::string_view kBadVerifierKey = "bad-verifier-key";
inline constexpr std::string_view kBadVersion = "bad-version";
inline constexpr std::string_view kBadXml = "bad-xml";
inline constexpr std::string_view kBadZip = "bad-zip";
inline constexpr std::string_view kBlobCorrupt = "blob-corrupt";
inline constexpr std::string_view kBlobMissing = "blob-missing";
inline constexpr std::string_view kBlobTooLarge = "blob-too-large";
inline constexpr std::string_view kBodyTooLarge = "body-too-large";
inline constexpr std::string_view kChangePlanAttached = "change-plan-attached";
inline constexpr std::string_view kChapterHasDocuments = "chapter-has-documents";
// kConsistencyProofInvalid ("consistency-proof-invalid") is declared above.
inline constexpr std::string_view kContentDigestMismatch = "content-digest-mismatch";
inline constexpr std::string_view kContentUnparsable = "content-unparsable";
// kDigestMismatch ("digest-mismatch") is declared above.
inline constexpr std::string_view kDuplicateCriterion = "duplicate-criterion";
inline constexpr std::string_view kDuplicateDatasetId = "duplicate-dataset-id";
inline constexpr std::string_view kDuplicateId = "duplicate-id";
inline constexpr std::string_view kDuplicateKey = "duplicate-key";
inline constexpr std::string_view kDuplicateModificationId = "duplicate-modification-id";
inline constexpr std::string_view kDuplicateSection = "duplicate-section";
inline constexpr std::string_view kEtagMismatch = "etag-mismatch";
inline constexpr std::string_view kExportUnsupported = "export-unsupported";
inline constexpr std::string_view kExportUnverifiable = "export-unverifiable";
inline constexpr std::string_view kFeedInvalid = "feed-invalid";
inline constexpr std::string_view kFileDigestMismatch = "file-digest-mismatch";
inline constexpr std::string_view kFileMissing = "file-missing";
inline constexpr std::string_view kFileNotInManifest = "file-not-in-manifest";
inline constexpr std::string_view kFixtureMissing = "fixture-missing";
inline constexpr std::string_view kForeignTenant = "foreign-tenant";
inline constexpr std::string_view kHeaderTooLarge = "header-too-large";
inline constexpr std::string_view kIdempotencyKeyReused = "idempotency-key-reused";
inline constexpr std::string_view kInclusionProofInvalid = "inclusion-proof-invalid";
inline constexpr std::string_view kIncompleteResponse = "incomplete-response";
inline constexpr std::string_view kInputTooLarge = "input-too-large";
inline constexpr std::string_view kInvalidValue = "invalid-value";
// kIoError ("io-error") is declared above.
inline constexpr std::string_view kKeyExists = "key-exists";
inline constexpr std::string_view kKeyRevoked = "key-revoked";
inline constexpr std::string_view kKeygenFailed = "keygen-failed";
inline constexpr std::string_view kLeafMismatch = "leaf-mismatch";
inline constexpr std::string_view kLengthRequired = "length-required";
inline constexpr std::string_view kListenFailed = "listen-failed";
inline constexpr std::string_view kLogKeyMismatch = "log-key-mismatch";
inline constexpr std::string_view kManifestMismatch = "manifest-mismatch";
inline constexpr std::string_view kManifestSignatureInvalid = "manifest-signature-invalid";
inline constexpr std::string_view kManifestVersionMismatch = "manifest-version-mismatch";
inline constexpr std::string_view kMethodNotAllowed = "method-not-allowed";
inline constexpr std::string_view kMissingAcceptanceCriteria = "missing-acceptance-criteria";
inline constexpr std::string_view kMissingBlob = "missing-blob";
inline constexpr std::string_view kMissingField = "missing-field";
inline constexpr std::string_view kMissingThreshold = "missing-threshold";
inline constexpr std::string_view kMultipleRecords = "multiple-records";
inline constexpr std::string_view kNoKey = "no-key";
inline constexpr std::string_view kNoOpenComments = "no-open-comments";
inline constexpr std::string_view kNoPlanVersion = "no-plan-version";
inline constexpr std::string_view kNoRecords = "no-records";
inline constexpr std::string_view kNoServer = "no-server";
inline constexpr std::string_view kNoSignatures = "no-signatures";
inline constexpr std::string_view kNoSuchFile = "no-such-file";
inline constexpr std::string_view kNoSuchRoute = "no-such-route";
inline constexpr std::string_view kNodeNotFound = "node-not-found";
inline constexpr std::string_view kNotABoundExport = "not-a-bound-export";
inline constexpr std::string_view kNotAManufacturer = "not-a-manufacturer";
inline constexpr std::string_view kNotARegulator = "not-a-regulator";
inline constexpr std::string_view kNotASubmissionRecord = "not-a-submission-record";
inline constexpr std::string_view kNotExportable = "not-exportable";
inline constexpr std::string_view kNotReady = "not-ready";
inline constexpr std::string_view kNotSubmitter = "not-submitter";
inline constexpr std::string_view kNotYourEvent = "not-your-event";
inline constexpr std::string_view kNoteSignatureInvalid = "note-signature-invalid";
inline constexpr std::string_view kObjectExists = "object-exists";
inline constexpr std::string_view kOutOfRange = "out-of-range";
inline constexpr std::string_view kParentMismatch = "parent-mismatch";
inline constexpr std::string_view kPathTooLong = "path-too-long";
inline constexpr std::string_view kPathwayNotOffered = "pathway-not-offered";
inline constexpr std::string_view kPdfRenderFailed = "pdf-render-failed";
inline constexpr std::string_view kPdfRenderTimeout = "pdf-render-timeout";
inline constexpr std::string_view kPdfRendererUnavailable = "pdf-renderer-unavailable";
inline constexpr std::string_view kPeerRejected = "peer-rejected";
inline constexpr std::string_view kPeerUrlNotAllowed = "peer-url-not-allowed";
inline constexpr std::string_view kPlanOfAnotherDossier = "plan-of-another-dossier";
inline constexpr std::string_view kRandomTooLarge = "random-too-large";
inline constexpr std::string_view kRandomUnavailable = "random-unavailable";
inline constexpr std::string_view kRangeNotSatisfiable = "range-not-satisfiable";
inline constexpr std::string_view kRateLimited = "rate-limited";
inline constexpr std::string_view kRecordExists = "record-exists";
inline constexpr std::string_view kRequestAnswered = "request-answered";
inline constexpr std::string_view kRestoreKeyMismatch = "restore-key-mismatch";
inline constexpr std::string_view kRestoreLogMismatch = "restore-log-mismatch";
inline constexpr std::string_view kRestoreScrubFailed = "restore-scrub-failed";
inline constexpr std::string_view kRestoreTargetNotEmpty = "restore-target-not-empty";
inline constexpr std::string_view kSamdCategoryMismatch = "samd-category-mismatch";
inline constexpr std::string_view kSchemaTooNew = "schema-too-new";
inline constexpr std::string_view kShuttingDown = "shutting-down";
// kSignFailed ("sign-failed") is declared above.
inline constexpr std::string_view kSignatureInvalid = "signature-invalid";
inline constexpr std::string_view kSignerKeyInclusionInvalid = "signer-key-inclusion-invalid";
inline constexpr std::string_view kSignerKeyMismatch = "signer-key-mismatch";
inline constexpr std::string_view kSignerKeyNotBeforeLeaf = "signer-key-not-before-leaf";
inline constexpr std::string_view kSignerKeyRevocationInclusionInvalid =
    "signer-key-revocation-inclusion-invalid";
inline constexpr std::string_view kSignerKeyRevocationMismatch = "signer-key-revocation-mismatch";
inline constexpr std::string_view kSignerKeyRevoked = "signer-key-revoked";
inline constexpr std::string_view kSignerKeyRevokedRetroactively = "signer-key-revoked-retroactively";
inline constexpr std::string_view kStatementMismatch = "statement-mismatch";
inline constexpr std::string_view kStorageConflict = "storage-conflict";
inline constexpr std::string_view kStorageError = "storage-error";
inline constexpr std::string_view kStorageFailed = "storage-failed";
inline constexpr std::string_view kStorageFull = "storage-full";
inline constexpr std::string_view kStorageTimeout = "storage-timeout";
inline constexpr std::string_view kStorageUnavailable = "storage-unavailable";
inline constexpr std::string_view kSubmissionClosed = "submission-closed";
inline constexpr std::string_view kTargetNotEmpty = "target-not-empty";
inline constexpr std::string_view kTenantExists = "tenant-exists";
inline constexpr std::string_view kTenantRateLimited = "tenant-rate-limited";
inline constexpr std::string_view kTextTooLong = "text-too-long";
inline constexpr std::string_view kTokenExists = "token-exists";
inline constexpr std::string_view kTokenExpired = "token-expired";
inline constexpr std::string_view kTokenRevoked = "token-revoked";
inline constexpr std::string_view kUndefinedMetric = "undefined-metric";
inline constexpr std::string_view kUniqueViolation = "unique-violation";
inline constexpr std::string_view kUnknownAgency = "unknown-agency";
inline constexpr std::string_view kUnknownBlob = "unknown-blob";
inline constexpr std::string_view kUnknownChangePlan = "unknown-change-plan";
inline constexpr std::string_view kUnknownDatasetId = "unknown-dataset-id";
inline constexpr std::string_view kUnknownDeficiency = "unknown-deficiency";
inline constexpr std::string_view kUnknownDocument = "unknown-document";
inline constexpr std::string_view kUnknownField = "unknown-field";
inline constexpr std::string_view kUnknownFormat = "unknown-format";
inline constexpr std::string_view kUnknownHeading = "unknown-heading";
inline constexpr std::string_view kUnknownKey = "unknown-key";
inline constexpr std::string_view kUnknownModificationId = "unknown-modification-id";
inline constexpr std::string_view kUnknownPathway = "unknown-pathway";
inline constexpr std::string_view kUnknownPeer = "unknown-peer";
inline constexpr std::string_view kUnknownProfile = "unknown-profile";
inline constexpr std::string_view kUnknownReference = "unknown-reference";
inline constexpr std::string_view kUnknownRequest = "unknown-request";
inline constexpr std::string_view kUnknownTocCode = "unknown-toc-code";
inline constexpr std::string_view kUnknownTocEdition = "unknown-toc-edition";
inline constexpr std::string_view kUnknownVersion = "unknown-version";
inline constexpr std::string_view kUnreleasedVersion = "unreleased-version";
// kUnsupportedKey ("unsupported-key") is declared above.
inline constexpr std::string_view kUnsupportedMediaType = "unsupported-media-type";
inline constexpr std::string_view kValidationFailed = "validation-failed";
inline constexpr std::string_view kVersionMismatch = "version-mismatch";
inline constexpr std::string_view kWebRootMissing = "web-root-missing";
inline constexpr std::string_view kWebRootTooLarge = "web-root-too-large";
// kWrongLogOrigin ("wrong-log-origin") is declared above.
inline constexpr std::string_view kWrongPayloadType = "wrong-payload-type";
inline constexpr std::string_view kXmlEntity = "xml-entity";
inline constexpr std::string_view kZipBomb = "zip-bomb";
inline constexpr std::string_view kZipEncrypted = "zip-encrypted";
inline constexpr std::string_view kZipPathTraversal = "zip-path-traversal";

inline constexpr std::array<std::string_view, 230> kServerReasons = {
    kAlreadyDecided,
    kAlreadySubmitted,
    kAuditChainBroken,
    kBackupSignatureInvalid,
    kBackupTargetExists,
    kBackupUnsupported,
    kBad510kNumber,
    kBadAeTerms,
    kBadBase64,
    kBadBinding,
    kBadBody,
    kBadBundle,
    kBadCertificate,
    kBadCheckpoint,
    kBadConfidenceInterval,
    kBadCount,
    kBadCountry,
    kBadCredentials,
    kBadCrosswalkData,
    kBadDate,
    kBadDeNovoNumber,
    kBadDigest,
    kBadDuns,
    kBadEmdnCode,
    kBadEnum,
    kBadEnvelope,
    kBadEuClass,
    kBadEuRule,
    kBadEvaluationDate,
    kBadFacts,
    kBadFieldType,
    kBadFileName,
    kBadGoldenCase,
    kBadHdeNumber,
    kBadHex,
    kBadHttp,
    kBadId,
    kBadIdempotencyKey,
    kBadInput,
    kBadInteger,
    kBadJson,
    kBadKey,
    kBadLeafHash,
    kBadLogLeaf,
    kBadManifest,
    kBadMediaType,
    kBadNctNumber,
    kBadNode,
    kBadNote,
    kBadNotifiedBodyNumber,
    kBadOptions,
    kBadPackage,
    kBadPageToken,
    kBadParameter,
    kBadPath,
    kBadPathway,
    kBadPathwaysTable,
    kBadPeerAllowList,
    kBadPmaNumber,
    kBadPredicateNumber,
    kBadProductCode,
    kBadProofRequest,
    kBadProportion,
    kBadRecord,
    kBadReference,
    kBadRegulationNumber,
    kBadRole,
    kBadSize,
    kBadSrn,
    kBadStatement,
    kBadStore,
    kBadTarget,
    kBadThreshold,
    kBadTime,
    kBadTocData,
    kBadUdiDi,
    kBadUrl,
    kBadValue,
    kBadVerifierKey,
    kBadVersion,
    kBadXml,
    kBadZip,
    kBlobCorrupt,
    kBlobMissing,
    kBlobTooLarge,
    kBodyTooLarge,
    kChangePlanAttached,
    kChapterHasDocuments,
    kConsistencyProofInvalid,
    kContentDigestMismatch,
    kContentUnparsable,
    kDigestMismatch,
    kDuplicateCriterion,
    kDuplicateDatasetId,
    kDuplicateId,
    kDuplicateKey,
    kDuplicateModificationId,
    kDuplicateSection,
    kEtagMismatch,
    kExportUnsupported,
    kExportUnverifiable,
    kFeedInvalid,
    kFileDigestMismatch,
    kFileMissing,
    kFileNotInManifest,
    kFixtureMissing,
    kForeignTenant,
    kHeaderTooLarge,
    kIdempotencyKeyReused,
    kInclusionProofInvalid,
    kIncompleteResponse,
    kInputTooLarge,
    kInvalidValue,
    kIoError,
    kKeyExists,
    kKeyRevoked,
    kKeygenFailed,
    kLeafMismatch,
    kLengthRequired,
    kListenFailed,
    kLogKeyMismatch,
    kManifestMismatch,
    kManifestSignatureInvalid,
    kManifestVersionMismatch,
    kMethodNotAllowed,
    kMissingAcceptanceCriteria,
    kMissingBlob,
    kMissingField,
    kMissingThreshold,
    kMultipleRecords,
    kNoKey,
    kNoOpenComments,
    kNoPlanVersion,
    kNoRecords,
    kNoServer,
    kNoSignatures,
    kNoSuchFile,
    kNoSuchRoute,
    kNodeNotFound,
    kNotABoundExport,
    kNotAManufacturer,
    kNotARegulator,
    kNotASubmissionRecord,
    kNotExportable,
    kNotReady,
    kNotSubmitter,
    kNotYourEvent,
    kNoteSignatureInvalid,
    kObjectExists,
    kOutOfRange,
    kParentMismatch,
    kPathTooLong,
    kPathwayNotOffered,
    kPdfRenderFailed,
    kPdfRenderTimeout,
    kPdfRendererUnavailable,
    kPeerRejected,
    kPeerUrlNotAllowed,
    kPlanOfAnotherDossier,
    kRandomTooLarge,
    kRandomUnavailable,
    kRangeNotSatisfiable,
    kRateLimited,
    kRecordExists,
    kRequestAnswered,
    kRestoreKeyMismatch,
    kRestoreLogMismatch,
    kRestoreScrubFailed,
    kRestoreTargetNotEmpty,
    kSamdCategoryMismatch,
    kSchemaTooNew,
    kShuttingDown,
    kSignFailed,
    kSignatureInvalid,
    kSignerKeyInclusionInvalid,
    kSignerKeyMismatch,
    kSignerKeyNotBeforeLeaf,
    kSignerKeyRevocationInclusionInvalid,
    kSignerKeyRevocationMismatch,
    kSignerKeyRevoked,
    kSignerKeyRevokedRetroactively,
    kStatementMismatch,
    kStorageConflict,
    kStorageError,
    kStorageFailed,
    kStorageFull,
    kStorageTimeout,
    kStorageUnavailable,
    kSubmissionClosed,
    kTargetNotEmpty,
    kTenantExists,
    kTenantRateLimited,
    kTextTooLong,
    kTokenExists,
    kTokenExpired,
    kTokenRevoked,
    kUndefinedMetric,
    kUniqueViolation,
    kUnknownAgency,
    kUnknownBlob,
    kUnknownChangePlan,
    kUnknownDatasetId,
    kUnknownDeficiency,
    kUnknownDocument,
    kUnknownField,
    kUnknownFormat,
    kUnknownHeading,
    kUnknownKey,
    kUnknownModificationId,
    kUnknownPathway,
    kUnknownPeer,
    kUnknownProfile,
    kUnknownReference,
    kUnknownRequest,
    kUnknownTocCode,
    kUnknownTocEdition,
    kUnknownVersion,
    kUnreleasedVersion,
    kUnsupportedKey,
    kUnsupportedMediaType,
    kValidationFailed,
    kVersionMismatch,
    kWebRootMissing,
    kWebRootTooLarge,
    kWrongLogOrigin,
    kWrongPayloadType,
    kXmlEntity,
    kZipBomb,
    kZipEncrypted,
    kZipPathTraversal,
};
inline constexpr std::array<std::string_view, 40> kClientReasons = {
    kBadPassphrase,
    kBadPin,
    kBadProducer,
    kBadProxy,
    kBadResponse,
    kBadTlsConfig,
    kBadUrl,
    kCancelled,
    kConnectFailed,
    kConnectionLost,
    kConsistencyProofInvalid,
    kDeadlineExceeded,
    kDigestMismatch,
    kIdentityRequired,
    kIoError,
    kKeyNotEncrypted,
    kLogFork,
    kLogKeyChanged,
    kLogKeyNotPinned,
    kLogOriginChanged,
    kLogOriginMismatch,
    kPagerBusy,
    kPkcs11Error,
    kPkcs11KeyNotFound,
    kPkcs11LoadFailed,
    kPkcs11LoginFailed,
    kPkcs11TokenNotFound,
    kProxyFailed,
    kReceiptInvalid,
    kReentrantCall,
    kSignFailed,
    kSignerMismatch,
    kTimeout,
    kTlsFailed,
    kUnexpectedObject,
    kUnexpectedSigner,
    kUnexpectedTenant,
    kUnexpectedVersion,
    kUnsupportedKey,
    kWrongLogOrigin,
};

}  // namespace dossier::client::reasons
