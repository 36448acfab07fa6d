#!/usr/bin/env bash
# A walk through the dossier CLI. Expects DOSSIER_SERVER, DOSSIER_TENANT and
# DOSSIER_TOKEN (an ADMIN token), e.g. from `make run` and `dossier tokens
# create`, or from with_dossierd as in CTest. Runs in the current directory.
set -euo pipefail
dossier="${DOSSIER_BIN_DIR:-$(dirname "$0")/../build/bin}/dossier"

# 1. Save server, tenant and token in the config file (mode 0600).
"$dossier" login --server "$DOSSIER_SERVER" --tenant "$DOSSIER_TENANT" --token "$DOSSIER_TOKEN"
unset DOSSIER_SERVER DOSSIER_TENANT DOSSIER_TOKEN   # from here on the config file is enough

# 2. A signing key: the private half stays beside the config, the public half is registered.
"$dossier" keys create --label "walkthrough"

# 3. A dossier and a folder laid out by IMDRF ToC headings.
"$dossier" create cxr-triage --title "AI chest X-ray triage"
rm -rf dossier-folder && mkdir -p "dossier-folder/2.04.01 Device Description" "dossier-folder/3.05.05.08 Software V&V"
echo "%PDF device description" > "dossier-folder/2.04.01 Device Description/description.pdf"
echo "%PDF software V&V report" > "dossier-folder/3.05.05.08 Software V&V/validation.pdf"
cat > dossier-folder/dossier.json <<'JSON'
{"tocEdition": "IMDRF-N9-ED4",
 "device": {"tradeName": "ThoraxTriage AI",
            "identifiers": [{"type": "UDI_DI", "value": "08500123450017", "issuer": "GS1"}]},
 "intendedUse": "Flags chest X-rays suspicious for pneumothorax for prioritised review."}
JSON

# 4. Push: uploads the documents, signs and commits version 1.
"$dossier" push cxr-triage dossier-folder --message "first version"

# 5. Add clinical evidence and push version 2 (unchanged documents are not re-sent).
mkdir -p "dossier-folder/4.01 Clinical Evidence"
echo "%PDF clinical evaluation" > "dossier-folder/4.01 Clinical Evidence/cer.pdf"
"$dossier" push cxr-triage dossier-folder --message "add clinical evidence"

# 6. History and differences.
"$dossier" log cxr-triage
"$dossier" diff cxr-triage 1 2

# 7. Pull version 2 into another folder: the same layout, byte for byte.
"$dossier" pull cxr-triage pulled --version 2
diff -r --exclude=dossier.json dossier-folder pulled && echo "pulled folder is identical"

# 8. Offline verification: save the bundle, then verify it with the pinned log key.
"$dossier" bundle cxr-triage --version 2 -o bundle.json
"$dossier" verify bundle.json
"$dossier" --json log cxr-triage > /dev/null
echo "walkthrough done"
