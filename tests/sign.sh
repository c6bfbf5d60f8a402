# Provider signatures (issue 15, item 5): `render --sign-key KEY --sign-cert CERT` appends a
# PAdES B-B signature to the finished PDF, and `batch` signs every person's PDF. Certificates
# are made here with openssl at test time. poppler's pdfsig checks each signature: valid, over
# the whole file, and invalid once one byte is changed. Its "Certificate Validation" says the
# issuer is not trusted: a self-signed test certificate is in no trust store, and trust is not
# what is tested here. Sourced by tests/run.sh.

SG=$TMP/sg
mkdir -p "$SG"
# sg_cert NAME [openssl req options...]: NAME.key (mode 0600) and NAME.pem, self-signed
sg_cert() {
    local n=$1; shift
    openssl req -x509 -nodes -days 2 -subj "/CN=planform test $n/O=相談支援事業所テスト" \
        -keyout "$SG/$n.key" -out "$SG/$n.pem" "$@" 2>/dev/null && chmod 600 "$SG/$n.key"
}
sg_cert rsa -newkey rsa:2048
sg_cert ec -newkey ec -pkeyopt ec_paramgen_curve:P-256
sg_cert other -newkey rsa:2048
check "test certificates made with openssl req" test -s "$SG/rsa.pem" -a -s "$SG/ec.pem" -a -s "$SG/other.pem"

# sg_valid PDF: pdfsig finds exactly one signature made (the consent boxes' empty signature
# fields are listed as not signed), valid, of type ETSI.CAdES.detached, whose
# byte ranges start at 0 and end at the end of the file (the signed file is all of it but the
# signature's own /Contents).
sg_valid() {
    local size out
    size=$(stat -c %s "$1")
    out=$(pdfsig "$1" 2>&1) || { echo "$out"; return 1; }
    echo "$out"
    [ "$(echo "$out" | grep -c '^  - Signature Validation: ')" = 1 ] &&
        echo "$out" | grep -qx '  - Signature Validation: Signature is Valid.' &&
        echo "$out" | grep -qx '  - Signature Type: ETSI.CAdES.detached' &&
        echo "$out" | grep -qx '  - Total document signed' &&
        echo "$out" | grep -qE "^  - Signed Ranges: \[0 - [0-9]+\], \[[0-9]+ - $size\]\$"
}
# sg_invalid PDF: pdfsig reads the signature and says it is not valid
sg_invalid() {
    local out
    out=$(pdfsig "$1" 2>&1)
    echo "$out"
    echo "$out" | grep -q '^  - Signature Validation: ' &&
        ! echo "$out" | grep -q 'Signature is Valid'
}
# sg_poke PDF OFFSET: one byte at OFFSET changed (to X, or to Y where it was X)
sg_poke() {
    local b
    b=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null)
    printf '%s' "$([ "$b" = X ] && echo Y || echo X)" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
sg_text() { pdftotext -layout "$1" - | md5sum; }
sg_sign() { "$PF" render samples/a-san.xml --sign-key "$SG/$1.key" --sign-cert "$SG/$1.pem" "${@:2}"; }

# ---- render ----------------------------------------------------------------------------------
"$PF" render samples/a-san.xml -o "$SG/plain.pdf"
check "render --sign-key --sign-cert exits 0" sg_sign rsa -o "$SG/signed.pdf"
check "pdfsig: one signature, valid, ETSI.CAdES.detached, over the whole file" sg_valid "$SG/signed.pdf"
check "the signed file is the unsigned one, byte for byte, with the signature appended" \
    cmp -n "$(stat -c %s "$SG/plain.pdf")" "$SG/plain.pdf" "$SG/signed.pdf"
check "qpdf --check: clean" sh -c "qpdf --check '$SG/signed.pdf' >'$SG/check.txt' 2>&1 && ! grep -qi 'warning\|error:' '$SG/check.txt'"
check "pdftotext: the same text as unsigned" test "$(sg_text "$SG/signed.pdf")" = "$(sg_text "$SG/plain.pdf")"
check "the same pages as unsigned" pages_are "$SG/signed.pdf" "$(pdfinfo "$SG/plain.pdf" | awk '/^Pages:/ { print $2 }')"
check "mode 0600 like every output" test "$(stat -c %a "$SG/signed.pdf")" = 600
qpdf --json --json-key=acroform "$SG/signed.pdf" >"$SG/acro.json"
check "qpdf --json: one signed field, invisible, on page 1; the consent boxes' six empty fields kept" python3 -c "
import json, sys
f = json.load(open(sys.argv[1]))['acroform']['fields']
signed = [x for x in f if x['value']]
assert len(signed) == 1 and signed[0]['fieldtype'] == '/Sig' and signed[0]['pageposfrom1'] == 1, f
assert len(f) == 7 and all(x['fieldtype'] == '/Sig' for x in f), f
" "$SG/acro.json"
check "the catalog's /AcroForm has /SigFlags 3, the widget /Rect [0 0 0 0] (appended, uncompressed)" sh -c "
    tail -c +$(( $(stat -c %s "$SG/plain.pdf") + 1 )) '$SG/signed.pdf' >'$SG/appended.txt' &&
    grep -qa '/AcroForm <<.*/SigFlags 3' '$SG/appended.txt' && grep -qa '/FT /Sig.*/Rect \[0 0 0 0\]' '$SG/appended.txt'"
check "the signature dictionary has /M and /SubFilter /ETSI.CAdES.detached" sh -c "
    grep -qa '/SubFilter /ETSI.CAdES.detached' '$SG/signed.pdf' && grep -qaE '/M \(D:[0-9]{14}' '$SG/signed.pdf'"

# The CMS itself: detached SignedData with the signing-certificate-v2 attribute and no
# signing-time attribute (PAdES: the time is /M), verified by openssl against the ranges.
python3 - "$SG/signed.pdf" "$SG/cms.der" "$SG/ranges.bin" <<'EOF'
import re, sys
d = open(sys.argv[1], 'rb').read()
r = [int(x) for x in re.search(rb'/ByteRange \[([0-9 ]+)\]', d).group(1).split()]
h = re.search(rb'/Contents <([0-9A-F]+)>', d).group(1).rstrip(b'0')
open(sys.argv[2], 'wb').write(bytes.fromhex((h + b'0' * (len(h) % 2)).decode()))
open(sys.argv[3], 'wb').write(d[r[0]:r[0] + r[1]] + d[r[2]:r[2] + r[3]])
EOF
openssl cms -cmsout -print -inform DER -in "$SG/cms.der" >"$SG/cms.txt" 2>&1
check "CMS: signing-certificate-v2 attribute, SHA-256, no signing-time attribute" sh -c "
    grep -q 'id-smime-aa-signingCertificateV2' '$SG/cms.txt' && grep -q 'messageDigest' '$SG/cms.txt' &&
    grep -q 'sha256' '$SG/cms.txt' && ! grep -q 'signingTime' '$SG/cms.txt'"
check "CMS: openssl cms -verify of the byte ranges succeeds" openssl cms -verify -binary -inform DER \
    -in "$SG/cms.der" -content "$SG/ranges.bin" -CAfile "$SG/rsa.pem" -out /dev/null

# One byte changed: in the rendered part (the producer's name in Info), and in the appended part
# (a digit of /M): pdfsig says invalid both times.
cp "$SG/signed.pdf" "$SG/poked1.pdf"
sg_poke "$SG/poked1.pdf" "$(grep -boa 'Haru' "$SG/poked1.pdf" | head -1 | cut -d: -f1)"
check "one byte of the rendered part changed: pdfsig says invalid" sg_invalid "$SG/poked1.pdf"
cp "$SG/signed.pdf" "$SG/poked2.pdf"
sg_poke "$SG/poked2.pdf" $(( $(grep -boa '/M (D:' "$SG/poked2.pdf" | tail -1 | cut -d: -f1) + 8 ))
check "one byte of the appended part changed: pdfsig says invalid" sg_invalid "$SG/poked2.pdf"
check "(the changed files differ from the signed one)" sh -c "! cmp -s '$SG/signed.pdf' '$SG/poked1.pdf' && ! cmp -s '$SG/signed.pdf' '$SG/poked2.pdf'"
check "(sg_valid refuses an unsigned file)" fails sg_valid "$SG/plain.pdf"

check "an ECDSA key, with --sign-chain: valid" sg_sign ec -o "$SG/ec.pdf" --sign-chain "$SG/rsa.pem"
check "pdfsig: the ECDSA signature is valid" sg_valid "$SG/ec.pdf"
check "standard output (-o -) is signed too" sh -c "'$PF' render samples/a-san.xml --sign-key '$SG/rsa.key' --sign-cert '$SG/rsa.pem' -o - >'$SG/stdout.pdf'"
check "pdfsig: the signature written to standard output is valid" sg_valid "$SG/stdout.pdf"

# ---- batch -----------------------------------------------------------------------------------
mkdir -p "$SG/in"
cp samples/*.xml "$SG/in/"
check "batch --sign-key --sign-cert --print exits 0" "$PF" batch "$SG/in" -o "$SG/out" --quiet \
    --sign-key "$SG/rsa.key" --sign-cert "$SG/rsa.pem" --print "$SG/print.pdf" --jobs 2
sg_batch_all_valid() {
    local n=0 f
    for f in "$SG"/out/*.pdf; do
        sg_valid "$f" >/dev/null || { echo "not validly signed: $f"; return 1; }
        n=$((n + 1))
    done
    [ "$n" = "$(ls samples/*.xml | wc -l)" ]
}
check "batch: every person's PDF has one valid signature over the whole file" sg_batch_all_valid
check "batch: the print file (for paper) is not signed, and is whole" sh -c "
    ! pdfsig '$SG/print.pdf' 2>&1 | grep -q 'Signature Validation' && qpdf --check '$SG/print.pdf' >/dev/null"

# ---- refused ---------------------------------------------------------------------------------
# sg_refused LABEL CODE COMMAND...: exit 2, two-language message, no PDF, and with --json the code
sg_refused() {
    local label=$1 code=$2; shift 2
    rm -f "$SG/no.pdf"
    "$@" -o "$SG/no.pdf" >"$SG/r.out" 2>"$SG/r.err"
    check "$label: exit 2" test $? = 2
    check "$label: message in Japanese and English" two_languages "$SG/r.err"
    check "$label: no PDF written" test ! -e "$SG/no.pdf"
    "$@" -o "$SG/no.pdf" --json >/dev/null 2>"$SG/r.json"
    check "$label: --json code $code" grep -q "\"code\": \"$code\"" "$SG/r.json"
}
cp "$SG/rsa.key" "$SG/open.key" && chmod 644 "$SG/open.key"
sg_refused "key file mode 0644" sign-key-exposed \
    "$PF" render samples/a-san.xml --sign-key "$SG/open.key" --sign-cert "$SG/rsa.pem"
check "key file mode 0644: the message says so and how to fix it" grep -q 'chmod 600' "$SG/r.err"
chmod 640 "$SG/open.key"
check "key file mode 0640: refused too" exits 2 "$PF" render samples/a-san.xml -o "$SG/no.pdf" \
    --sign-key "$SG/open.key" --sign-cert "$SG/rsa.pem"
sg_refused "a key that is not the certificate's" sign-key-mismatch \
    "$PF" render samples/a-san.xml --sign-key "$SG/other.key" --sign-cert "$SG/rsa.pem"
printf 'not a key\n' >"$SG/junk.key" && chmod 600 "$SG/junk.key"
sg_refused "a key file that is not PEM" sign-key-invalid \
    "$PF" render samples/a-san.xml --sign-key "$SG/junk.key" --sign-cert "$SG/rsa.pem"
openssl pkey -in "$SG/rsa.key" -aes256 -passout pass:secret -out "$SG/locked.key" 2>/dev/null && chmod 600 "$SG/locked.key"
sg_refused "a key with a passphrase (never asked for)" sign-key-invalid \
    "$PF" render samples/a-san.xml --sign-key "$SG/locked.key" --sign-cert "$SG/rsa.pem" </dev/null
sg_refused "a certificate file that is not PEM" sign-cert-invalid \
    "$PF" render samples/a-san.xml --sign-key "$SG/rsa.key" --sign-cert "$SG/junk.key"
sg_refused "a chain file without a certificate" sign-cert-invalid \
    "$PF" render samples/a-san.xml --sign-key "$SG/rsa.key" --sign-cert "$SG/rsa.pem" --sign-chain "$SG/junk.key"
# an expired certificate, issued with openssl ca for 2020 (req -x509 cannot date one back)
mkdir -p "$SG/ca" && : >"$SG/ca/index.txt" && echo 01 >"$SG/ca/serial"
printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s/ca/index.txt\nserial = %s/ca/serial\nnew_certs_dir = %s/ca\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n' \
    "$SG" "$SG" "$SG" >"$SG/ca.cnf"
openssl req -new -key "$SG/rsa.key" -subj /CN=expired -out "$SG/old.csr" 2>/dev/null &&
    openssl ca -batch -config "$SG/ca.cnf" -selfsign -keyfile "$SG/rsa.key" -in "$SG/old.csr" \
        -startdate 20200101000000Z -enddate 20210101000000Z -out "$SG/old.pem" >/dev/null 2>&1
check "(an expired test certificate was made)" sh -c "openssl x509 -in '$SG/old.pem' -noout -enddate | grep -q 2021"
sg_refused "an expired certificate" sign-cert-expired \
    "$PF" render samples/a-san.xml --sign-key "$SG/rsa.key" --sign-cert "$SG/old.pem"
check "a key file that does not exist: exit 4, io-read" sh -c "
    '$PF' render samples/a-san.xml -o '$SG/no.pdf' --json --sign-key '$SG/none.key' --sign-cert '$SG/rsa.pem' 2>'$SG/r.json'
    [ \$? = 4 ] && grep -q '\"code\": \"io-read\"' '$SG/r.json' && [ ! -e '$SG/no.pdf' ]"

# Signing and encrypting together are refused: qpdf would rewrite the whole file (breaking a
# signature made first), and a signature appended after encryption would need its own strings
# encrypted. README says so.
printf 'pw\n' >"$SG/pw"
sg_refused "--sign-key with --password-file" usage \
    "$PF" render samples/a-san.xml --sign-key "$SG/rsa.key" --sign-cert "$SG/rsa.pem" --password-file "$SG/pw"
check "--sign-key with --password-file: the message names both" grep -q -- '--sign-key.*--password-file' "$SG/r.err"
check "batch --sign-key with --password-file: exit 2, no folder made" sh -c "
    '$PF' batch '$SG/in' -o '$SG/out-pw' --sign-key '$SG/rsa.key' --sign-cert '$SG/rsa.pem' --password-file '$SG/pw' 2>/dev/null
    [ \$? = 2 ] && [ ! -e '$SG/out-pw' ]"
sg_refused "--sign-key without --sign-cert" usage "$PF" render samples/a-san.xml --sign-key "$SG/rsa.key"
sg_refused "--sign-cert without --sign-key" usage "$PF" render samples/a-san.xml --sign-cert "$SG/rsa.pem"
check "validate does not take --sign-key" exits 2 "$PF" validate samples/a-san.xml --sign-key "$SG/rsa.key" --sign-cert "$SG/rsa.pem"
check "render --help lists --sign-key, --sign-cert and --sign-chain" sh -c "
    '$PF' render --help | grep -q -- --sign-key && '$PF' render --help | grep -q -- --sign-cert &&
    '$PF' render --help | grep -q -- --sign-chain"
